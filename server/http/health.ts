// GET /api/health: 200 when every dependency answers, else 503 naming the failing check.
import type { ServerResponse } from "node:http";

const CHECK_TIMEOUT_MS = 2_000;

async function check(probe: () => Promise<void>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return "ok";
  } catch (err) {
    return `failing: ${err instanceof Error ? err.message.slice(0, 200) : "unknown error"}`;
  } finally {
    clearTimeout(timer);
  }
}

/** `known` holds checks the caller already knows the answer to (e.g. whether the app is up). */
export async function serveHealth(probes: Record<string, () => Promise<void>>, res: ServerResponse, known: Record<string, string> = {}): Promise<void> {
  const names = Object.keys(probes);
  const results = await Promise.all(names.map((name) => check(probes[name]!)));
  const checks = { ...known, ...Object.fromEntries(names.map((name, i) => [name, results[i]!])) };
  const healthy = Object.values(checks).every((c) => c === "ok");
  res.writeHead(healthy ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify({ status: healthy ? "ok" : "unavailable", checks }));
}
