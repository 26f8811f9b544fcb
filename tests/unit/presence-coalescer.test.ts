// The per-gateway coalescing of presence:update (contract v2), on fake timers: the first change
// of a quiet user goes out at once, later ones within the second as one update of the latest
// when it ends, a status that flapped back to what was announced sends nothing more, users are
// independent, and a window that ends quiet forgets its user.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { PresenceChange } from "../../lib/gateway-events";
import type { PresenceStatus } from "../../lib/domain/types";
import { PRESENCE_WINDOW_MS, PresenceCoalescer, type PresenceAnnouncement } from "../../server/gateway/presence-announcements";

let clock = 0;
/** A change at the presence store's next instant (`at` only grows, as the store's clock does). */
const change = (userId: string, status: PresenceStatus, serverIds = ["9"]): PresenceChange => ({ userId, status, serverIds, at: ++clock });

let announced: PresenceAnnouncement[];
let coalescer: PresenceCoalescer;

beforeEach(() => {
  vi.useFakeTimers();
  announced = [];
  coalescer = new PresenceCoalescer((c) => announced.push(c));
});
afterEach(() => {
  coalescer.close();
  vi.useRealTimers();
});

const heard = () => announced.map((c) => `${c.userId}:${c.status}`);

describe("PresenceCoalescer", () => {
  test("the window is one second", () => {
    expect(PRESENCE_WINDOW_MS).toBe(1_000);
  });

  test("a held update goes to everyone the held changes were for: small servers and member-list watchers alike", () => {
    coalescer.note(change("1", "idle", ["9"]));
    coalescer.note({ ...change("1", "dnd", []), socketIds: ["socket-a"] });
    coalescer.note({ ...change("1", "online", ["8"]), socketIds: ["socket-b"] });
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(announced).toEqual([
      { userId: "1", status: "idle", serverIds: ["9"], at: clock - 2 },
      { userId: "1", status: "online", serverIds: ["8"], socketIds: ["socket-a", "socket-b"], at: clock },
    ]);
  });

  test("a change that arrives after a later one (the member lists' path is a round trip slower) does not win", () => {
    const first = change("1", "idle", ["9"]);
    const second = change("1", "dnd", ["9"]);
    coalescer.note(first); // announced at once
    coalescer.note(second); // held
    coalescer.note({ ...first, serverIds: [], socketIds: ["watcher"] }); // the first again, late, for a watcher
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(announced.map((a) => [a.status, a.serverIds, a.socketIds ?? []])).toEqual([
      ["idle", ["9"], []],
      ["dnd", ["9"], ["watcher"]],
    ]);
  });

  test("a late change alone in its window brings its audience the latest status, not its own", () => {
    const first = change("1", "idle", ["9"]);
    const second = change("1", "dnd", ["9"]);
    coalescer.note(second); // announced at once
    coalescer.note({ ...first, serverIds: [], socketIds: ["watcher"] }); // older, for a watcher
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(announced.map((a) => [a.status, a.socketIds ?? []])).toEqual([
      ["dnd", []],
      ["dnd", ["watcher"]],
    ]);
  });

  test("the first change of a quiet user goes out at once", () => {
    coalescer.note(change("1", "idle"));
    expect(heard()).toEqual(["1:idle"]);
  });

  test("changes within the second become one update of the latest when it ends", () => {
    coalescer.note(change("1", "idle"));
    coalescer.note(change("1", "dnd"));
    coalescer.note(change("1", "offline"));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS - 1);
    expect(heard()).toEqual(["1:idle"]);
    vi.advanceTimersByTime(1);
    expect(heard()).toEqual(["1:idle", "1:offline"]);
  });

  test("a thousand changes in ten seconds reach a connection at most once a second, ending on the latest", () => {
    const statuses: PresenceStatus[] = ["online", "idle", "dnd"];
    const at: number[] = [];
    const timed = new PresenceCoalescer(() => at.push(Date.now()));
    let last: PresenceChange | undefined;
    const latest = new PresenceCoalescer((c) => (last = c));
    for (let i = 0; i < 1_000; i++) {
      timed.note(change("1", statuses[i % 3]!));
      latest.note(change("1", statuses[i % 3]!));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(at.length).toBeLessThanOrEqual(11);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(PRESENCE_WINDOW_MS);
    expect(last!.status).toBe(statuses[999 % 3]);
    timed.close();
    latest.close();
  });

  test("a status that flapped back to the announced one is still sent as the latest, then the user is forgotten", () => {
    coalescer.note(change("1", "idle"));
    coalescer.note(change("1", "online"));
    coalescer.note(change("1", "idle"));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(heard()).toEqual(["1:idle", "1:idle"]);
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(coalescer.size).toBe(0);
  });

  test("the same status for a changed set of servers is announced (the new server's members learn it)", () => {
    coalescer.note(change("1", "idle", ["9"]));
    coalescer.note(change("1", "idle", ["9", "10"]));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(announced.map((a) => [a.status, a.serverIds])).toEqual([
      ["idle", ["9"]],
      ["idle", ["9", "10"]],
    ]);
  });

  test("users are coalesced independently", () => {
    coalescer.note(change("1", "idle"));
    coalescer.note(change("2", "dnd"));
    coalescer.note(change("1", "online"));
    expect(heard()).toEqual(["1:idle", "2:dnd"]);
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(heard()).toEqual(["1:idle", "2:dnd", "1:online"]);
  });

  test("after a quiet second the next change goes out at once again", () => {
    coalescer.note(change("1", "idle"));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(coalescer.size).toBe(0);
    coalescer.note(change("1", "online"));
    expect(heard()).toEqual(["1:idle", "1:online"]);
  });

  test("once closed, nothing pending is sent and later changes are ignored", () => {
    coalescer.note(change("1", "idle"));
    coalescer.note(change("1", "dnd"));
    coalescer.close();
    coalescer.note(change("2", "idle"));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(heard()).toEqual(["1:idle"]);
    expect(coalescer.size).toBe(0);
  });

  test("a throwing announcement is reported and coalescing goes on", () => {
    const onError = vi.fn();
    const failing = new PresenceCoalescer(() => {
      throw new Error("socket gone");
    }, { onError });
    failing.note(change("1", "idle"));
    failing.note(change("1", "dnd"));
    vi.advanceTimersByTime(PRESENCE_WINDOW_MS);
    expect(onError).toHaveBeenCalledTimes(2);
    failing.close();
  });
});
