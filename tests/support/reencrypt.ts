// Runs `npm run reencrypt` (server/reencrypt/command.ts under tsx) as an operator would: a
// separate process, configured only by the environment given here.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const run = promisify(execFile);

export interface CommandResult {
  code: number;
  stderr: string;
}

export async function reencrypt(args: string[], env: Record<string, string>): Promise<CommandResult> {
  try {
    const { stderr } = await run(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), "server/reencrypt/command.ts", ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "production", LOG_LEVEL: "warn", ...env },
      timeout: 120_000,
    });
    return { code: 0, stderr };
  } catch (err) {
    const failed = err as { code?: number; stderr?: string };
    return { code: typeof failed.code === "number" ? failed.code : 1, stderr: failed.stderr ?? String(err) };
  }
}
