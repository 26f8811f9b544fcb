// Coalesces channel activity for this gateway's passive connections (window-coalescer.ts):
// per channel, the first message of a quiet channel is announced at once, the ones that follow
// within the window as one announcement of the newest id when it ends. Ids arriving out of
// order (several nodes publish) never move an announcement back.
import type { ChannelActivity } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";
import { WindowCoalescer } from "./window-coalescer";

export const ACTIVITY_WINDOW_MS = 2_000;

export class ActivityCoalescer extends WindowCoalescer<Snowflake, ChannelActivity> {
  /** `announce` sends one activity to this gateway's passive connections; a throw is reported to `onError`. */
  constructor(announce: (activity: ChannelActivity) => void, options: { windowMs?: number; onError?: (err: unknown) => void } = {}) {
    super(announce, {
      windowMs: options.windowMs ?? ACTIVITY_WINDOW_MS,
      keyOf: (a) => a.channelId,
      fold: (next, pending, announced) => (isNewer(next.lastMessageId, (pending ?? announced).lastMessageId) ? next : pending),
      onError: options.onError,
    });
  }
}

/** Whether snowflake `a` is newer than `b` (decimal strings without leading zeros). */
function isNewer(a: Snowflake, b: Snowflake): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}
