// The server side of the connection-memory probe (bench/probe-connection-memory.ts), forked
// with --expose-gc. It serves one of three targets on 127.0.0.1 and answers its parent's
// commands over IPC: "measure" (memory after full GCs), "snapshot" (a heap snapshot),
// "broadcast" (server CPU for a bounded fan-out), "close".
//   bare-ws   a ws server on /gateway that keeps its sockets in a Set (the floor)
//   bare-sio  Socket.IO with Parley's options, a user room per socket, `ready` on connect
//   parley    createParleyServer as a gateway node (PostgreSQL + Redis from the environment)
import http from "node:http";
import type { AddressInfo } from "node:net";
import v8 from "node:v8";

type Target = "bare-ws" | "bare-sio" | "parley";
const target = (process.env.PROBE_TARGET ?? "bare-sio") as Target;
const engine = process.env.PROBE_ENGINE ?? "ws";

interface Probe {
  port: number;
  connections(): number;
  /** Sends `count` broadcasts of `payload` to every socket; resolves when written. */
  broadcast(count: number, payload: string): Promise<void>;
  close(): Promise<void>;
}

async function wsEngineOption(): Promise<unknown> {
  if (engine === "ws") return undefined;
  if (engine === "eiows") {
    // A CommonJS module whose exports the ESM loader cannot see by name.
    // Not a dependency of Parley (docs/performance.md says why): installed by hand to measure it.
    const specifier = "eiows";
    const eiows = (await import(specifier)) as { Server?: unknown; default?: { Server?: unknown } };
    const server = eiows.Server ?? eiows.default?.Server;
    if (typeof server !== "function") throw new Error("eiows has no Server export");
    return server;
  }
  throw new Error(`unknown PROBE_ENGINE ${engine}`);
}

async function startBareWs(): Promise<Probe> {
  const { WebSocketServer } = await import("ws");
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, path: "/gateway/", perMessageDeflate: false, maxPayload: 64 * 1024 });
  const sockets = new Set<import("ws").WebSocket>();
  wss.on("connection", (ws) => {
    sockets.add(ws);
    // The load client speaks Socket.IO: answer its open and connect like engine.io would.
    ws.send('0{"sid":"x","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":65536}');
    ws.on("message", (data) => {
      const text = data.toString();
      if (text.startsWith("40")) ws.send('40{"sid":"y"}'), ws.send('42["ready",{}]');
    });
    ws.on("close", () => sockets.delete(ws));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => sockets.size,
    async broadcast(count, payload) {
      const frame = `42["message:create",${payload}]`;
      for (let i = 0; i < count; i++) for (const ws of sockets) ws.send(frame);
    },
    close: () => new Promise((r) => (wss.close(), server.close(() => r()), server.closeAllConnections())),
  };
}

