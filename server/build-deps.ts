// The one place that chooses an implementation for every port from the configuration.
import path from "node:path";
import { openDatabase } from "../lib/adapters/db/client";
import { DrizzleIdempotencyStore } from "../lib/adapters/db/idempotency-store";
import { PostgresMessageStore } from "../lib/adapters/db/message-store";
import { DrizzleMetadataStore } from "../lib/adapters/db/metadata-store";
import { DrizzleReadStateStore } from "../lib/adapters/db/read-state-store";
import { MemoryPresenceStore } from "../lib/adapters/memory/presence-store";
import { MemoryRateLimiter } from "../lib/adapters/memory/rate-limiter";
import { argon2Hasher } from "../lib/auth/passwords";
import { createTokenService } from "../lib/auth/tokens";
import type { Deps } from "../lib/deps";
import { newInviteCode } from "../lib/ids/invite-codes";
import { SnowflakeGenerator } from "../lib/ids/snowflake";
import type { EventBus } from "../lib/ports/event-bus";
import type { ParleyConfig } from "./config";

export const MESSAGES_PER_SECOND = 5;
export const NONCE_TTL_MS = 15 * 60 * 1000;

export interface BuiltDeps {
  deps: Deps;
  close(): Promise<void>;
}

/** `events` is wired later by the gateway, which owns the sockets; until then nothing is sent. */
export async function buildDeps(config: ParleyConfig, authSecret: string): Promise<BuiltDeps & { setEvents(bus: EventBus): void }> {
  const database = await openDatabase(config.database, path.join(config.projectDir, "drizzle"));
  let events: EventBus = { publish: async () => {} };
  const deps: Deps = {
    metadata: new DrizzleMetadataStore(database.db),
    messages: new PostgresMessageStore(database.db),
    get events() {
      return events;
    },
    presence: new MemoryPresenceStore(),
    messageRateLimiter: new MemoryRateLimiter(MESSAGES_PER_SECOND, 1000),
    // In the database: a retry after a restart or on another node must still find its message.
    idempotency: new DrizzleIdempotencyStore(database.db, NONCE_TTL_MS),
    readStates: new DrizzleReadStateStore(database.db),
    ids: new SnowflakeGenerator(config.workerId),
    passwords: argon2Hasher,
    tokens: createTokenService(authSecret),
    inviteCodes: () => newInviteCode(),
    now: () => new Date(),
  };
  return {
    deps,
    setEvents: (bus) => {
      events = bus;
    },
    close: () => database.close(),
  };
}
