// The Cassandra store's walk over ten-day partitions: where it starts, where it stops, how it batches.
import { describe, expect, test } from "vitest";
import { CLOCK_SKEW_MS, MAX_PARALLEL_BUCKETS, bucketsToVisit, firstBucketOf, rounds } from "../../lib/adapters/cassandra/bucket-walk";
import { BUCKET_MS } from "../../lib/ids/bucket";
import { PARLEY_EPOCH_MS, snowflakeAt } from "../../lib/ids/snowflake";

const DAY = 24 * 60 * 60 * 1000;
const at = (bucket: number, offsetMs = DAY) => PARLEY_EPOCH_MS + bucket * BUCKET_MS + offsetMs;
const channelIn = (bucket: number, offsetMs = DAY) => snowflakeAt(at(bucket, offsetMs), 5, 9);
const now = at(40, 3 * DAY);

describe("where a channel's history can start", () => {
  test("in the channel's own bucket", () => {
    expect(firstBucketOf(channelIn(7))).toBe(7);
    expect(firstBucketOf(channelIn(0, 0))).toBe(0);
  });

  test("one bucket earlier when the channel was made within the clock-skew margin of a bucket edge", () => {
    expect(firstBucketOf(channelIn(7, CLOCK_SKEW_MS - 1))).toBe(6);
    expect(firstBucketOf(channelIn(7, CLOCK_SKEW_MS))).toBe(7);
  });
});

describe("bucketsToVisit", () => {
  test("without a cursor: from the bucket of now down to the channel's first, and no further", () => {
    expect(bucketsToVisit(channelIn(36), {}, now)).toEqual([40, 39, 38, 37, 36]);
  });

  test("an old, quiet channel costs one query per bucket of its own life, not one per bucket since the epoch", () => {
    const buckets = bucketsToVisit(channelIn(35), {}, now);
    expect(buckets).toHaveLength(6);
    expect(Math.min(...buckets)).toBe(35);
  });

  test("`before` starts at the cursor's bucket, and a cursor far in the future starts at now", () => {
    expect(bucketsToVisit(channelIn(30), { before: snowflakeAt(at(33)) }, now)).toEqual([33, 32, 31, 30]);
    expect(bucketsToVisit(channelIn(39), { before: "9223372036854775807" }, now)).toEqual([40, 39]);
  });

  test("`before` a channel's first bucket visits nothing", () => {
    expect(bucketsToVisit(channelIn(30), { before: snowflakeAt(at(12)) }, now)).toEqual([]);
  });

  test("`after` walks oldest to newest from the later of the cursor and the channel's start, up to now", () => {
    expect(bucketsToVisit(channelIn(37), { after: "0" }, now)).toEqual([37, 38, 39, 40]);
    expect(bucketsToVisit(channelIn(30), { after: snowflakeAt(at(38)) }, now)).toEqual([38, 39, 40]);
  });

  test("`after` a cursor beyond now visits nothing", () => {
    expect(bucketsToVisit(channelIn(30), { after: snowflakeAt(at(45)) }, now)).toEqual([]);
  });

  test("a message from a node whose clock is slightly ahead, in the next bucket, is still reached", () => {
    const justBeforeEdge = PARLEY_EPOCH_MS + 41 * BUCKET_MS - 1_000;
    expect(bucketsToVisit(channelIn(40), {}, justBeforeEdge)[0]).toBe(41);
  });
});

describe("rounds", () => {
  test("the first bucket alone, then doubling rounds, never more than the cap in parallel", () => {
    const buckets = Array.from({ length: 40 }, (_, i) => 100 - i);
    const sizes = rounds(buckets).map((r) => r.length);
    expect(sizes.slice(0, 4)).toEqual([1, 2, 4, 8]);
    expect(Math.max(...sizes)).toBe(MAX_PARALLEL_BUCKETS);
    expect(rounds(buckets).flat()).toEqual(buckets);
  });

  test("no buckets, no rounds", () => {
    expect(rounds([])).toEqual([]);
  });
});
