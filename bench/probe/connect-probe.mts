// Where a first connection's CPU goes (issue 11's connect storm): one embedded server in this
// process, N members of one server seeded through the stores, then N sockets connecting 50 at a
// time. Prints CPU ms per connect (client and server together) and the database calls each
// connect makes, and writes a CPU profile of the connect phase to /tmp/connect-phase.cpuprofile
// (summarize it with bench/profile-summary.ts). Run: node --import tsx bench/probe/connect-probe.mts 2000
import { createParleyServer } from "../../server/create-server";
import { io } from "socket.io-client";
const N = Number(process.argv[2] ?? 2000);
const server = await createParleyServer({ port: 0, host: "127.0.0.1", dataDir: "memory://", database: { kind: "pglite", dataDir: "memory://" }, messages: { kind: "database" }, logLevel: "silent", redis: undefined, authSecret: "test-secret-that-is-long-enough-0123456789" });
const { deps } = server;
const ownerId = deps.ids.next();
await deps.metadata.createUser({ id: ownerId, username: "owner", displayName: "owner", passwordHash: "x" });
const guild = await deps.metadata.createServer({ server: { id: deps.ids.next(), name: "big", ownerId }, generalChannel: { id: deps.ids.next(), name: "general" }, joinedAt: new Date() });
const tokens: string[] = [];
for (let i = 0; i < N; i++) {
  const id = deps.ids.next();
  await deps.metadata.createUser({ id, username: `m${i}`, displayName: `m${i}`, passwordHash: "x" });
  await deps.metadata.addMember(guild.id, id, new Date());
  tokens.push(await deps.tokens.sign({ sub: id, sid: id }));
}
console.log("seeded");
const calls: Record<string, number> = {};
for (const [name, target] of [["db", (deps.metadata as any).inner], ["messages", deps.messages]] as const) {
  const proto = Object.getPrototypeOf(target);
  for (const key of Object.getOwnPropertyNames(proto)) {
    const fn = (target as any)[key];
    if (typeof fn !== "function" || key === "constructor") continue;
    (target as any)[key] = function (...args: unknown[]) { calls[`${name}.${key}`] = (calls[`${name}.${key}`] ?? 0) + 1; return fn.apply(this, args); };
  }
}
const { Session } = await import("node:inspector/promises");
const session = new Session(); session.connect();
await session.post("Profiler.enable"); await session.post("Profiler.start");
const cpu0 = process.cpuUsage(); const t0 = performance.now();
const sockets: any[] = [];
for (let i = 0; i < N; i += 50) {
  await Promise.all(tokens.slice(i, i + 50).map((token) => new Promise<void>((resolve, reject) => {
    const s = io(server.url, { path: "/gateway", transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
    sockets.push(s);
    s.once("ready", () => resolve()); s.once("connect_error", reject);
  })));
}
const cpu = process.cpuUsage(cpu0);
const { profile } = await session.post("Profiler.stop");
(await import("node:fs")).writeFileSync("/tmp/connect-phase.cpuprofile", JSON.stringify(profile));
console.log(Object.fromEntries(Object.entries(calls).map(([k, v]) => [k, +(v / N).toFixed(2)])));
console.log({ N, ms: Math.round(performance.now() - t0), cpuMsPerConnect: +((cpu.user + cpu.system) / 1000 / N).toFixed(2) });
for (const s of sockets) s.close();
await server.close();
process.exit(0);
