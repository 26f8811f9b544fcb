// The message list's gap bookkeeping (components/state/messages-store.ts): a channel whose live
// messages may be missed (not focused, or after a reconnect) remembers where its gap starts, so
// a message heard live meanwhile never hides the gap from the fill.
import { beforeEach, describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import { useMessagesStore } from "../../components/state/messages-store";

const author = { id: "1", username: "ana", displayName: "Ana" };
const msg = (id: number): Message => ({ id: String(id), channelId: "c", serverId: "s", author, content: `#${id}`, createdAt: "2026-02-01T00:00:00.000Z" });
const page = (...ids: number[]) => ids.sort((a, b) => b - a).map(msg); // newest first, as the API answers
const store = () => useMessagesStore.getState();
const channel = () => store().channels.c!;
const ids = () => channel().messages.map((m) => Number(m.id));

beforeEach(() => useMessagesStore.setState({ channels: {} }));

describe("gaps in a channel's messages", () => {
  test("marking a loaded channel stale remembers its newest message as the start of the gap", () => {
    store().applyLatest("c", page(1, 2, 3), 50);
    store().markStale(["c"]);
    expect(channel()).toMatchObject({ stale: true, gapAfter: "3" });
  });

  test("a message heard live while stale does not move the start of the gap", () => {
    store().applyLatest("c", page(1, 2, 3), 50);
    store().markStale(["c"]);
    store().receive(msg(9));
    expect(channel().gapAfter).toBe("3");
    store().markStale(["c"]); // marking again keeps the earliest gap
    expect(channel().gapAfter).toBe("3");
  });

  test("a gap fill resumes after each page and clears the mark only with its last page", () => {
    store().applyLatest("c", page(1, 2, 3), 50);
    store().markAllStale();
    store().applyGap("c", page(4, 5), false);
    expect(channel()).toMatchObject({ stale: true, gapAfter: "5" });
    store().applyGap("c", page(6), true);
    expect(channel()).toMatchObject({ stale: false, gapAfter: undefined });
    expect(ids()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test("a channel still loading when it is marked stale stays stale, its gap starting after the loaded page", () => {
    store().beginLoad("c");
    store().markStale(["c"]);
    store().applyLatest("c", page(1, 2, 3), 50);
    expect(channel()).toMatchObject({ status: "ready", stale: true, gapAfter: "3" });
  });

  test("channels never loaded, or that failed to load, are not marked stale: their first load brings everything", () => {
    store().receive(msg(5));
    store().markStale(["c"]);
    expect(channel().stale).toBe(false);
  });

  test("a first full page drops fragments heard live before it (older than the page), keeps what is newer", () => {
    store().receive(msg(2)); // heard live once, long ago; what came after it was missed
    store().beginLoad("c");
    store().receive(msg(60)); // heard live while the page was on its way
    store().applyLatest("c", page(...Array.from({ length: 50 }, (_, i) => 10 + i)), 50);
    expect(ids()[0]).toBe(10);
    expect(ids().at(-1)).toBe(60);
    expect(ids()).not.toContain(2);
  });

  test("a short first page is the whole channel: nothing is dropped", () => {
    store().receive(msg(2));
    store().applyLatest("c", page(1, 2, 3), 50);
    expect(ids()).toEqual([1, 2, 3]);
  });
});
