// GET /api/health: 200 while the node can serve, 503 only when it cannot. A load balancer acts
// on the status: a check the node can serve without (Redis: limits, presence and idempotency
// fall back to the node's memory and sends still go to the database) makes it 200 "degraded"
// with that check named, or one Redis outage would take every node of a cluster out of rotation.
import type { ServerResponse } from "node:http";
import type { Logger } from "../../lib/logger";

const CHECK_TIMEOUT_MS = 2_000;
const TIMED_OUT = new Error("timed out");

/**
 * The answer names the failing check and whether it timed out, not the error's text: that is
 * for the operator's log (driver messages name hosts, users and queries), not for the internet.
 */
async function check(name: string, probe: () => Promise<void>, log?: Logger): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(TIMED_OUT), CHECK_TIMEOUT_MS);
      }),
    ]);
    return "ok";
  } catch (err) {
    if (err === TIMED_OUT) return "failing: timed out";
    log?.warn({ err, check: name }, "health check failing");
    return "failing: error";
  } finally {
    clearTimeout(timer);
  }
}

/** What a node can do without: a failing one degrades the node instead of taking it out. */
export const NON_ESSENTIAL_CHECKS: ReadonlySet<string> = new Set(["redis"]);

export type HealthStatus = "ok" | "degraded" | "unavailable";

export function healthStatusOf(checks: Record<string, string>): HealthStatus {
  const failing = Object.keys(checks).filter((name) => checks[name] !== "ok");
  if (failing.length === 0) return "ok";
  return failing.every((name) => NON_ESSENTIAL_CHECKS.has(name)) ? "degraded" : "unavailable";
}

/** `known` holds checks the caller already knows the answer to (e.g. whether the app is up). */
export async function serveHealth(probes: Record<string, () => Promise<void>>, res: ServerResponse, known: Record<string, string> = {}, log?: Logger): Promise<void> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => check(name, probes[name]!, log)));
  const checks = { ...known, ...Object.fromEntries(names.map((name, i) => [name, results[i]!])) };
  const status = healthStatusOf(checks);
  res.writeHead(status === "unavailable" ? 503 : 200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status, checks }));
}
