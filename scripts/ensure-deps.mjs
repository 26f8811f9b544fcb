// Installs npm dependencies when a fresh clone has none, so `npm start` and `npm test` work
// as the very first commands.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

export function ensureDeps(root) {
  if (existsSync(path.join(root, "node_modules", ".package-lock.json"))) return;
  console.log("[parley] installing dependencies (npm ci)…");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}
