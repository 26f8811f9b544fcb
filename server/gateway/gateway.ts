// The Socket.IO gateway at /gateway: authenticates the handshake, announces `ready`, keeps
// each socket in its user room and its servers' rooms, and turns client events into the same
// use cases the REST routes call.
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { Deps } from "../../lib/deps";
import type { Actor } from "../../lib/domain/types";
import { AppError, errors, toAppError } from "../../lib/errors";
import { rooms, type ClientToServerEvents, type InterServerEvents, type ServerToClientEvents } from "../../lib/gateway-events";
import { tokenFrom } from "../../lib/http/credentials";
import { requestOrigin } from "../../lib/http/request-origin";
import { comesFromForeignSite } from "../../lib/http/foreign-origin";
import type { Logger } from "../../lib/logger";
import { authenticateSession } from "../../lib/use-cases/authenticate";
import { closeConnection } from "../../lib/use-cases/close-connection";
import { openConnection, resumeConnection } from "../../lib/use-cases/open-connection";
import { sendMessage } from "../../lib/use-cases/send-message";
import { setPresence } from "../../lib/use-cases/set-presence";
import { startTyping } from "../../lib/use-cases/start-typing";
import { gatewayMetrics } from "../metrics";
import { sharedAckListener } from "./acks";
import { parleyAdapter } from "./adapter";
import { EVENT_PACKET, ResumableAdapter, type MissedEvents } from "./resume";
import { lightenConnection } from "./connection-footprint";
import { leaveServersNotIn, type FocusState } from "./derived-rooms";
import { sendBroadcastFramesDirectly } from "./direct-frames";
import { TokenExpiry } from "./token-expiry";
import { withinEventBudget } from "./event-budget";
import { closeEndedSessions } from "./session-closer";
import type { CallBudget } from "./budgeted-calls";
import { DEFAULT_FOCUS_CALLS, focusListener, type FocusCalls } from "./focus-handler";
import { DEFAULT_MEMBER_LIST_SUBSCRIBES, memberListListener, type MemberListCalls } from "./member-list-gateway";
import type { MemberListHub } from "../member-lists/member-list-hub";

export interface SocketData extends FocusState, FocusCalls, MemberListCalls {
  actor: Actor;
  /** When the connection's token expires (ms since the epoch): the connection closes then. */
  tokenExpiresAt: number;
  /** The sign-in its credential belongs to: the connection closes when it ends (logout, password change). */
  sessionId: string;
  /** The origin the client reached this node on (PUBLIC_URL's, else the handshake's Host): where a lone draining node sends it back. */
  origin: string;
  /** Client events in the last 60 s (event-budget.ts), made on the first one. */
  eventBudget?: CallBudget;
  /** The offset a resumed connection had seen last (contract v2 "Resume"), until its missed events are replayed. */
  resumeOffset?: string;
  /** Its session was kept for resume ahead of a drain (cluster-resume.ts). */
  resumeKept?: boolean;
  /** A resumed connection's servers, read at its handshake, until it is open. */
  resumeServerIds?: string[];
  /** Whether `ready` was sent: a promise while it is being prepared, then the answer. */
  ready?: Promise<boolean> | boolean;
}

export type GatewayServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const GATEWAY_PATH = "/gateway";

/** The gateway's own abuse limits (the message budget is the use case's, in Deps). */
export interface GatewayLimits {
  focusCallsPer10s: number;
  memberListSubscribesPer10s: number;
  /** The handshake beyond it gets `connect_error` RATE_LIMITED. */
  connectionsPerUser: number;
  /** Client events one connection may send in any 60 s. */
  eventsPerMinute: number;
  /** A connection that has not completed the handshake by then is closed. */
  handshakeTimeoutMs: number;
  /** A connection whose client stops answering pings is closed after `intervalMs + timeoutMs` at most. */
  heartbeat: { intervalMs: number; timeoutMs: number };
  /** How long a lost connection can be resumed; 0 turns resume off. */
  resumeWindowMs?: number;
}

export interface GatewaySettings extends GatewayLimits {
  /** The origin browsers reach Parley on (PUBLIC_URL); else a handshake's own Host. */
  publicUrl?: string;
}

const DEFAULTS: GatewaySettings = { focusCallsPer10s: DEFAULT_FOCUS_CALLS, memberListSubscribesPer10s: DEFAULT_MEMBER_LIST_SUBSCRIBES, connectionsPerUser: 20, eventsPerMinute: 120, handshakeTimeoutMs: 10_000, heartbeat: { intervalMs: 25_000, timeoutMs: 20_000 } };

