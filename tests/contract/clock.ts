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

export function realClock(): TestClock {
  return { now: () => Date.now(), advance: (ms) => new Promise((r) => setTimeout(r, ms)) };
}
