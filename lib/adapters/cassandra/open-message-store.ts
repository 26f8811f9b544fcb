// The Cassandra message store as Parley runs it: connected, schema ensured, behind the breaker.
import type { MessageCipher } from "../../crypto/message-cipher";
import type { Logger } from "../../logger";
import type { MessageRowStore } from "../../ports/message-store";
import { openCassandra } from "./client";
import { CassandraMessageStore } from "./message-store";
import { ResilientMessageStore } from "./resilient-message-store";
import type { CassandraSettings } from "./settings";

export async function openCassandraMessageStore(settings: CassandraSettings, cipher: MessageCipher, log?: Logger): Promise<MessageRowStore> {
  const client = await openCassandra(settings);
  const store = new CassandraMessageStore(client, { keyspace: settings.keyspace, consistency: settings.consistency, cipher });
  return new ResilientMessageStore(store, { timeoutMs: settings.requestTimeoutMs, log });
}
