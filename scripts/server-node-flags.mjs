// The V8 flags the production server runs with (`npm start`, the benchmark, the process tests).
// A larger young generation: the server makes many short-lived objects per request and per
// delivery; with V8's default semi-space (16 MiB on 64-bit) they are scavenged often and some
// are promoted to the old generation before they die, which later costs mark-compact pauses.
// Measured in the history benchmark (docs/performance.md): p99.9 from 73-176 ms down to 22-44 ms.
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];
