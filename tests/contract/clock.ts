// Time for contract suites. A store that accepts an injected clock gets a fake one that jumps
// instantly; one that cannot (e.g. Redis, which keeps its own time) gets the real clock, whose
// `advance` simply waits. The same cases then run against both.

export interface TestClock {
  now(): number;
  advance(ms: number): Promise<void>;
}

export function fakeClock(start = Date.UTC(2026, 5, 1)): TestClock {
  let t = start;
  return {
    now: () => t,
    advance: async (ms) => {
      t += ms;
    },
  };
}

/**
 * The wall clock, which Redis (on this host) reads too. `advance(ms)` waits until at least `ms`
 * have passed by that clock: a bare setTimeout may fire a millisecond or two early, which
 * would make "wait exactly retryAfterMs" cases fail by a hair.
 */
export function realClock(): TestClock {
  return {
    now: () => Date.now(),
    advance: async (ms) => {
      const until = Date.now() + ms;
      while (Date.now() < until) await new Promise((r) => setTimeout(r, Math.max(1, until - Date.now())));
    },
  };
}
