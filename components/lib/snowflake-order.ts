// Snowflake ids are decimal strings of 64-bit integers: too big for Number, and "9" > "10"
// as strings. Without leading zeros, a shorter string is always the smaller number.
import type { Snowflake } from "../../lib/ids/snowflake";

/** Negative when `a` is older than `b`, positive when newer, 0 when equal. */
export function compareIds(a: Snowflake, b: Snowflake): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
