// createParleyServer: one HTTP server that serves Next (UI + REST), the Socket.IO gateway at
// /gateway, /api/health and /metrics. Tests start it on port 0 and close it.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import next from "next";
import { configureLibraries } from "../lib/config/env";
import { assetPrefixFor } from "../lib/config/asset-prefix";
import { CLIENT_IP_HEADER, clientIpFrom } from "../lib/http/client-ip";
import type { Deps } from "../lib/deps";
import { createLogger, type Logger } from "../lib/logger";
import { setRuntime } from "../lib/runtime";
import { buildDeps } from "./build-deps";
import { resolveConfig, type ParleyConfig, type ParleyServerOptions } from "./config";
import { lockDataDir, preparePrivateDataDir } from "./data-dir";
import { usePrivateUmask } from "./files";
import { startBackgroundReseal } from "./reencrypt/background";
import { loadOrCreateAuthSecret, loadOrCreateKeyRing } from "./secrets";
import { gatewayActivity } from "./gateway/channel-activity";
import { gatewayPresence } from "./gateway/presence-announcements";
import { attachGateway, GATEWAY_PATH, resumableSessionData, type GatewayServer, type SocketData } from "./gateway/gateway";
import { announcedUrlOf, startDirectoryAnnouncer, type DirectoryAnnouncer } from "./gateway/directory-announcer";
import { drainGateway } from "./gateway/drain";
import { createMemberListHub } from "./gateway/member-list-gateway";
import { startPresenceKeeper } from "./gateway/presence-keeper";
import { createRemoteRoomTarget, useRedisAdapter } from "./gateway/redis-fanout";
import { RoomEventBus } from "./gateway/room-event-bus";
import { applyCachePolicy } from "./http/cache-policy";
import { closeSilentConnections } from "./http/idle-connections";
import { serveHealth } from "./http/health";
import { serveHotRoute } from "./http/hot-routes";
import { hasMalformedEncoding, refuseMalformedPath } from "./http/malformed-paths";
import { serveMetrics } from "./http/metrics-endpoint";
import { applyApiSecurityHeaders, applyPageSecurityHeaders, type SecurityHeaderOptions } from "./http/security-headers";
import { gatewayMetrics } from "./metrics";