/** `memberLists`: this node's member-list service (member-lists/), which sends `members:list`. */
export function attachGateway(httpServer: HttpServer, deps: Deps, log: Logger, memberLists: MemberListHub, settings: GatewaySettings = DEFAULTS): GatewayServer {
  const io: GatewayServer = new Server(httpServer, {
    path: GATEWAY_PATH,
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // A connection that never authenticates is closed (the default leaves it 45 s).
    connectTimeout: settings.handshakeTimeoutMs,
    // Ghost connections (a client that vanished without closing): closed by the heartbeat,
    // and closing drops their presence lease.
    pingInterval: settings.heartbeat.intervalMs,
    pingTimeout: settings.heartbeat.timeoutMs,
    adapter: parleyAdapter(settings.resumeWindowMs ? ResumableAdapter : undefined),
    // The middleware runs for a resumed connection too: its credential is checked again (resume.ts).
    ...(settings.resumeWindowMs ? { connectionStateRecovery: { maxDisconnectionDuration: settings.resumeWindowMs, skipMiddlewares: false } } : {}),
    // Leave other upgrade requests (Next's dev reload socket) to their own handlers.
    destroyUpgrade: false,
  });

  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown })?.token;
    try {
      const fromCookie = typeof token !== "string";
      const { headers } = socket.handshake;
      const credential = fromCookie ? tokenFrom({ cookie: headers.cookie }) : token;
      // Cross-site WebSocket hijacking: a cookie session must come from Parley's own pages.
      const source = { origin: headers.origin, secFetchSite: [headers["sec-fetch-site"]].flat()[0], host: headers.host };
      if (fromCookie && credential && comesFromForeignSite(source, settings.publicUrl)) throw errors.unauthorized();
      const session = await authenticateSession(deps, credential);
      // Counted where leases live (every node): two handshakes at once may both pass at the limit.
      // A resumed session is its user's alone, whoever holds its private id.
      if (socket.recovered && socket.data.actor?.userId !== session.actor.userId) throw errors.unauthorized();
      if ((await deps.presence.liveConnections(session.actor.userId)) >= settings.connectionsPerUser) throw errors.rateLimited(60, "Too many connections for this user.");
      if (socket.recovered) {
        socket.data.resumeOffset = String((socket.handshake.auth as { offset?: unknown }).offset);
        // Its rooms are from when it dropped: a server left meanwhile (kicked, or left in another
        // tab) must not be replayed to it, nor heard afterwards.
        socket.data.resumeServerIds = await deps.metadata.listServerIdsOf(session.actor.userId);
        leaveServersNotIn(socket, socket.data.resumeServerIds);
      }
      socket.data.actor = session.actor;
      socket.data.tokenExpiresAt = session.expiresAt;
      socket.data.sessionId = session.sessionId;
      socket.data.origin = requestOrigin(headers.host, settings.publicUrl);
      next();
    } catch (err) {
      if (!(err instanceof AppError)) log.error({ err }, "gateway handshake failed");
      // The code is the whole message: UNAUTHORIZED for bad credentials, UNAVAILABLE when a
      // store is away (the client should retry, not sign out).
      next(new Error(toAppError(err).code));
    }
  });

  const expiry = new TokenExpiry();
  httpServer.on("close", () => expiry.close());
  // Logout and password changes close the ended sign-ins' connections on this node (every node hears them).
  const stopClosing = deps.sessions.onRevoked((revocation) => closeEndedSessions(io, deps.sessions, revocation));
  httpServer.on("close", stopClosing);
  const handlers = connectionHandlers(deps, log, settings, memberLists, expiry);
  io.on("connection", (socket) => handleConnection(socket, handlers));
  return io;
}

type GatewaySocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * The listeners every connection shares (Socket.IO calls them with the socket as `this`): an
 * idle connection then costs Parley no closures of its own (docs/performance.md, "connections").
 */
