#!/usr/bin/env node
// npm start: build when needed, then run the bundled server in production mode.
import { spawn, execFileSync } from "node:child_process";
import path from "node:path";
import { ensureDeps } from "./ensure-deps.mjs";
import { nodeFlagsFor } from "./node-flags.mjs";

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
ensureDeps(root);
execFileSync(process.execPath, [path.join(root, "scripts", "ensure-build.mjs")], { cwd: root, stdio: "inherit" });

const child = spawn(process.execPath, [...nodeFlagsFor(process.env.PARLEY_ROLE), path.join(root, "dist", "server.js")], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
