// The objects of the public contract, exactly as clients see them.
import type { Snowflake } from "../ids/snowflake";

export type PresenceStatus = "online" | "idle" | "dnd" | "offline";
/** What a user may choose; `invisible` shows as `offline` to everyone else. */
export type ChosenStatus = "online" | "idle" | "dnd" | "invisible";

export interface User {
  id: Snowflake;
  username: string;
  displayName: string;
}

export interface Channel {
  id: Snowflake;
  serverId: Snowflake;
  name: string;
  type: "text";
  position: number;
}

export interface Server {
  id: Snowflake;
  name: string;
  ownerId: Snowflake;
  channels: Channel[];
}

export interface Member {
  user: User;
  joinedAt: string;
  status: PresenceStatus;
}

export interface Message {
  id: Snowflake;
  channelId: Snowflake;
  serverId: Snowflake;
  author: User;
  content: string;
  nonce?: string;
  createdAt: string;
}

export interface InvitePreview {
  code: string;
  server: { id: Snowflake; name: string; memberCount: number };
}

/** Who is calling a use case: an authenticated user who still exists. */
export interface Actor {
  userId: Snowflake;
  user: User;
}
