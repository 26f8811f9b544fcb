// The benchmark harness cannot rot: every scenario runs at a tiny size against the real
// production build and the bare ws baseline, and every message is accounted for. Timings are
// printed by the harness but never asserted here.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runBench, type BenchResults } from "../../bench/bench";
import { DEFAULTS, parseOptions, type BenchOptions } from "../../bench/lib/options";
import { stopEverything } from "../../bench/lib/processes";
import type { FanoutFigures, HotFigures } from "../../bench/scenarios/fanout";

const out = mkdtempSync(path.join(tmpdir(), "parley-bench-smoke-"));
let results: BenchResults;

const tiny: BenchOptions = {
  ...DEFAULTS,
  scenarios: ["seed-day", "hot-channel", "connections", "history", "passive", "big-server"],
  users: 24,
  serverSize: 8,
  rate: 12,
  duration: 2,
  hotMembers: 8,
  hotConnectionsPerMember: 2,
  hotStartRate: 4,
  hotStep: 1,
  hotMaxSteps: 2,
  // Never stop on latency: a busy CI machine must not change what is asserted.
  hotP99Ms: 60_000,
  connections: 30,
  hold: 1,
  historyMessages: 60,
  historyRate: 40,
  historyDuration: 1.5,
  passiveMembers: 6,
  passiveTabs: 2,
  passiveShare: 0.25,
  passiveRate: 4,
  passiveDuration: 3,
  // Just above 250 members: a large server.
  bigMembers: 260,
  bigWatchers: 4,
  bigChangeShare: 0.02,
  bigDuration: 2,
  reuseServer: true,
  out,
};

beforeAll(async () => {
  if (!existsSync(path.resolve(import.meta.dirname, "../../dist/server.js"))) {
    throw new Error("dist/server.js is missing: run `node scripts/ensure-build.mjs` first");
  }
  results = await runBench(tiny);
}, 300_000);

afterAll(async () => {
  await stopEverything();
  rmSync(out, { recursive: true, force: true });
});

function expectComplete(f: FanoutFigures | undefined, members: number) {
  expect(f).toBeDefined();
  expect(f!.connect.failed).toBe(0);
  expect(f!.messages.attempted).toBeGreaterThan(0);
  expect(f!.messages.acked).toBe(f!.messages.attempted);
  expect(f!.deliveries).toBe(f!.messages.acked * members);
  expect(f!.missing).toBe(0);
  expect(f!.duplicates).toBe(0);
  expect(f!.unacknowledgedDelivered).toBe(0);
  expect(f!.latency.count).toBe(f!.deliveries);
}

function expectAllStepsComplete(h: HotFigures | undefined) {
  expect(h).toBeDefined();
  expect(h!.connect.failed).toBe(0);
  expect(h!.steps).toHaveLength(tiny.hotMaxSteps);
  for (const step of h!.steps) {
    expect(step.acked).toBeGreaterThan(0);
    expect(step.failed).toBe(0);
    expect(step.missing).toBe(0);
    expect(step.duplicates).toBe(0);
  }
}

test("seed-day delivers every acknowledged message, sent over REST and the gateway, to every member exactly once", () => {
  expectComplete(results.seedDay?.parley, tiny.serverSize);
});

test("the bare ws baseline runs the same seed-day pattern and loses nothing", () => {
  expectComplete(results.seedDay?.baseline, tiny.serverSize);
});

test("hot-channel steps up the rate and accounts for every delivery at each step, on Parley and on the baseline", () => {
  expectAllStepsComplete(results.hotChannel?.parley);
  expectAllStepsComplete(results.hotChannel?.baseline);
  expect(results.hotChannel!.parley!.steps[1]!.rate).toBeGreaterThan(results.hotChannel!.parley!.steps[0]!.rate);
});

test("connections are all opened and all still alive after the hold", () => {
  const c = results.connections!;
  expect(c.opened).toBe(tiny.connections);
  expect(c.aliveAtEnd).toBe(tiny.connections);
  expect(c.closedDuringHold).toBe(0);
  expect(c.serverConnectionsAtEnd).toBeGreaterThanOrEqual(tiny.connections);
});

test("history reads newest and deep pages, every page full and newest first", () => {
  const h = results.history!;
  expect(h.failures).toEqual({});
  expect(h.badPages).toBe(0);
  expect(h.newest.count).toBeGreaterThan(0);
  expect(h.deep.count).toBeGreaterThan(0);
});

test("passive: both runs on one population; every focusing connection gets every message once, the others only coalesced channel:activity", () => {
  const p = results.passive!;
  const connections = tiny.passiveMembers * tiny.passiveTabs;
  expect(p.connect.failed).toBe(0);
  expect(p.connections).toBe(connections);
  // A: nobody focuses, everyone gets everything.
  expect(p.everyone.messages.acked).toBeGreaterThan(0);
  expect(p.everyone.messages.acked).toBe(p.everyone.messages.attempted);
  expect(p.everyone.deliveries).toBe(p.everyone.messages.acked * connections);
  expect(p.everyone.activityFrames).toBe(0);
  expect([p.everyone.missing, p.everyone.duplicates]).toEqual([0, 0]);
  // B: an evenly spread quarter focuses the busy channel.
  expect(p.focus).toMatchObject({ busy: 3, quiet: 9, failed: 0 });
  expect(p.focused.messages.acked).toBe(p.focused.messages.attempted);
  expect(p.focused.deliveries).toBe(p.focused.messages.acked * p.focus.busy);
  expect(p.checks.focusingComplete).toBe(p.focus.busy);
  expect(p.checks.othersMessages).toBe(0);
  expect(p.checks.focusingActivityFrames).toBe(0);
  expect(p.focused.activityFrames).toBeGreaterThanOrEqual(p.focus.quiet); // each of them heard of the busy channel
  expect(p.checks.maxActivityPerConnection).toBeLessThanOrEqual(p.checks.allowedActivityPerConnection);
  expect(p.checks.shortGaps).toBe(0);
  expect(p.passed).toBe(true);
  expect(Number.isFinite(p.cpuPerMessageRatio)).toBe(true);
});

