import { describe, expect, test } from "vitest";
import {
  PARLEY_EPOCH_MS,
  SnowflakeGenerator,
  canonicalId,
  compareIds,
  firstIdAt,
  isWellFormedId,
  sequenceOf,
  timestampOf,
  workerOf,
  createdAtOf,
  snowflakeAt,
} from "../../lib/ids/snowflake";

const INT64_MAX = "9223372036854775807";
const asBig = (id: string) => BigInt(id);

function expectStrictlyIncreasing(ids: string[]) {
  for (let i = 1; i < ids.length; i++) {
    if (!(asBig(ids[i]!) > asBig(ids[i - 1]!))) throw new Error(`id #${i} (${ids[i]}) is not above ${ids[i - 1]}`);
  }
}

describe("layout", () => {
  test("42 bits of ms since 2026-01-01, then 10 bits of worker, then 12 bits of sequence", () => {
    expect(PARLEY_EPOCH_MS).toBe(Date.parse("2026-01-01T00:00:00Z"));
    const at = PARLEY_EPOCH_MS + 123_456_789;
    const id = new SnowflakeGenerator(613, () => at).next();
    const value = asBig(id);
    expect(value >> 22n).toBe(123_456_789n);
    expect((value >> 12n) & 0x3ffn).toBe(613n);
    expect(value & 0xfffn).toBe(0n);
    expect([timestampOf(id), workerOf(id), sequenceOf(id)]).toEqual([at, 613, 0]);
  });

  test("ids are decimal strings that are well-formed", () => {
    const gen = new SnowflakeGenerator(1);
    for (let i = 0; i < 100; i++) {
      const id = gen.next();
      expect(id).toMatch(/^[1-9][0-9]*$/);
      expect(isWellFormedId(id)).toBe(true);
    }
  });

  test("the canonical form of an id is its number in decimal; malformed input is left as it is", () => {
    expect(canonicalId("007")).toBe("7");
    expect(canonicalId("0")).toBe("0");
    expect(canonicalId("9223372036854775807")).toBe("9223372036854775807");
    expect(canonicalId("12a")).toBe("12a");
    expect(canonicalId("00000000000000000042")).toBe("42");
  });

  test("well-formed means 1-20 digits within a signed 64-bit integer, leading zeros or not", () => {
    for (const ok of ["0", "7", "123456789012345678", "9223372036854775807", "09223372036854775807", "00000000000000000001"]) expect(isWellFormedId(ok)).toBe(true);
    for (const bad of ["", "9223372036854775808", "9999999999999999999", "19223372036854775807", "000000000000000000001", "-1", "1e3", " 1", 7]) expect(isWellFormedId(bad)).toBe(false);
  });

  test("the highest worker and sequence do not spill into the timestamp", () => {
    const gen = new SnowflakeGenerator(1023, () => PARLEY_EPOCH_MS + 5);
    const ids = Array.from({ length: 4096 }, () => gen.next());
    const last = ids[4095]!;
    expect([timestampOf(last), workerOf(last), sequenceOf(last)]).toEqual([PARLEY_EPOCH_MS + 5, 1023, 4095]);
    expect(timestampOf(gen.next())).toBe(PARLEY_EPOCH_MS + 6);
  });

  test("a clock before the epoch still yields well-formed, increasing ids", () => {
    const gen = new SnowflakeGenerator(0, () => PARLEY_EPOCH_MS - 10_000);
    const ids = [gen.next(), gen.next()];
    expect(ids.every(isWellFormedId)).toBe(true);
    expectStrictlyIncreasing(ids);
  });
});

