// The per-gateway coalescing of channel:activity, on fake timers: the first message of a quiet
// channel is announced at once, the rest of a 2 s window as one announcement of the newest id
// at its end, channels are independent, and a window that ends quiet forgets its channel.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { ChannelActivity } from "../../lib/gateway-events";
import { ACTIVITY_WINDOW_MS, ActivityCoalescer } from "../../server/gateway/activity-coalescer";

const activity = (channelId: string, lastMessageId: string): ChannelActivity => ({ channelId, serverId: "9", lastMessageId });

let announced: ChannelActivity[];
let coalescer: ActivityCoalescer;

beforeEach(() => {
  vi.useFakeTimers();
  announced = [];
  coalescer = new ActivityCoalescer((a) => announced.push(a));
});
afterEach(() => {
  coalescer.close();
  vi.useRealTimers();
});

const ids = () => announced.map((a) => `${a.channelId}:${a.lastMessageId}`);

describe("ActivityCoalescer", () => {
  test("the window is 2 s", () => {
    expect(ACTIVITY_WINDOW_MS).toBe(2_000);
  });

  test("the first message of a quiet channel is announced at once", () => {
    coalescer.note(activity("1", "100"));
    expect(ids()).toEqual(["1:100"]);
  });

  test("messages within the window become one announcement of the newest id when it ends", () => {
    coalescer.note(activity("1", "100"));
    coalescer.note(activity("1", "101"));
    coalescer.note(activity("1", "102"));
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS - 1);
    expect(ids()).toEqual(["1:100"]);
    vi.advanceTimersByTime(1);
    expect(ids()).toEqual(["1:100", "1:102"]);
  });

  test("a trailing announcement opens the next window: announcements are at least 2 s apart under steady traffic", () => {
    const at: number[] = [];
    coalescer = new ActivityCoalescer(() => at.push(Date.now()));
    const start = Date.now();
    for (let t = 0; t < 10_000; t += 100) {
      coalescer.note(activity("1", String(1_000 + t)));
      vi.advanceTimersByTime(100);
    }
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(at[0]).toBe(start);
    expect(gaps.every((g) => g >= ACTIVITY_WINDOW_MS)).toBe(true);
    expect(at).toHaveLength(6); // at 0, 2, 4, 6, 8 and 10 s: one per window, not one per message
  });

  test("the last id of steady traffic always gets announced", () => {
    for (let i = 0; i < 7; i++) {
      coalescer.note(activity("1", String(200 + i)));
      vi.advanceTimersByTime(700);
    }
    vi.advanceTimersByTime(10 * ACTIVITY_WINDOW_MS);
    expect(announced.at(-1)!.lastMessageId).toBe("206");
  });

  test("an older id arriving late (another node) within a window never moves an announcement back", () => {
    coalescer.note(activity("1", "100"));
    coalescer.note(activity("1", "99"));
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(ids()).toEqual(["1:100"]);
    coalescer.note(activity("1", "103"));
    coalescer.note(activity("1", "1000"));
    coalescer.note(activity("1", "999"));
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(ids()).toEqual(["1:100", "1:103", "1:1000"]);
  });

  test("channels are coalesced independently", () => {
    coalescer.note(activity("1", "100"));
    coalescer.note(activity("2", "101"));
    coalescer.note(activity("1", "102"));
    expect(ids()).toEqual(["1:100", "2:101"]);
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(ids()).toEqual(["1:100", "2:101", "1:102"]);
  });

  test("a window that ends with nothing pending forgets the channel; its next message is announced at once", () => {
    coalescer.note(activity("1", "100"));
    expect(coalescer.size).toBe(1);
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(coalescer.size).toBe(0);
    coalescer.note(activity("1", "101"));
    expect(ids()).toEqual(["1:100", "1:101"]);
  });

  test("memory holds only the channels of the last window", () => {
    for (let c = 0; c < 1_000; c++) coalescer.note(activity(String(c), "100"));
    expect(coalescer.size).toBe(1_000);
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(coalescer.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test("close drops every window and its timer, announcing nothing more", () => {
    coalescer.note(activity("1", "100"));
    coalescer.note(activity("1", "101"));
    coalescer.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(ACTIVITY_WINDOW_MS);
    expect(ids()).toEqual(["1:100"]);
  });

  test("window timers do not keep the process alive", () => {
    coalescer.note(activity("1", "100"));
    const spy = vi.spyOn(globalThis, "setTimeout");
    coalescer.note(activity("2", "100"));
    const timer = spy.mock.results[0]!.value as NodeJS.Timeout;
    spy.mockRestore();
    expect(timer.hasRef()).toBe(false);
  });

  test("an announcement that throws is reported and does not stop the coalescing", () => {
    const errors: unknown[] = [];
    let fail = true;
    coalescer = new ActivityCoalescer(
      (a) => {
        if (fail) throw new Error("socket.io broke");
        announced.push(a);
      },
      { onError: (err) => errors.push(err) },
    );
    coalescer.note(activity("1", "100"));
    coalescer.note(activity("1", "101"));
    fail = false;
    expect(() => vi.advanceTimersByTime(ACTIVITY_WINDOW_MS)).not.toThrow();
    expect(errors).toHaveLength(1);
    expect(ids()).toEqual(["1:101"]);
  });
});
