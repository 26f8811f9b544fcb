// `npm run bench -- --scenario ...`: see docs/performance.md. Stops every process it started
// on any exit path (end, error, Ctrl+C).
import { runBench } from "./bench";
import { parseOptions } from "./lib/options";
import { stopEverything } from "./lib/processes";

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the servers and load clients…`);
    void stopEverything().finally(() => process.exit(130));
  });
}

try {
  await runBench(parseOptions(process.argv.slice(2)));
  await stopEverything();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await stopEverything();
  process.exit(1);
}