export interface ParleyServer {
  url: string;
  port: number;
  config: ParleyConfig;
  deps: Deps;
  /** Absent on api nodes, which hold no sockets. */
  io?: GatewayServer;
  log: Logger;
  /** SIGTERM: leave the gateway directory, move this node's connections elsewhere, close them (≤ 10 s). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function createParleyServer(options: ParleyServerOptions = {}): Promise<ParleyServer> {
  usePrivateUmask();
  const config = resolveConfig(options);
  const log = createLogger(config.logLevel);
  const embedded = config.database.kind === "pglite";
  if (embedded) {
    const tightened = preparePrivateDataDir(config.dataDir);
    if (tightened > 0) log.info({ dataDir: config.dataDir, files: tightened }, "took group and other permissions off files in the data dir");
  }
  // PGlite writes a few files of its own mode (pg_internal.init, 0644): tightened again once it
  // is open and after it closed, so the data dir at rest holds nothing group or others may read.
  const releaseLock = embedded ? lockDataDir(config.dataDir) : () => {};
  const releaseDataDir = () => {
    if (embedded) preparePrivateDataDir(config.dataDir);
    releaseLock();
  };
  const cleanups: Array<() => Promise<void> | void> = [releaseDataDir];
  try {
    const authSecret = config.authSecret ?? loadOrCreateAuthSecret(config.secretsDir, config.dataDir, log);
    const keyRing = config.messageKeys ?? loadOrCreateKeyRing(config.secretsDir, log);
    if (config.messageKeys) log.info({ source: "MESSAGE_KEYS", writeKey: keyRing.write.id, keys: keyRing.ids().length }, "message key ring");
    const built = await buildDeps(config, authSecret, log, keyRing);
    cleanups.unshift(() => built.close());
    if (embedded) preparePrivateDataDir(config.dataDir);
    // The embedded database has one process, so it seals its own old rows (legacy plain text,
    // older keys) in the background; elsewhere `npm run reencrypt` does it.
    if (built.resealer) cleanups.unshift(startBackgroundReseal(built.resealer, keyRing, config.secretsDir, log));
    const { deps } = built;
    const servesApp = config.role !== "gateway";

    let nextHandler: NextHandler | undefined;
    const security = securityHeaderOptions(config);
    // A request head must arrive within the handshake timeout, and a whole request within 30 s.
    const timeouts = { headersTimeout: config.handshakeTimeoutMs, requestTimeout: Math.max(30_000, config.handshakeTimeoutMs), connectionsCheckingInterval: Math.min(2_000, config.handshakeTimeoutMs) };
    const httpServer = http.createServer(timeouts, (req, res) => {
      res.on("finish", () => gatewayMetrics().httpRequests.inc({ status: `${Math.floor(res.statusCode / 100)}xx` }));
      // Not healthy until the app can answer /api/v1: a balancer must not route to a starting node.
      const known: Record<string, string> = servesApp ? { app: nextHandler ? "ok" : "failing: starting" } : {};
      // Worked out here, once: route handlers read it from this header, never from the client's.
      req.headers[CLIENT_IP_HEADER] = clientIpFrom(req.socket.remoteAddress, [req.headers["x-forwarded-for"]].flat()[0], config.trustProxyHops);
      void serve(req, res, { healthChecks: built.healthChecks, known, nextHandler, servesApp, metricsToken: config.metricsToken, security }, log);
    });
    // Attach after the request listener: Socket.IO routes /gateway itself and passes the rest on.
    const memberLists = config.role === "api" ? undefined : createMemberListHub(deps, log);
    const io = memberLists ? attachGateway(httpServer, deps, log, memberLists.hub, { focusCallsPer10s: config.focusCallsPer10s, memberListSubscribesPer10s: config.memberListSubscribesPer10s, connectionsPerUser: config.connectionsPerUser, eventsPerMinute: config.limits.gatewayEventsPerMinute, handshakeTimeoutMs: config.handshakeTimeoutMs, heartbeat: config.heartbeat, resumeWindowMs: config.redis?.sharded ? 0 : config.resumeWindowMs, publicUrl: config.publicUrl }) : undefined;
    // After the gateway: Socket.IO wraps the request listeners it finds, and /gateway's polling requests must clear the timeout too.
    closeSilentConnections(httpServer, config.handshakeTimeoutMs);
    if (io && memberLists) {
      if (config.redis) cleanups.unshift(useRedisAdapter(io, config.redis, log, { windowMs: config.resumeWindowMs, sessionData: (data) => resumableSessionData(data as SocketData) }));
      const shared = Boolean(config.redis);
      const activity = gatewayActivity(io, { shared, log });
      const presence = gatewayPresence(io, { shared, log });
      memberLists.output.io = io;
      memberLists.output.presenceNote = presence.noteLocal;
      await memberLists.hub.start();
      cleanups.unshift(() => activity.close(), () => presence.close(), () => memberLists.hub.close());
      built.setEvents(new RoomEventBus(io, log, { activity: activity.sink, presence: presence.sink }));
      cleanups.unshift(startPresenceKeeper(io, deps, config.presenceLeaseMs, log));
    } else {
      refuseGatewayUpgrades(httpServer);
      const remote = createRemoteRoomTarget(config.redis!, log, config.resumeWindowMs);
      built.setEvents(new RoomEventBus(remote.target, log, remote.sinks));
      cleanups.unshift(() => remote.close());
    }
    setRuntime({ deps, log, authSecret, secureCookies: config.publicUrl?.startsWith("https://") ?? false, publicUrl: config.publicUrl });
    configureLibraries(config.publicUrl);

    const port = await listen(httpServer, config.port, config.host);
    cleanups.unshift(() => closeHttp(io, httpServer));
    if (servesApp) {
      const nextApp = next({ dev: config.dev, dir: config.projectDir, hostname: config.host, port });
      await nextApp.prepare();
      cleanups.unshift(() => nextApp.close?.());
      nextHandler = nextApp.getRequestHandler() as NextHandler;
    }

    const hostForUrl = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const url = `http://${hostForUrl.includes(":") ? `[${hostForUrl}]` : hostForUrl}:${port}`;
    let announcer: DirectoryAnnouncer | undefined;
    if (io) {
      announcer = startDirectoryAnnouncer(deps.gateways, announcedUrlOf(config, url), config.directoryLeaseMs, log);
      // Another machine's node on the same port would announce the same URL, and clients elsewhere cannot use it.
      if (config.role === "gateway" && !config.gatewayPublicUrl) log.warn({ url: announcer.url }, "GATEWAY_PUBLIC_URL is not set: the directory names this node by its local address");
      cleanups.unshift(() => announcer!.leave());
    }
    log.info({ url, role: config.role, gateway: announcer?.url, database: config.database.kind, messages: config.messages.kind, redis: Boolean(config.redis), dev: config.dev }, "Parley is listening");
    const drain = async () => {
      if (io && announcer) await drainGateway(io, deps, announcer, log);
    };
    return { url, port, config, deps, io, log, drain, close: () => runCleanups(cleanups, log) };
  } catch (err) {
    await runCleanups(cleanups, log);
    throw err;
  }
}

interface Routes {
  healthChecks: Record<string, () => Promise<void>>;
  known: Record<string, string>;
  nextHandler: NextHandler | undefined;
  servesApp: boolean;
  metricsToken: string | undefined;
  security: SecurityHeaderOptions;
}

function securityHeaderOptions(config: ParleyConfig): SecurityHeaderOptions {
  const prefix = assetPrefixFor(config.dev ? "phase-development-server" : "phase-production-server", config.projectDir);
  return { assetOrigin: prefix ? new URL(prefix).origin : undefined, https: config.publicUrl?.startsWith("https://") ?? false, dev: config.dev };
}

async function serve(req: IncomingMessage, res: ServerResponse, routes: Routes, log: Logger) {
  try {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    applyApiSecurityHeaders(res, routes.security);
    if (path === "/api/health") return await serveHealth(routes.healthChecks, res, routes.known, log);
    if (path === "/metrics") return await serveMetrics(req, res, routes.metricsToken);
    if (path.startsWith("/api/") && hasMalformedEncoding(path)) return refuseMalformedPath(res);
    if (routes.servesApp && (await serveHotRoute(req, res, path))) return;
    if (!routes.nextHandler) {
      const [status, code, message] = routes.servesApp ? [503, "UNAVAILABLE", "Parley is starting."] : [404, "NOT_FOUND", "This node only serves the gateway."];
      res.writeHead(status as number, { "content-type": "application/json", ...(status === 503 ? { "retry-after": "1" } : {}) });
      res.end(JSON.stringify({ error: { code, message } }));
      return;
    }
    applyCachePolicy(path, res);
    if (!path.startsWith("/api/") && !path.startsWith("/_next/static/")) applyPageSecurityHeaders(req, res, routes.security);
    await routes.nextHandler(req, res);
  } catch (err) {
    log.error({ err }, "request failed");
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }));
  }
}

/**
 * API nodes hold no sockets. A WebSocket aimed at /gateway gets a 404 at once: left alone, it
 * would hang until the client gives up (Next's own upgrade listener ignores paths it does not
 * know, without closing them).
 */
function refuseGatewayUpgrades(server: http.Server) {
  server.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
    if (!(req.url ?? "").startsWith(GATEWAY_PATH)) return;
    const body = JSON.stringify({ error: { code: "NOT_FOUND", message: "This node serves no gateway: connect to a gateway node." } });
    socket.on("error", () => {});
    socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function closeHttp(io: GatewayServer | undefined, server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    if (io) io.close(() => resolve());
    else server.close(() => resolve());
    server.closeAllConnections();
  });
  // Disconnect handlers update presence asynchronously; let them finish before stores close.
  await new Promise((r) => setTimeout(r, 50));
}

async function runCleanups(cleanups: Array<() => Promise<void> | void>, log: Logger) {
  for (const cleanup of cleanups.splice(0)) {
    try {
      await cleanup();
    } catch (err) {
      log.warn({ err }, "cleanup step failed");
    }
  }
  setRuntime(undefined);
}