async function startBareSio(): Promise<Probe> {
  const { Server } = await import("socket.io");
  const { parleyAdapter } = await import("../../server/gateway/adapter");
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const wsEngine = await wsEngineOption();
  // The options Parley's gateway uses (server/gateway/gateway.ts).
  const io = new Server(server, {
    path: "/gateway",
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    adapter: parleyAdapter(),
    destroyUpgrade: false,
    ...(wsEngine ? { wsEngine } : {}),
  } as ConstructorParameters<typeof Server>[1]);
  io.use((socket, next) => {
    socket.data.user = String((socket.handshake.auth as { token?: string }).token ?? "anonymous");
    next();
  });
  // PROBE_TRIM applies server/gateway/connection-footprint.ts's steps to the bare server too.
  const trims = new Set((process.env.PROBE_TRIM ?? "").split(",").filter(Boolean));
  const footprint = await import("../../server/gateway/connection-footprint");
  const { sendBroadcastFramesDirectly } = await import("../../server/gateway/direct-frames");
  let notDropped = 0;
  process.on("exit", () => notDropped > 0 && console.warn(`the upgrade request of ${notDropped} sockets could not be dropped`));
  io.on("connection", (socket) => {
    socket.join(`user:${socket.data.user}`);
    if (trims.has("idroom")) socket.leave(socket.id);
    // Parley's broadcast fast path (server/gateway/direct-frames.ts), for CPU comparisons.
    if (trims.has("direct")) sendBroadcastFramesDirectly(socket.client);
    socket.emit("ready", {});
    if (trims.has("request") && !footprint.dropUpgradeRequest(socket)) notDropped++;
    if (trims.has("handshake")) footprint.slimHandshake(socket);
    if (trims.has("events")) footprint.compactConnectionListeners(socket);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  console.log(`bare-sio: WebSocket engine ${(io.engine as unknown as { ws: object }).ws.constructor.name} (${engine})`);
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => io.of("/").sockets.size,
    async broadcast(count, payload) {
      const value = JSON.parse(payload);
      for (let i = 0; i < count; i++) io.emit("message:create", value);
    },
    close: () => new Promise((r) => io.close(() => r())),
  };
}

async function startParley(): Promise<Probe> {
  const { createParleyServer } = await import("../../server/create-server");
  const parley = await createParleyServer({
    role: "gateway",
    port: 0,
    host: "127.0.0.1",
    logLevel: "warn",
    production: true,
    workerId: Number(process.env.WORKER_ID ?? 1),
  });
  const io = parley.io!;
  return {
    port: parley.port,
    connections: () => io.of("/").sockets.size,
    async broadcast(count, payload) {
      const value = JSON.parse(payload);
      for (let i = 0; i < count; i++) io.local.emit("message:create", value);
    },
    close: () => parley.close(),
  };
}

async function fullGc(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  // Several rounds, with turns of the event loop between them for weak callbacks and finalizers.
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
}

async function drainWrites(): Promise<void> {
  await new Promise((r) => setTimeout(r, 50));
}

type Command =
  | { op: "measure" }
  | { op: "snapshot"; file: string }
  | { op: "broadcast"; count: number; payload: string }
  | { op: "close" };

async function main() {
  const probe = target === "bare-ws" ? await startBareWs() : target === "bare-sio" ? await startBareSio() : await startParley();
  const answer = (id: number, result: unknown) => process.send!({ id, ok: true, result });
  process.on("message", async ({ id, command }: { id: number; command: Command }) => {
    try {
      switch (command.op) {
        case "measure": {
          const rssBeforeGc = process.memoryUsage.rss();
          await fullGc();
          const m = process.memoryUsage();
          const h = v8.getHeapStatistics();
          const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((sp) => [sp.space_name, sp.physical_space_size]));
          answer(id, { ...m, rssBeforeGc, connections: probe.connections(), mallocedMemory: h.malloced_memory, totalPhysicalSize: h.total_physical_size, spaces });
          return;
        }
        case "snapshot":
          await fullGc();
          answer(id, { file: v8.writeHeapSnapshot(command.file) });
          return;
        case "broadcast": {
          // No GC here: its concurrent threads would be counted in process.cpuUsage().
          const cpu = process.cpuUsage();
          const t = performance.now();
          for (let i = 0; i < command.count; i++) {
            await probe.broadcast(1, command.payload);
            await new Promise((r) => setImmediate(r)); // let the writes complete between broadcasts
          }
          await drainWrites();
          const used = process.cpuUsage(cpu);
          answer(id, { cpuMicros: used.user + used.system, wallMs: performance.now() - t - 50, connections: probe.connections() });
          return;
        }
        case "close":
          await probe.close();
          answer(id, {});
          setTimeout(() => process.exit(0), 100);
          return;
      }
    } catch (err) {
      process.send!({ id, ok: false, error: String((err as Error).stack ?? err) });
    }
  });
  process.on("disconnect", () => process.exit(0));
  // Which of ws's optional native add-ons this process loaded (ws requires them when it loads).
  const { createRequire } = await import("node:module");
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\/(bufferutil|utf-8-validate)\//.test(f));
  if (loaded.length) console.log(`ws add-ons loaded: ${[...new Set(loaded.map((f) => /(bufferutil|utf-8-validate)/.exec(f)![1]))].join(", ")}`);
  process.send!({ id: -1, ok: true, result: { port: probe.port, target, engine } });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
