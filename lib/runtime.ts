// The one Parley runtime of this process. The custom server creates it; Next's route handlers,
// which are bundled separately and would otherwise get their own copies of every module,
// find it on globalThis.
import type { Deps } from "./deps";
import type { Logger } from "./logger";

export interface Runtime {
  deps: Deps;
  log: Logger;
  authSecret: string;
  /** True when the browser reaches us over https (decides the session cookie's name). */
  secureCookies: boolean;
  /** The origin browsers reach Parley on, when configured (PUBLIC_URL); else the Host header's. */
  publicUrl?: string;
}

const KEY = Symbol.for("parley.runtime");
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): Runtime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) throw new Error("Parley runtime is not started: run Parley through its server (npm start / npm run dev).");
  return runtime;
}
