// The ports every use case may reach. One place (server/build-deps.ts) assembles them from config.
import type { PasswordHasher } from "./auth/passwords";
import type { TokenService } from "./auth/tokens";
import type { Snowflake } from "./ids/snowflake";
import type { EventBus } from "./ports/event-bus";
import type { GatewayDirectory } from "./ports/gateway-directory";
import type { MemberListStore } from "./ports/member-list-store";
import type { MessageStore } from "./ports/message-store";
import type { MetadataStore } from "./ports/metadata-store";
import type { PresenceStore } from "./ports/presence-store";
import type { RateLimiter } from "./ports/rate-limiter";
import type { ReadStateStore } from "./ports/read-state-store";
import type { SessionRevocations } from "./ports/session-revocations";
import type { SignInLimiters } from "./use-cases/shared/sign-in-limits";

/** Abuse limits counted in the database (contract v2); each answers RATE_LIMITED. */
export interface CountLimits {
  serversPerUser: number;
  channelsPerServer: number;
}

export interface Deps {
  metadata: MetadataStore;
  messages: MessageStore;
  events: EventBus;
  presence: PresenceStore;
  /** The member lists people watch (contract v2 "Member list"); every membership, profile and presence change goes to it. */
  memberLists: MemberListStore;
  /** The per-user message budget (5 per second, REST and gateway together). */
  messageRateLimiter: RateLimiter;
  /** Typing fan-out: at most one `typing:start` per user and channel per 3 s is announced (contract v2). */
  typingRateLimiter: RateLimiter;
  /** Invites one member may create per hour (contract v2: 50). */
  inviteRateLimiter: RateLimiter;
  /** `presence:set` calls per user per minute (contract v2: 10). */
  presenceRateLimiter: RateLimiter;
  /** The live gateway nodes (contract v2 "Directory"). */
  gateways: GatewayDirectory;
  /** `GET /api/v1/gateway` calls per user per minute. */
  gatewayLookupLimiter: RateLimiter;
  /** Wrong passwords per username and per IP, registrations per IP (contract v2). */
  signInLimiters: SignInLimiters;
  limits: CountLimits;
  /** Ended sign-ins (logout, password change): checked on every authentication, in memory. */
  sessions: SessionRevocations;
  /** Where each user stopped reading each channel (unread marks across devices). */
  readStates: ReadStateStore;
  ids: { next(): Snowflake };
  passwords: PasswordHasher;
  tokens: TokenService;
  inviteCodes: () => string;
  now: () => Date;
}

export interface UseCaseContext<I = unknown> {
  actor: import("./domain/types").Actor;
  input: I;
}
