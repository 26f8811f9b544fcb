// Coalesces channel activity for this gateway's passive connections. A connection lives on
// one gateway, so coalescing here, where it is delivered, bounds exactly what each connection
// hears: at most one `channel:activity` per channel per window.
//
// Per channel: the first message of a quiet channel is announced at once (leading edge); the
// ones that follow within the window are folded into one announcement of the newest id when
// the window ends (trailing edge), which opens the next window. A window that ends with
// nothing pending forgets the channel, so memory holds only the channels active in the last
// window. Ids arriving out of order (several nodes publish) never move an announcement back.
import type { ChannelActivity } from "../../lib/gateway-events";
import type { Snowflake } from "../../lib/ids/snowflake";

export const ACTIVITY_WINDOW_MS = 2_000;

interface Window {
  timer: NodeJS.Timeout;
  /** The newest id announced so far in this run of windows. */
  announced: Snowflake;
  /** The newest activity since the last announcement, if any. */
  pending?: ChannelActivity;
}

export class ActivityCoalescer {
  private readonly windows = new Map<Snowflake, Window>();

  private readonly windowMs: number;
  private readonly onError: (err: unknown) => void;

  /** `announce` sends one activity to this gateway's passive connections; a throw is reported to `onError`. */
  constructor(
    private readonly announce: (activity: ChannelActivity) => void,
    options: { windowMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.windowMs = options.windowMs ?? ACTIVITY_WINDOW_MS;
    this.onError = options.onError ?? (() => {});
  }

  /** A message was published in `activity.channelId`. */
  note(activity: ChannelActivity): void {
    const open = this.windows.get(activity.channelId);
    if (open === undefined) {
      this.windows.set(activity.channelId, { timer: this.startWindow(activity.channelId), announced: activity.lastMessageId });
      this.send(activity);
      return;
    }
    const newest = open.pending?.lastMessageId ?? open.announced;
    if (isNewer(activity.lastMessageId, newest)) open.pending = activity;
  }

  /** Channels with an open window (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  /** Drops every window without announcing what is pending. */
  close(): void {
    for (const w of this.windows.values()) clearTimeout(w.timer);
    this.windows.clear();
  }

  private startWindow(channelId: Snowflake): NodeJS.Timeout {
    const timer = setTimeout(() => this.endWindow(channelId), this.windowMs);
    timer.unref();
    return timer;
  }

  private endWindow(channelId: Snowflake): void {
    const w = this.windows.get(channelId);
    if (w === undefined) return;
    const { pending } = w;
    if (pending === undefined) {
      this.windows.delete(channelId);
      return;
    }
    w.pending = undefined;
    w.announced = pending.lastMessageId;
    w.timer = this.startWindow(channelId);
    this.send(pending);
  }

  private send(activity: ChannelActivity): void {
    try {
      this.announce(activity);
    } catch (err) {
      this.onError(err);
    }
  }
}

/** Whether snowflake `a` is newer than `b` (decimal strings without leading zeros). */
function isNewer(a: Snowflake, b: Snowflake): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}
