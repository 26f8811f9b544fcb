// The gateway's event map, shared by the server and every TypeScript client.
import type { Channel, ChosenStatus, Member, Message, PresenceStatus, Server, User } from "./domain/types";
import type { ErrorCode } from "./errors";
import type { Snowflake } from "./ids/snowflake";
import type { ReadState } from "./ports/read-state-store";

export type Ack<T extends object = object> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: ErrorCode; message: string } };

export interface ServerToClientEvents {
  /** `status` (the user's own chosen status) is an extension to the contract's payload. */
  ready: (payload: { user: User; servers: Server[]; status?: ChosenStatus }) => void;
  "message:create": (message: Message) => void;
  "presence:update": (payload: { userId: Snowflake; status: PresenceStatus }) => void;
  "typing:start": (payload: { channelId: Snowflake; userId: Snowflake }) => void;
  "server:join": (server: Server) => void;
  "member:add": (payload: { serverId: Snowflake; member: Member }) => void;
  "member:remove": (payload: { serverId: Snowflake; userId: Snowflake }) => void;
  "channel:create": (channel: Channel) => void;
  /** One of my own tabs or devices moved my read marker in a channel. */
  "read-state:update": (readState: ReadState) => void;
}

export interface ClientToServerEvents {
  "message:send": (
    payload: { channelId: Snowflake; content: string; nonce?: string },
    ack: (result: Ack<{ message: Message }>) => void,
  ) => void;
  "presence:set": (payload: { status: ChosenStatus }, ack: (result: Ack) => void) => void;
  "typing:start": (payload: { channelId: Snowflake }, ack: (result: Ack) => void) => void;
}

export const rooms = {
  server: (serverId: Snowflake) => `server:${serverId}`,
  user: (userId: Snowflake) => `user:${userId}`,
};
