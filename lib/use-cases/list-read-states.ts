import type { Deps, UseCaseContext } from "../deps";
import type { Snowflake } from "../ids/snowflake";

/** One readable channel: where I stopped reading, and its newest message (null: none yet). */
export interface ChannelReadState {
  channelId: Snowflake;
  lastReadId: Snowflake | null;
  lastMessageId: Snowflake | null;
}

/**
 * Read state of every channel in the caller's servers, so a client can mark unread channels
 * and servers with one request (after connecting, and after every reconnect). Markers of
 * servers the caller has left are not listed.
 */
export async function listReadStates(deps: Deps, { actor }: UseCaseContext): Promise<ChannelReadState[]> {
  const [servers, markers] = await Promise.all([deps.metadata.listServersOf(actor.userId), deps.readStates.listForUser(actor.userId)]);
  const lastRead = new Map(markers.map((m) => [m.channelId, m.lastReadId]));
  const channels = servers.flatMap((s) => s.channels);
  const newest = await Promise.all(channels.map((c) => deps.messages.list(c.id, { limit: 1 })));
  return channels.map((c, i) => ({
    channelId: c.id,
    lastReadId: lastRead.get(c.id) ?? null,
    lastMessageId: newest[i]?.[0]?.id ?? null,
  }));
}