function connectionHandlers(deps: Deps, log: Logger, limits: GatewayLimits, memberLists: MemberListHub, expiry: TokenExpiry) {
  const connectionOf = (socket: GatewaySocket) => ({ actor: socket.data.actor, input: { connectionId: socket.id } });
  const budgeted = (listener: (this: GatewaySocket, ...args: unknown[]) => unknown) => withinEventBudget<GatewaySocket>(limits.eventsPerMinute, listener);
  return {
    async disconnect(this: GatewaySocket) {
      gatewayMetrics().connections.dec();
      expiry.forget(this, this.data.tokenExpiresAt);
      if (this.data.memberListCalls) memberLists.unsubscribe(this.id);
      if (!(await this.data.ready)) return;
      // Moved away by a drain: its presence lease stays for the node it resumes on (the same
      // connection id), so the move is no offline-online flicker; the drain ends it if it
      // resumed nowhere (drain.ts).
      if (this.data.resumeKept) return;
      await closeConnection(deps, connectionOf(this)).catch((err) => log.warn({ err }, "presence update on disconnect failed"));
    },
    messageSend: budgeted(
      sharedAckListener<GatewaySocket>("message:send", log, async (socket, payload) => {
        const { message } = await sendMessage(deps, { actor: socket.data.actor, input: payload });
        return { message };
      }),
    ),
    presenceSet: budgeted(sharedAckListener<GatewaySocket>("presence:set", log, (socket, payload) => setPresence(deps, { actor: socket.data.actor, input: payload }))),
    typingStart: budgeted(sharedAckListener<GatewaySocket>("typing:start", log, (socket, payload) => startTyping(deps, { actor: socket.data.actor, input: payload }))),
    channelsFocus: budgeted(focusListener<GatewaySocket>(deps, log, limits.focusCallsPer10s)),
    expiry,
    membersSubscribe: budgeted(memberListListener<GatewaySocket>(deps, log, memberLists, limits.memberListSubscribesPer10s)),
    /** Prepares and sends `ready` (not to a resumed connection); false when it could not (the socket is then disconnected). */
    async open(socket: GatewaySocket, resumed = false): Promise<boolean> {
      const { actor, resumeServerIds } = socket.data;
      socket.data.resumeServerIds = undefined;
      try {
        if (resumed && resumeServerIds) {
          // Its rooms came with its session and servers left while it was away were left before
          // the replay (the handshake): only servers joined meanwhile are joined, and its
          // presence lease is taken over. A resume reads nothing else (a drain moves thousands).
          socket.join(resumeServerIds.map(rooms.server));
          await resumeConnection(deps, connectionOf(socket));
          return true;
        }
        const ready = await openConnection(deps, connectionOf(socket));
        const joined = ready.servers.map((s) => rooms.server(s.id));
        socket.join(joined);
        // A server left while `ready` was being prepared (or, resumed, while the handshake ran)
        // must not stay joined: look again now that the rooms are in place (later leaves reach
        // this socket through its user room).
        const current = new Set(await deps.metadata.listServerIdsOf(actor.userId));
        leaveServersNotIn(socket, current);
        if (!resumed) socket.emit("ready", { ...ready, servers: ready.servers.filter((s) => current.has(s.id)) });
        return true;
      } catch (err) {
        log.error({ err }, "could not prepare ready");
        socket.disconnect(true);
        return false;
      }
    },
  };
}

function handleConnection(socket: GatewaySocket, handlers: ReturnType<typeof connectionHandlers>) {
  const { actor } = socket.data;
  gatewayMetrics().connections.inc();
  sendBroadcastFramesDirectly(socket.client);
  // Join the user room first: a server joined while `ready` is being prepared still reaches us.
  socket.join(rooms.user(actor.userId));
  handlers.expiry.track(socket, socket.data.tokenExpiresAt);
  const data = socket.data;
  const resumed = socket.recovered && replayMissed(socket);
  data.ready = handlers.open(socket, resumed).then((ok) => (data.ready = ok));

  socket.on("disconnect", handlers.disconnect);
  socket.on("message:send", handlers.messageSend);
  socket.on("presence:set", handlers.presenceSet);
  socket.on("typing:start", handlers.typingStart);
  socket.on("channels:focus", handlers.channelsFocus);
  socket.on("members:subscribe", handlers.membersSubscribe);
  // Last: the handshake has been read and every listener is in place.
  lightenConnection(socket);
}

/** What a connection resumed on another node needs of its `data` (kept in Redis as JSON; the handshake sets the rest again). */
export function resumableSessionData(data: SocketData): Pick<SocketData, "actor" | "passive" | "focused"> {
  return { actor: data.actor, passive: data.passive, focused: data.focused };
}

/**
 * A resumed connection: what it missed since its offset, in order, before anything newer
 * (synchronously, at connection). False when the offset left the log: a fresh `ready` then.
 */
function replayMissed(socket: GatewaySocket): boolean {
  const offset = socket.data.resumeOffset;
  socket.data.resumeOffset = undefined;
  const log = socket.nsp.adapter as unknown as MissedEvents;
  const missed = offset === undefined ? undefined : log.missedSince(offset, socket.rooms);
  log.sessionResumed((socket as unknown as { pid: string }).pid);
  if (missed === undefined) return false;
  // Socket.IO's own way of writing a stored packet to a socket (as its recovery does).
  const write = socket as unknown as { packet(packet: { type: number; data: unknown[] }): void };
  for (const data of missed) write.packet({ type: EVENT_PACKET, data });
  return true;
}
