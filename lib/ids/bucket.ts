// Message partitions: a channel's history is split into fixed time windows derived from the id.
import { PARLEY_EPOCH_MS, timestampOf, type Snowflake } from "./snowflake";

/** Ten days per bucket, as Discord does: a busy channel's partition stays bounded in size. */
export const BUCKET_MS = 10 * 24 * 60 * 60 * 1000;

export function bucketOf(id: Snowflake): number {
  return Math.floor((timestampOf(id) - PARLEY_EPOCH_MS) / BUCKET_MS);
}
