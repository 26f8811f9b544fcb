// createParleyServer: one HTTP server that serves Next (UI + REST), the Socket.IO gateway at
// /gateway, /api/health and /metrics. Tests start it on port 0 and close it.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { configureLibraries } from "../lib/config/env";
import type { Deps } from "../lib/deps";
import { createLogger, type Logger } from "../lib/logger";
import { setRuntime } from "../lib/runtime";
import { buildDeps } from "./build-deps";
import { resolveConfig, type ParleyConfig, type ParleyServerOptions } from "./config";
import { loadOrCreateSecret, lockDataDir } from "./data-dir";
import { attachGateway, type GatewayServer } from "./gateway/gateway";
import { RoomEventBus } from "./gateway/room-event-bus";
import { applyCachePolicy } from "./http/cache-policy";
import { serveHealth } from "./http/health";
import { serveMetrics } from "./http/metrics-endpoint";
import { gatewayMetrics } from "./metrics";

export interface ParleyServer {
  url: string;
  port: number;
  config: ParleyConfig;
  deps: Deps;
  io: GatewayServer;
  log: Logger;
  close(): Promise<void>;
}

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function createParleyServer(options: ParleyServerOptions = {}): Promise<ParleyServer> {
  const config = resolveConfig(options);
  const log = createLogger(config.logLevel);
  const releaseLock = config.database.kind === "pglite" ? lockDataDir(config.dataDir) : () => {};
  const cleanups: Array<() => Promise<void> | void> = [releaseLock];
  try {
    const authSecret = config.authSecret ?? loadOrCreateSecret(config.dataDir);
    const built = await buildDeps(config, authSecret);
    cleanups.unshift(() => built.close());
    const { deps } = built;

    let nextHandler: NextHandler | undefined;
    const httpServer = http.createServer((req, res) => {
      res.on("finish", () => gatewayMetrics().httpRequests.inc({ status: `${Math.floor(res.statusCode / 100)}xx` }));
      void serve(req, res, deps, nextHandler, log);
    });
    // Attach after the request listener: Socket.IO routes /gateway itself and passes the rest on.
    const io = attachGateway(httpServer, deps, log);
    built.setEvents(new RoomEventBus(io, log));
    setRuntime({ deps, log, authSecret, secureCookies: config.publicUrl?.startsWith("https://") ?? false });
    configureLibraries(config.publicUrl);

    const port = await listen(httpServer, config.port, config.host);
    cleanups.unshift(() => closeHttp(io, httpServer));
    const nextApp = next({ dev: config.dev, dir: config.projectDir, hostname: config.host, port });
    await nextApp.prepare();
    cleanups.unshift(() => nextApp.close?.());
    nextHandler = nextApp.getRequestHandler() as NextHandler;

    const hostForUrl = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
    const url = `http://${hostForUrl.includes(":") ? `[${hostForUrl}]` : hostForUrl}:${port}`;
    log.info({ url, database: config.database.kind, dev: config.dev }, "Parley is listening");
    return {
      url,
      port,
      config,
      deps,
      io,
      log,
      close: () => runCleanups(cleanups, log),
    };
  } catch (err) {
    await runCleanups(cleanups, log);
    throw err;
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: Deps, nextHandler: NextHandler | undefined, log: Logger) {
  try {
    const path = (req.url ?? "/").split("?")[0];
    // Not healthy until the app can answer /api/v1: a balancer must not route to a starting node.
    if (path === "/api/health") return await serveHealth(deps, res, { app: nextHandler ? "ok" : "failing: starting" });
    if (path === "/metrics") return await serveMetrics(res);
    if (!nextHandler) {
      res.writeHead(503, { "content-type": "application/json", "retry-after": "1" });
      res.end(JSON.stringify({ error: { code: "UNAVAILABLE", message: "Parley is starting." } }));
      return;
    }
    applyCachePolicy(path ?? "/", res);
    await nextHandler(req, res);
  } catch (err) {
    log.error({ err }, "request failed");
    if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "INTERNAL", message: "Something went wrong on our side." } }));
  }
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

async function closeHttp(io: GatewayServer, server: http.Server): Promise<void> {
  await new Promise<void>((resolve) => {
    io.close(() => resolve());
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
