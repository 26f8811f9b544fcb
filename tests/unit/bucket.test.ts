import { expect, test } from "vitest";
import { BUCKET_MS, bucketOf } from "../../lib/ids/bucket";
import { PARLEY_EPOCH_MS, SnowflakeGenerator, firstIdAt } from "../../lib/ids/snowflake";

const DAY = 24 * 60 * 60 * 1000;
const lastIdAt = (ms: number) => new SnowflakeGenerator(1023, () => ms).next();

test("a bucket is ten days", () => {
  expect(BUCKET_MS).toBe(10 * DAY);
});

test("the first ten days after the epoch are bucket 0, the next ten bucket 1", () => {
  expect(bucketOf("0")).toBe(0);
  expect(bucketOf(firstIdAt(PARLEY_EPOCH_MS))).toBe(0);
  expect(bucketOf(lastIdAt(PARLEY_EPOCH_MS + BUCKET_MS - 1))).toBe(0);
  expect(bucketOf(firstIdAt(PARLEY_EPOCH_MS + BUCKET_MS))).toBe(1);
  expect(bucketOf(firstIdAt(PARLEY_EPOCH_MS + 25 * DAY))).toBe(2);
});

test("worker and sequence bits never change the bucket", () => {
  const edge = PARLEY_EPOCH_MS + 3 * BUCKET_MS - 1;
  const gen = new SnowflakeGenerator(1023, () => edge);
  for (let i = 0; i < 4096; i++) expect(bucketOf(gen.next())).toBe(2);
});

test("buckets never decrease as ids grow", () => {
  let previous = -1;
  for (let day = 0; day < 400; day += 3) {
    const bucket = bucketOf(firstIdAt(PARLEY_EPOCH_MS + day * DAY + 12_345));
    expect(bucket).toBeGreaterThanOrEqual(previous);
    previous = bucket;
  }
});

test("the largest possible id has a finite, whole bucket number", () => {
  const bucket = bucketOf("9223372036854775807");
  expect(Number.isSafeInteger(bucket)).toBe(true);
  expect(bucket).toBe(Math.floor((2 ** 41 - 1) / BUCKET_MS));
});
