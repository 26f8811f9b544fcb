// The benchmark's flags (see docs/performance.md): scenario sizes, rates, durations, modes.
import { parseArgs } from "node:util";

export const SCENARIOS = ["seed-day", "hot-channel", "connections", "history", "passive", "big-server", "rolling-restart", "baseline"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface BenchOptions {
  scenarios: Scenario[];
  /** seed-day: users (all online), members per server, messages per second, seconds. */
  users: number;
  serverSize: number;
  rate: number;
  duration: number;
  /** Share of sends over REST (the rest over the gateway). */
  restShare: number;
  contentLength: number;
  /** hot-channel: members, first rate, growth per step, seconds per step, step cap, p99 limit (ms). */
  hotMembers: number;
  /** hot-channel: gateway connections per member (tabs); connections = members x this. */
  hotConnectionsPerMember: number;
  hotStartRate: number;
  hotGrowth: number;
  hotStep: number;
  hotMaxSteps: number;
  hotP99Ms: number;
  /** connections: how many, and how long to hold them (s). */
  connections: number;
  /** connections: gateway connections per registered user (1 = every connection its own user). */
  connectionTabs: number;
  hold: number;
  /** history: stored messages, target requests per second, seconds. */
  historyMessages: number;
  historyRate: number;
  historyDuration: number;
  /** passive: members of the one server, connections (tabs) each, share focusing the busy channel, msg/s, seconds per run. */
  passiveMembers: number;
  passiveTabs: number;
  passiveShare: number;
  passiveRate: number;
  passiveDuration: number;
  /** big-server: members of the one server (one connection each), watchers, share changing status per second, seconds, connects in flight per client process. */
  bigMembers: number;
  bigWatchers: number;
  bigChangeShare: number;
  bigDuration: number;
  /** big-server: half the status changes go to invisible and back (rows move between groups). */
  bigInvisible: boolean;
  bigConnectConcurrency: number;
  /** rolling-restart: connections (one user each, in servers of serverSize), seconds of steady sending before the restarts. */
  rollingConnections: number;
  rollingSteady: number;
  workers: number;
  baseline: boolean;
  /** One Parley and one baseline process for the whole run, no restart after seeding (quicker, less clean). */
  reuseServer: boolean;
  nodes: number;
  redisUrl?: string;
  cassandra?: string;
  postgresUrl?: string;
  cpuProfDir?: string;
  out?: string;
}

export const DEFAULTS: BenchOptions = {
  scenarios: ["seed-day", "hot-channel", "connections", "history", "passive"],
  users: 2_000,
  serverSize: 100,
  rate: 115,
  duration: 60,
  restShare: 0.5,
  contentLength: 64,
  hotMembers: 500,
  hotConnectionsPerMember: 10,
  hotStartRate: 4,
  hotGrowth: 1.25,
  hotStep: 6,
  hotMaxSteps: 16,
  hotP99Ms: 200,
  connections: 20_000,
  connectionTabs: 1,
  hold: 60,
  historyMessages: 2_000,
  historyRate: 1_100,
  historyDuration: 20,
  passiveMembers: 500,
  passiveTabs: 10,
  passiveShare: 0.1,
  passiveRate: 8,
  passiveDuration: 30,
  bigMembers: 10_000,
  bigWatchers: 100,
  bigChangeShare: 0.01,
  bigDuration: 30,
  bigInvisible: false,
  bigConnectConcurrency: 50,
  rollingConnections: 10_000,
  rollingSteady: 30,
  workers: 2,
  baseline: true,
  reuseServer: false,
  nodes: 1,
};

const HELP = `npm run bench -- [--scenario seed-day|hot-channel|connections|history|passive|big-server|rolling-restart|baseline|all] [flags]

  --users N            seed-day users, all online (default 2000, up to 20000)
  --server-size N      members per server in seed-day (100)
  --rate R             seed-day messages per second in total (115)
  --duration S         seed-day seconds of sending (60)
  --rest-share F       share of sends over REST, the rest over the gateway (0.5)
  --content-length N   message content length (64)
  --hot-members N      hot-channel members (500), each with
  --hot-tabs N         gateway connections (10): 5,000 connections in the channel. Every user
                       coming online is announced to every member already online, so one tab
                       per member makes connecting O(members^2) (see docs/performance.md)
  --hot-start-rate R   hot-channel first step, messages/s (4); --hot-growth F (1.25)
  --hot-step S         seconds per step (6); --hot-max-steps N (16); --hot-p99 MS (200)
  --connections N      idle gateway connections to open (20000)
  --connection-tabs N  connections per registered user (1); registering is argon2-bound
                       (~50-100 users/s here), so 20,000 users take minutes
  --hold S             seconds to hold them (60)
  --history-messages N stored messages to page through (2000)
  --history-rate R     target GET requests per second (1100); --history-duration S (20)
  --passive-members N  passive: members of the one server (500), each with
  --passive-tabs N     connections (10): 5,000 connections, a busy channel and a quiet one
  --passive-share F    share of the connections that focus the busy channel in run B (0.1);
                       the rest focus the quiet one (run A: nobody focuses)
  --passive-rate R     messages/s into the busy channel (8); --passive-duration S per run (30)
  --big-members N      big-server: members of one server, one connection each (10000),
                       connected as fast as --big-connect-concurrency (50 per client process) allows
  --big-watchers N     members' extra connections watching member-list blocks spread over
                       the list, subscribed after the connect storm (100)
  --big-change-share F share of the members changing status each second (0.01), among
                       online/idle/dnd (rows stay in the online group), for --big-duration S (30)
  --big-invisible      half of the changes go to invisible and back (rows move between groups)
  --rolling-connections N  rolling-restart: connections, one user each in servers of --server-size
                       (10000), sending at --rate (115) with --rest-share; always on its own
                       cluster: PostgreSQL (--postgres) + Redis (--redis-url) + 1 api node +
                       max(2, --nodes) gateways, each restarted in turn (SIGTERM, start again)
  --rolling-steady S   seconds of steady sending before the first restart (30): the CPU the
                       restarts are compared with
  --workers N          load-client processes for fan-out scenarios (2)
  --no-baseline        skip the bare ws comparison in seed-day and hot-channel
  --reuse-server       one server process for every scenario, no restart after seeding
                       (quicker; RSS and CPU figures then include the seeding's leftovers)
  --redis              run Parley with REDIS_URL=redis://127.0.0.1:6379 (--redis-url URL for another)
  --nodes K            K gateway processes + 1 api process (needs --redis; uses PostgreSQL)
  --postgres URL       PostgreSQL server to create the throw-away database on
                       (default postgres://postgres@127.0.0.1:5432/postgres when needed)
  --cassandra POINTS   CASSANDRA_CONTACT_POINTS for Parley's message store
  --cpu-prof DIR       write V8 CPU profiles of the server processes into DIR
  --out DIR            where JSON results go (bench/results)`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scenario: { type: "string", multiple: true },
      users: { type: "string" },
      "server-size": { type: "string" },
      rate: { type: "string" },
      duration: { type: "string" },
      "rest-share": { type: "string" },
      "content-length": { type: "string" },
      "hot-members": { type: "string" },
      "hot-tabs": { type: "string" },
      "hot-start-rate": { type: "string" },
      "hot-growth": { type: "string" },
      "hot-step": { type: "string" },
      "hot-max-steps": { type: "string" },
      "hot-p99": { type: "string" },
      connections: { type: "string" },
      hold: { type: "string" },
      "connection-tabs": { type: "string" },
      "history-messages": { type: "string" },
      "history-rate": { type: "string" },
      "history-duration": { type: "string" },
      "passive-members": { type: "string" },
      "passive-tabs": { type: "string" },
      "passive-share": { type: "string" },
      "passive-rate": { type: "string" },
      "passive-duration": { type: "string" },
      "big-members": { type: "string" },
      "big-watchers": { type: "string" },
      "big-change-share": { type: "string" },
      "big-duration": { type: "string" },
      "big-invisible": { type: "boolean" },
      "big-connect-concurrency": { type: "string" },
      "rolling-connections": { type: "string" },
      "rolling-steady": { type: "string" },
      workers: { type: "string" },
      "no-baseline": { type: "boolean" },
      "reuse-server": { type: "boolean" },
      redis: { type: "boolean" },
      "redis-url": { type: "string" },
      nodes: { type: "string" },
      postgres: { type: "string" },
      cassandra: { type: "string" },
      "cpu-prof": { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (name: string, fallback: number, min: number, max: number): number => {
    const raw = (values as Record<string, unknown>)[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${String(raw)}`);
    return v;
  };
  const requested = (values.scenario ?? []).flatMap((s) => s.split(","));
  // big-server seeds 10,000 users (minutes): it runs when named, or with "all". rolling-restart
  // needs PostgreSQL and Redis: it runs only when named.
  const scenarios =
    requested.length === 0 ? [...DEFAULTS.scenarios, "baseline" as const] : requested.includes("all") ? [...DEFAULTS.scenarios, "big-server" as const, "baseline" as const] : requested;
  for (const s of scenarios) if (!SCENARIOS.includes(s as Scenario)) throw new Error(`unknown scenario "${s}" (one of ${SCENARIOS.join(", ")}, all)`);
  const int = (name: string, fallback: number, min: number, max: number) => Math.round(num(name, fallback, min, max));
  return {
    scenarios: scenarios as Scenario[],
    users: int("users", DEFAULTS.users, 2, 20_000),
    serverSize: int("server-size", DEFAULTS.serverSize, 2, 10_000),
    rate: num("rate", DEFAULTS.rate, 0.1, 10_000),
    duration: num("duration", DEFAULTS.duration, 0.5, 3_600),
    restShare: num("rest-share", DEFAULTS.restShare, 0, 1),
    contentLength: int("content-length", DEFAULTS.contentLength, 24, 2_000),
    hotMembers: int("hot-members", DEFAULTS.hotMembers, 2, 10_000),
    hotConnectionsPerMember: int("hot-tabs", DEFAULTS.hotConnectionsPerMember, 1, 100),
    hotStartRate: num("hot-start-rate", DEFAULTS.hotStartRate, 0.1, 10_000),
    hotGrowth: num("hot-growth", DEFAULTS.hotGrowth, 1.01, 10),
    hotStep: num("hot-step", DEFAULTS.hotStep, 0.5, 600),
    hotMaxSteps: int("hot-max-steps", DEFAULTS.hotMaxSteps, 1, 100),
    hotP99Ms: num("hot-p99", DEFAULTS.hotP99Ms, 1, 60_000),
    connections: int("connections", DEFAULTS.connections, 1, 100_000),
    hold: num("hold", DEFAULTS.hold, 0, 3_600),
    connectionTabs: int("connection-tabs", DEFAULTS.connectionTabs, 1, 100),
    historyMessages: int("history-messages", DEFAULTS.historyMessages, 60, 200_000),
    historyRate: num("history-rate", DEFAULTS.historyRate, 1, 100_000),
    historyDuration: num("history-duration", DEFAULTS.historyDuration, 0.5, 3_600),
    passiveMembers: int("passive-members", DEFAULTS.passiveMembers, 2, 10_000),
    passiveTabs: int("passive-tabs", DEFAULTS.passiveTabs, 1, 100),
    passiveShare: num("passive-share", DEFAULTS.passiveShare, 0.001, 1),
    passiveRate: num("passive-rate", DEFAULTS.passiveRate, 0.1, 1_000),
    passiveDuration: num("passive-duration", DEFAULTS.passiveDuration, 0.5, 3_600),
    bigMembers: int("big-members", DEFAULTS.bigMembers, 2, 40_000),
    bigWatchers: int("big-watchers", DEFAULTS.bigWatchers, 1, 1_000),
    bigChangeShare: num("big-change-share", DEFAULTS.bigChangeShare, 0, 1),
    bigDuration: num("big-duration", DEFAULTS.bigDuration, 0.5, 3_600),
    bigInvisible: Boolean(values["big-invisible"]),
    bigConnectConcurrency: int("big-connect-concurrency", DEFAULTS.bigConnectConcurrency, 1, 1_000),
    rollingConnections: int("rolling-connections", DEFAULTS.rollingConnections, 2, 40_000),
    rollingSteady: num("rolling-steady", DEFAULTS.rollingSteady, 1, 600),
    workers: int("workers", DEFAULTS.workers, 1, 16),
    baseline: !values["no-baseline"],
    reuseServer: Boolean(values["reuse-server"]),
    nodes: int("nodes", DEFAULTS.nodes, 1, 16),
    redisUrl: values["redis-url"] ?? (values.redis ? "redis://127.0.0.1:6379" : undefined),
    cassandra: values.cassandra,
    postgresUrl: values.postgres,
    cpuProfDir: values["cpu-prof"],
    out: values.out,
  };
}
