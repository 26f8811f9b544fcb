// What a load message carries so that any receiver, in any process, can measure it alone:
// content = `m<seq>t<send time, ms>s<step>;` padded to a fixed length. `seq` is unique in the
// run (completeness), the send time is on the machine-wide clock (latency), the step says
// which phase of a rising-rate run it belongs to.
import { clockMs } from "./histogram";

export interface Marker {
  seq: number;
  sentAt: number;
  step: number;
}

export function markContent(seq: number, step: number, length: number): string {
  const head = `m${seq}t${clockMs().toFixed(3)}s${step};`;
  return head.length >= length ? head : head + "x".repeat(length - head.length);
}

const CONTENT = '"content":"m';

/** Reads the marker out of a raw `message:create` frame without parsing the whole JSON. */
export function readMarker(frame: string): Marker | null {
  const at = frame.indexOf(CONTENT);
  if (at < 0) return null;
  const start = at + CONTENT.length;
  const t = frame.indexOf("t", start);
  const s = frame.indexOf("s", t);
  const end = frame.indexOf(";", s);
  if (t < 0 || s < 0 || end < 0) return null;
  const seq = Number(frame.slice(start, t));
  const sentAt = Number(frame.slice(t + 1, s));
  const step = Number(frame.slice(s + 1, end));
  return Number.isFinite(seq) && Number.isFinite(sentAt) && Number.isFinite(step) ? { seq, sentAt, step } : null;
}

const fakeId = (n: number) => String(120614291056361472n + BigInt(n));

/**
 * The frame the baseline broadcasts: the same shape and size as Parley's `message:create`
 * for the same content (ids of the same length, the same fields), so both sides move and
 * parse the same bytes.
 */
export function baselineFrame(seq: number, content: string, nonce: string, author: { id: string; username: string }): string {
  const message = {
    id: fakeId(seq),
    channelId: fakeId(1),
    serverId: fakeId(2),
    content,
    nonce,
    createdAt: new Date().toISOString(),
    author: { id: author.id, username: author.username, displayName: author.username },
  };
  return `42${JSON.stringify(["message:create", message])}`;
}
