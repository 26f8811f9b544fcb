// Snowflake ids: 42 bits of ms since the Parley epoch, 10 bits of worker id, 12 bits of sequence.

export type Snowflake = string;

export const PARLEY_EPOCH_MS = Date.UTC(2026, 0, 1);
const WORKER_BITS = 10n;
const SEQUENCE_BITS = 12n;
const MAX_SEQUENCE = (1n << SEQUENCE_BITS) - 1n;
const MAX_WORKER = (1 << Number(WORKER_BITS)) - 1;
const TIMESTAMP_SHIFT = WORKER_BITS + SEQUENCE_BITS;
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_INT64_TEXT = MAX_INT64.toString();

/** True when `value` is a decimal string of 1–20 digits that fits in a signed 64-bit integer. */
export function isWellFormedId(value: unknown): value is Snowflake {
  if (typeof value !== "string" || !/^[0-9]{1,20}$/.test(value)) return false;
  // Digit strings of one length compare as numbers do; only leading zeros need BigInt.
  if (value.length < MAX_INT64_TEXT.length) return true;
  return value.length === MAX_INT64_TEXT.length ? value <= MAX_INT64_TEXT : BigInt(value) <= MAX_INT64;
}

/** The id as the database gives it back ("007" and "7" are one id); malformed input as it is. */
export function canonicalId(value: string): string {
  if (!isWellFormedId(value)) return value;
  return value.length === 1 || value.charCodeAt(0) !== 48 /* "0" */ ? value : BigInt(value).toString();
}

export function timestampOf(id: Snowflake): number {
  return Number(BigInt(id) >> TIMESTAMP_SHIFT) + PARLEY_EPOCH_MS;
}

const DAY_MS = 86_400_000;
/** "YYYY-MM-DDT" of the last day formatted: consecutive ids are nearly always of one day. */
let dayStart = Number.NaN;
let dayPrefix = "";
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/**
 * The id's creation time as an ISO 8601 string (what `new Date(timestampOf(id)).toISOString()`
 * gives), without a Date per call: history pages format one per message, and the Date of the
 * Next runtime is a slow wrapper.
 */
export function createdAtOf(id: Snowflake): string {
  const ms = timestampOf(id);
  const day = ms - (ms % DAY_MS);
  if (day !== dayStart) {
    dayStart = day;
    dayPrefix = new Date(day).toISOString().slice(0, 11);
  }
  const inDay = ms - day;
  const millis = inDay % 1000;
  const seconds = Math.floor(inDay / 1000);
  return `${dayPrefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

export function workerOf(id: Snowflake): number {
  return Number((BigInt(id) >> SEQUENCE_BITS) & BigInt(MAX_WORKER));
}

export function sequenceOf(id: Snowflake): number {
  return Number(BigInt(id) & MAX_SEQUENCE);
}

/** The smallest id that could have been made at `ms` (a cursor for "everything since"). */
export function firstIdAt(ms: number): Snowflake {
  return (BigInt(Math.max(0, ms - PARLEY_EPOCH_MS)) << TIMESTAMP_SHIFT).toString();
}

/**
 * The id `worker` would make at Unix time `ms` with `sequence`: for cursors, imports and tests
 * that need ids from another time than now.
 */
export function snowflakeAt(ms: number, worker = 0, sequence = 0): Snowflake {
  if (!Number.isInteger(ms) || ms < PARLEY_EPOCH_MS) throw new Error("ms must be an integer time at or after the Parley epoch");
  if (!Number.isInteger(worker) || worker < 0 || worker > MAX_WORKER) throw new Error(`worker must be an integer in 0..${MAX_WORKER}`);
  if (!Number.isInteger(sequence) || sequence < 0 || BigInt(sequence) > MAX_SEQUENCE) throw new Error("sequence must be an integer in 0..4095");
  return ((BigInt(ms - PARLEY_EPOCH_MS) << TIMESTAMP_SHIFT) | (BigInt(worker) << SEQUENCE_BITS) | BigInt(sequence)).toString();
}

export function compareIds(a: Snowflake, b: Snowflake): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Makes strictly increasing ids for one worker. When the sequence runs out within a
 * millisecond, or the clock steps back, it borrows from the next millisecond instead of
 * waiting, so ids stay unique and ordered.
 */
export class SnowflakeGenerator {
  private lastMs = -1;
  private sequence = 0n;
  private readonly worker: bigint;

  constructor(workerId: number, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(workerId) || workerId < 0 || workerId > MAX_WORKER) {
      throw new Error(`worker id must be an integer in 0..${MAX_WORKER}`);
    }
    this.worker = BigInt(workerId);
  }

  next(): Snowflake {
    let ms = Math.max(this.now() - PARLEY_EPOCH_MS, this.lastMs, 0);
    if (ms === this.lastMs) {
      this.sequence += 1n;
      if (this.sequence > MAX_SEQUENCE) {
        ms += 1;
        this.sequence = 0n;
      }
    } else {
      this.sequence = 0n;
    }
    this.lastMs = ms;
    return ((BigInt(ms) << TIMESTAMP_SHIFT) | (this.worker << SEQUENCE_BITS) | this.sequence).toString();
  }
}
