// GET /api/health: 200 when every dependency answers, else 503 naming the failing check.
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

/** `known` holds checks the caller already knows the answer to (e.g. whether the app is up). */
export async function serveHealth(probes: Record<string, () => Promise<void>>, res: ServerResponse, known: Record<string, string> = {}, log?: Logger): Promise<void> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => check(name, probes[name]!, log)));
  const checks = { ...known, ...Object.fromEntries(names.map((name, i) => [name, results[i]!])) };
  const healthy = Object.values(checks).every((c) => c === "ok");
  res.writeHead(healthy ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status: healthy ? "ok" : "unavailable", checks }));
}
