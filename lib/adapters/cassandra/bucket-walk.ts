// Which ten-day partitions a history query visits, and in what order. Pure, so it is unit-tested.
//
// A channel's history cannot start before the channel: its id is a snowflake made when it was
// created, and every message in it is made later. So the walk never goes below the channel's
// own bucket, and never above the bucket of "now": an old, quiet channel costs one query per
// bucket of its life, not a scan of every bucket since the epoch.
import { bucketOf } from "../../ids/bucket";
import { PARLEY_EPOCH_MS, firstIdAt, timestampOf, type Snowflake } from "../../ids/snowflake";
import type { HistoryQuery } from "../../ports/message-store";

/**
 * How far apart two Parley nodes' clocks may be. A message made on a node whose clock is
 * behind may carry a time slightly before its channel's (or one slightly ahead of "now" on
 * the node reading), which matters only at a bucket edge: the walk widens by this margin.
 */
export const CLOCK_SKEW_MS = 60_000;

/** Buckets queried together after the first: 1, then 2, 4, 8, 8, ... in parallel. */
export const MAX_PARALLEL_BUCKETS = 8;

const bucketAt = (ms: number) => bucketOf(firstIdAt(Math.max(PARLEY_EPOCH_MS, ms)));

/** The first bucket that can hold a message of this channel. */
export function firstBucketOf(channelId: Snowflake): number {
  return bucketAt(timestampOf(channelId) - CLOCK_SKEW_MS);
}

/**
 * The buckets to read, in reading order: newest to oldest for `before` (or no cursor), oldest to
 * newest for `after`. Empty when the cursor lies outside the channel's life.
 */
export function bucketsToVisit(channelId: Snowflake, query: Pick<HistoryQuery, "before" | "after">, nowMs: number): number[] {
  const first = firstBucketOf(channelId);
  const last = bucketAt(nowMs + CLOCK_SKEW_MS);
  const buckets: number[] = [];
  if (query.after !== undefined) {
    for (let b = Math.max(first, bucketOf(query.after)); b <= last; b++) buckets.push(b);
  } else {
    const top = query.before === undefined ? last : Math.min(last, bucketOf(query.before));
    for (let b = top; b >= first; b--) buckets.push(b);
  }
  return buckets;
}

/**
 * Splits the walk into rounds read in parallel: the first bucket alone (a busy channel's page
 * is almost always there), then rounds that double, so a sparse channel costs O(log n) round
 * trips. Over-reading is bounded: each query asks only for what is still missing.
 */
export function rounds(buckets: number[]): number[][] {
  const out: number[][] = [];
  for (let i = 0, size = 1; i < buckets.length; i += size, size = Math.min(size * 2, MAX_PARALLEL_BUCKETS)) {
    out.push(buckets.slice(i, i + size));
  }
  return out;
}
