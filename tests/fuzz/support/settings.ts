// How much the fuzz tier runs and from which seed: FUZZ_SEED and FUZZ_RUNS (docs/security.md,
// "Fuzzing"), and the abuse limits it raises through their documented variables.
import fc from "fast-check";
import { describeCase } from "./answers";

/** A fixed default: the tier is deterministic unless FUZZ_SEED says otherwise. */
export const DEFAULT_FUZZ_SEED = 20261204;
/** Cases per REST route (twice that per gateway event): about 2,900 cases in all by default. */
export const DEFAULT_FUZZ_RUNS = 100;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a whole number (got ${JSON.stringify(raw)})`);
  return value;
}

export const FUZZ_SEED = positiveInt("FUZZ_SEED", DEFAULT_FUZZ_SEED);
export const FUZZ_RUNS = Math.max(1, positiveInt("FUZZ_RUNS", DEFAULT_FUZZ_RUNS));

/**
 * The fuzz sends thousands of events and requests as a handful of users from one address: the
 * limits it would trip are raised through the variables docs/security.md documents, before the
 * server reads its environment. The per-user message limit (5 a second) has no variable and
 * stays: RATE_LIMITED is one of the answers the properties accept.
 */
export function raiseLimitsForFuzzing(): void {
  Object.assign(process.env, {
    REGISTER_PER_IP_PER_HOUR: "100000000",
    LOGIN_FAILURES_PER_USERNAME: "100000000",
    LOGIN_FAILURES_PER_IP: "100000000",
    GATEWAY_EVENTS_PER_MINUTE: "100000000",
    FOCUS_CALLS_PER_10S: "10000",
    MEMBER_LIST_SUBSCRIBES_PER_10S: "10000",
    PRESENCE_SETS_PER_MINUTE: "1000000",
    MAX_SERVERS_PER_USER: "1000000",
    MAX_CHANNELS_PER_SERVER: "1000000",
    INVITES_PER_MEMBER_PER_HOUR: "1000000",
    CONNECTIONS_PER_USER: "1000",
  });
}

/** A seed of its own for each property, derived from FUZZ_SEED and the property's name. */
export function seedFor(name: string): number {
  let hash = FUZZ_SEED >>> 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash | 0;
}

/**
 * Runs `property` `runs` times from the seed derived for `name`. A failure names the way to
 * replay it (the same FUZZ_SEED and FUZZ_RUNS run the same cases in the same order).
 */
export async function fuzz<T>(name: string, property: fc.IAsyncPropertyWithHooks<T>, runs = FUZZ_RUNS): Promise<void> {
  const seed = seedFor(name);
  // No shrinking: each step would be another real request against a server whose state moved on.
  const details = await fc.check(property, { seed, numRuns: runs, timeout: 20_000, endOnFailure: true });
  if (!details.failed) return;
  const replay = `[fuzz] "${name}" failed at case ${details.numRuns} of ${runs}: replay with FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${FUZZ_RUNS} (property seed ${seed})`;
  console.error(replay);
  const counterexample = details.counterexample ? describeCase(details.counterexample) : "(none)";
  const cause = details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
  throw new Error(`${replay}\ncase: ${counterexample}\n${cause.message}`, { cause });
}
