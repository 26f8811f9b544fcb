// The gateway's event map, shared by the server and every TypeScript client.
import type { Channel, ChosenStatus, Member, Message, PresenceStatus, Server, User } from "./domain/types";
import type { ErrorCode } from "./errors";
import type { Snowflake } from "./ids/snowflake";
import type { ReadState } from "./ports/read-state-store";
import type { MemberListUpdate } from "./domain/member-list/types";
import type { FocusInput } from "./use-cases/focus-channels";
import type { MemberListSubscribeInput } from "./use-cases/subscribe-member-list";

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: ErrorCode; message: string } };

/**
 * "Something new was written in this channel": what a passive connection (one that sent
 * `channels:focus`) hears instead of the messages of channels it does not focus. Coalesced:
 * at most one per channel per 2 s per connection, carrying the newest message id.
 */
export interface ChannelActivity {
  channelId: Snowflake;
  serverId: Snowflake;
  lastMessageId: Snowflake;
}

/** A user's visible status changed; the members of `serverIds` (the user's servers) hear it. */
export interface PresenceChange {
  userId: Snowflake;
  status: PresenceStatus;
  serverIds: Snowflake[];
  /** The presence store's time of the change (PresenceTransition.at): the later change wins. */
  at: number;
}

export interface ServerToClientEvents {
  /** `status` (the user's own chosen status) is an extension to the contract's payload. */
  ready: (payload: { user: User; servers: Server[]; status?: ChosenStatus }) => void;
  "message:create": (message: Message) => void;
  "channel:activity": (activity: ChannelActivity) => void;
  "presence:update": (payload: { userId: Snowflake; status: PresenceStatus }) => void;
  "typing:start": (payload: { channelId: Snowflake; userId: Snowflake }) => void;
  "server:join": (server: Server) => void;
  "member:add": (payload: { serverId: Snowflake; member: Member }) => void;
  "member:remove": (payload: { serverId: Snowflake; userId: Snowflake }) => void;
  "channel:create": (channel: Channel) => void;
  /** One of my own tabs or devices moved my read marker in a channel. */
  "read-state:update": (readState: ReadState) => void;
  /** The rows of a server's member list this connection subscribed to: a SYNC, then ops (docs/api.md). */
  "members:list": (update: MemberListUpdate) => void;
  /** This node is stopping: connect to `url` (the directory's answer for this user) instead. */
  "gateway:reconnect": (payload: { url: string }) => void;
  /** Events may have been lost while the deployment's fan-out was cut: fill what you hold from history. */
  "gateway:resync": (payload: Record<string, never>) => void;
}

export interface ClientToServerEvents {
  "message:send": (
    payload: { channelId: Snowflake; content: string; nonce?: string },
    ack: (result: Ack<{ message: Message }>) => void,
  ) => void;
  "presence:set": (payload: { status: ChosenStatus }, ack: (result: Ack) => void) => void;
  "typing:start": (payload: { channelId: Snowflake }, ack: (result: Ack) => void) => void;
  /** Makes the connection passive (for its life) and replaces the channels it focuses. */
  "channels:focus": (payload: FocusInput, ack: (result: Ack) => void) => void;
  /** Replaces the rows of one server's member list this connection watches (none: stops). */
  "members:subscribe": (payload: MemberListSubscribeInput, ack: (result: Ack) => void) => void;
}

/** What gateway nodes tell each other (Socket.IO's serverSideEmit, through Redis). */
export interface InterServerEvents {
  /** A message was published on another node: coalesce it here for this node's passive connections. */
  "channel:activity": (activity: ChannelActivity) => void;
  /** A presence change was published on another node: coalesce it here for this node's connections. */
  "presence:change": (change: PresenceChange) => void;
}

export const rooms = {
  server: (serverId: Snowflake) => `server:${serverId}`,
  user: (userId: Snowflake) => `user:${userId}`,
  /** The connections of a server that never sent `channels:focus`: they hear every message (v1). */
  all: (serverId: Snowflake) => `all:${serverId}`,
  /** The connections of a server that sent `channels:focus`: they hear `channel:activity` instead. */
  passive: (serverId: Snowflake) => `passive:${serverId}`,
  /** The connections that focus a channel: they hear its messages in full. */
  focus: (channelId: Snowflake) => `focus:${channelId}`,
};