describe("ordering", () => {
  test("under a frozen clock ids strictly increase, borrowing the next ms when the sequence runs out", () => {
    const frozen = PARLEY_EPOCH_MS + 1_000;
    const gen = new SnowflakeGenerator(7, () => frozen);
    const ids = Array.from({ length: 10_000 }, () => gen.next());
    expectStrictlyIncreasing(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sequenceOf(ids[4095]!)).toBe(4095);
    expect([timestampOf(ids[4096]!), sequenceOf(ids[4096]!)]).toEqual([frozen + 1, 0]);
  });

  test("when the clock steps back, ids keep increasing", () => {
    const times = [5_000, 5_000, 4_000, 3_000, 5_000, 5_001, 2_000].map((t) => PARLEY_EPOCH_MS + t);
    let i = 0;
    const gen = new SnowflakeGenerator(3, () => times[Math.min(i++, times.length - 1)]!);
    const ids = times.map(() => gen.next());
    expectStrictlyIncreasing(ids);
    expect(timestampOf(ids[2]!)).toBeGreaterThanOrEqual(PARLEY_EPOCH_MS + 5_000);
  });

  test("a later millisecond always sorts after an earlier one, whatever the worker", () => {
    const early = new SnowflakeGenerator(1023, () => PARLEY_EPOCH_MS + 10).next();
    const late = new SnowflakeGenerator(0, () => PARLEY_EPOCH_MS + 11).next();
    expect(compareIds(early, late)).toBe(-1);
  });

  test("two workers in the same millisecond never collide", () => {
    const at = () => PARLEY_EPOCH_MS + 42;
    expect(new SnowflakeGenerator(1, at).next()).not.toBe(new SnowflakeGenerator(2, at).next());
  });

  test("compareIds compares numerically, not as text", () => {
    expect(compareIds("9", "10")).toBe(-1);
    expect(compareIds("10", "9")).toBe(1);
    expect(compareIds(INT64_MAX, INT64_MAX)).toBe(0);
  });

  test("firstIdAt is a cursor no id made at that ms or later falls below", () => {
    const at = PARLEY_EPOCH_MS + 77_000;
    const cursor = firstIdAt(at);
    expect([timestampOf(cursor), workerOf(cursor), sequenceOf(cursor)]).toEqual([at, 0, 0]);
    expect(compareIds(cursor, new SnowflakeGenerator(0, () => at).next())).toBeLessThanOrEqual(0);
    expect(firstIdAt(PARLEY_EPOCH_MS - 1)).toBe("0");
  });
});

describe("worker id", () => {
  test.each([0, 1, 512, 1023])("%s is accepted", (worker) => {
    expect(workerOf(new SnowflakeGenerator(worker).next())).toBe(worker);
  });

  test.each([-1, 1024, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("%s is refused", (worker) => {
    expect(() => new SnowflakeGenerator(worker)).toThrow(/worker id/);
  });
});

describe("isWellFormedId", () => {
  test.each([
    ["0", "zero"],
    ["1", "one digit"],
    ["00000000000000000001", "20 digits with leading zeros"],
    ["18014398509481984", "a typical snowflake"],
    [INT64_MAX, "int64 max"],
  ])("accepts %s (%s)", (value) => {
    expect(isWellFormedId(value)).toBe(true);
  });

  test.each([
    ["9223372036854775808", "int64 max + 1"],
    ["18446744073709551615", "uint64 max, still 20 digits"],
    ["99999999999999999999", "20 nines"],
    ["000000000000000000001", "21 digits"],
    ["", "empty"],
    ["+1", "a plus sign"],
    ["-1", "a minus sign"],
    [" 1", "a leading space"],
    ["1 ", "a trailing space"],
    ["1\n", "a trailing newline"],
    ["1e3", "exponent notation"],
    ["0x10", "hex"],
    ["1.0", "a decimal point"],
    ["١٢٣", "non-ASCII digits"],
  ])("refuses %j (%s)", (value) => {
    expect(isWellFormedId(value)).toBe(false);
  });

  test.each([[1], [0], [1n], [null], [undefined], [{}], [["1"]]])("refuses the non-string %s", (value) => {
    expect(isWellFormedId(value)).toBe(false);
  });
});

describe("createdAtOf", () => {
  test("formats exactly as Date's toISOString, across days, years and every millisecond position", () => {
    const moments = [PARLEY_EPOCH_MS, PARLEY_EPOCH_MS + 1, PARLEY_EPOCH_MS + 86_399_999, PARLEY_EPOCH_MS + 86_400_000, Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.UTC(2028, 1, 29, 12, 0, 0, 7), Date.UTC(2031, 5, 15, 9, 5, 3, 90)];
    for (let i = 0; i < 2_000; i++) moments.push(PARLEY_EPOCH_MS + Math.floor(Math.random() * 6 * 365 * 86_400_000));
    for (const ms of moments) {
      const id = snowflakeAt(ms, 5, 9);
      expect(createdAtOf(id), String(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