test("big-server: every member online; in a large server only watchers holding a member's row hear its status, and their copies equal a fresh SYNC", () => {
  const b = results.bigServer!;
  expect(b.connect).toMatchObject({ opened: tiny.bigMembers, failed: 0 });
  expect(b.storm.presence + b.storm.memberAdd + b.storm.memberRemove + b.storm.list).toBe(0);
  expect(b.sync).toMatchObject({ supported: true, acked: tiny.bigWatchers, refused: 0, count: tiny.bigWatchers });
  expect(b.status.attempted).toBeGreaterThan(0);
  expect(b.status.acked).toBe(b.status.attempted);
  expect(b.status.member.presence).toBe(0);
  expect(b.status.holdingPairs).toBeGreaterThan(0);
  expect(b.status.watcher.presence).toBeLessThanOrEqual(b.status.holdingPairs);
  expect(b.copies).toMatchObject({ checked: 2, matched: 2 });
  expect(b.aliveAtEnd).toBe(tiny.bigMembers + tiny.bigWatchers);
});

// rolling-restart runs on a cluster of its own (PostgreSQL + Redis): where they are, at a tiny size.
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const postgresUrl = process.env.DATABASE_URL ? undefined : "postgres://postgres@127.0.0.1:5432/postgres";
const serverUrl = process.env.DATABASE_URL ?? postgresUrl!;

async function reachable(): Promise<boolean> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null });
  redis.on("error", () => {});
  const db = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 1_000 });
  try {
    await redis.connect();
    await db.connect();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
    await db.end().catch(() => {});
  }
}

const services = await reachable();
describe.skipIf(!services)("rolling-restart (needs PostgreSQL and Redis)", () => {
  let rolling: BenchResults;
  beforeAll(async () => {
    rolling = await runBench({ ...tiny, scenarios: ["rolling-restart"], rollingConnections: 40, serverSize: 10, rate: 12, rollingSteady: 2, redisUrl, postgresUrl: process.env.DATABASE_URL ?? postgresUrl });
  }, 300_000);

  test("each gateway drains and comes back; every acknowledged message is stored and reaches every member once, live, replayed or from history", () => {
    const r = rolling.rollingRestart!;
    expect(r.connect).toMatchObject({ opened: 40, failed: 0 });
    expect(r.restarts.map((g) => [g.exit, g.allBack])).toEqual([
      [0, true],
      [0, true],
    ]);
    expect(r.restarts.every((g) => Number.isFinite(g.backInDirectoryMs))).toBe(true);
    expect(r.messages.acked).toBeGreaterThan(0);
    expect([r.notStored, r.missingDeliveries, r.duplicates]).toEqual([0, 0, 0]);
    // Every connection moved (the second drain takes everyone) and came back one way or the other.
    expect(r.clients.connectionsMoved).toBe(40);
    expect(r.clients.resumed + r.clients.fresh).toBe(r.clients.notices + r.clients.drops);
    expect(r.clients.anomalies).toEqual({});
    expect(r.clients.gaveUp).toBe(0);
    // A fresh `ready` is followed by one gap fill; a resume by none.
    expect(r.clients.historyConnections).toBe(r.clients.fresh);
    expect(rolling.files).toHaveLength(1);
  });
});

test("every scenario wrote its JSON result", () => {
  expect(results.files).toHaveLength(6);
  for (const file of results.files) expect(existsSync(file)).toBe(true);
});

test("flags select scenarios and sizes, and bad ones are refused", () => {
  const all = parseOptions(["--scenario", "all", "--users", "300", "--no-baseline"]);
  expect(all.scenarios).toEqual(["seed-day", "hot-channel", "connections", "history", "passive", "big-server", "baseline"]);
  expect(parseOptions([]).scenarios).toEqual(["seed-day", "hot-channel", "connections", "history", "passive", "baseline"]);
  expect(all.users).toBe(300);
  expect(all.baseline).toBe(false);
  expect(parseOptions(["--scenario", "history,connections"]).scenarios).toEqual(["history", "connections"]);
  expect(() => parseOptions(["--scenario", "nope"])).toThrow(/unknown scenario/);
  expect(() => parseOptions(["--users", "0"])).toThrow(/--users/);
  const passive = parseOptions(["--scenario", "passive", "--passive-members", "50", "--passive-tabs", "4", "--passive-share", "0.2", "--passive-rate", "3", "--passive-duration", "5"]);
  expect(passive).toMatchObject({ scenarios: ["passive"], passiveMembers: 50, passiveTabs: 4, passiveShare: 0.2, passiveRate: 3, passiveDuration: 5 });
  expect(() => parseOptions(["--passive-share", "2"])).toThrow(/--passive-share/);
  expect(parseOptions(["--scenario", "rolling-restart", "--rolling-connections", "500", "--rolling-steady", "10"])).toMatchObject({
    scenarios: ["rolling-restart"],
    rollingConnections: 500,
    rollingSteady: 10,
  });
});
