// The V8 flags a Parley server process runs with, by role: the one place that decides them.
// npm start and the benchmark start `dist/server.js` with these; operators who run it
// themselves pass the same flags.
//
// A gateway node's memory is mostly idle connections. V8 lets the old generation grow well
// ahead of what is live (by a factor it picks, up to 4x); `--heap-growing-percent=20` keeps it
// within 1.2x. docs/performance.md ("connections"): 13.7 -> 9.4 KiB of RSS per idle
// connection over two gateways, for a fan-out cost within the run-to-run noise. Nodes that
// also serve REST and the embedded database keep V8's defaults.

/** @param {string | undefined} role PARLEY_ROLE: all (the default), api or gateway */
export function nodeFlagsFor(role) {
  return role === "gateway" ? ["--heap-growing-percent=20"] : [];
}
