// The web client's member list apart from the browser: the row arithmetic of the virtualized
// list, the store that keeps the server's ops (only the ranges the server holds are trusted),
// and the gateway side (components/gateway/member-list-watch.ts) against a fake of the
// Socket.IO client socket: it subscribes after every `ready`, leaves the previous server with
// `ranges: []`, lets a scroll settle, and retries what may pass.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { placeOfRow, rangesToWatch, rowsInView, describeList, MEMBER_ROW_HEIGHT } from "../../components/chat/member-list-window";
import type { ParleySocket } from "../../components/gateway/listeners";
import { SCROLL_SETTLE_MS, trackMemberList } from "../../components/gateway/member-list-watch";
import { resetMemberLists, trustedRow, useMemberListStore } from "../../components/state/member-list-store";
import type { MemberListItem, MemberListUpdate, RowRange } from "../../lib/domain/member-list/types";

const member = (id: string, status: "online" | "offline" = "offline"): MemberListItem => ({
  member: { user: { id, username: `u${id}`, displayName: `User ${id}`, createdAt: "2026-01-01T00:00:00.000Z" } as never, joinedAt: "2026-01-01T00:00:00.000Z", status },
});
const update = (ops: MemberListUpdate["ops"], memberCount = 300): MemberListUpdate => ({
  serverId: "1", memberCount, onlineCount: 0, groups: [{ id: "offline", count: memberCount }], ops,
});
const ids = (index: number[]) => index.map((i) => {
  const row = trustedRow(useMemberListStore.getState().byServer["1"], i);
  return row && "member" in row ? row.member.user.id : row ? "header" : undefined;
});

describe("the member list's rows", () => {
  test("only the rows in view (and a few around them) are rendered", () => {
    expect(rowsInView(0, 440, 10_000, 0)).toEqual([0, 10]);
    expect(rowsInView(640 * MEMBER_ROW_HEIGHT, 440, 10_000, 8)).toEqual([632, 658]);
    expect(rowsInView(0, 440, 5, 8)).toEqual([0, 5]);
    expect(rowsInView(0, 440, 0)).toEqual([0, 0]);
  });

  test("the block of the top row and the next one are watched, whole", () => {
    expect(rangesToWatch(0)).toEqual([[0, 99], [100, 199]]);
    expect(rangesToWatch(99)).toEqual([[0, 99], [100, 199]]);
    expect(rangesToWatch(640)).toEqual([[600, 699], [700, 799]]);
  });

  test("headers and groups follow from the counts, loaded or not", () => {
    const groups = [{ id: "online" as const, count: 2 }, { id: "offline" as const, count: 3 }];
    expect([0, 1, 2, 3, 4, 6, 7].map((i) => placeOfRow(groups, i) && `${placeOfRow(groups, i)!.group.id}${placeOfRow(groups, i)!.header ? "!" : ""}`))
      .toEqual(["online!", "online", "online", "offline!", "offline", "offline", undefined]);
    expect(placeOfRow([{ id: "offline", count: 1 }], 0)!.header).toBe(true);
    expect(describeList(1_200, 12)).toBe("Members, 1,200: 12 online, 1,188 offline");
  });
});

describe("the member-list store", () => {
  beforeEach(() => resetMemberLists());

  test("rows count once the server holds their range, and rows outside it read as unknown", () => {
    const store = useMemberListStore.getState();
    store.subscribing("1", [[0, 99]]);
    store.held("1", [[0, 99]]);
    store.apply(update([{ op: "SYNC", range: [0, 99], items: [{ group: { id: "offline", count: 300 } }, member("10"), member("11")] }]));
    // An op that reaches past the range (the server's splices keep the copy in step) is not trusted there.
    store.apply(update([{ op: "UPDATE", index: 150, item: member("99") }]));
    expect(ids([0, 1, 2, 3, 150])).toEqual(["header", "10", "11", undefined, undefined]);
  });

  test("moving to another block forgets the old rows once the server holds the new ones", () => {
    const store = useMemberListStore.getState();
    store.held("1", [[0, 99]]);
    store.apply(update([{ op: "SYNC", range: [0, 1], items: [{ group: { id: "offline", count: 300 } }, member("10")] }]));
    store.subscribing("1", [[200, 299]]);
    expect(ids([1])).toEqual(["10"]); // still shown while the call is on its way
    store.held("1", [[200, 299]]);
    store.apply(update([{ op: "SYNC", range: [200, 200], items: [member("20")] }]));
    expect(ids([1, 200])).toEqual([undefined, "20"]);
    // Back to block 0: its old rows are gone, not shown stale before the SYNC.
    store.held("1", [[0, 99]]);
    expect(ids([1])).toEqual([undefined]);
  });
});

type Ack = { ok: true } | { ok: false; error: { code: string; message: string } };

function fakeSocket(answer: () => Ack = () => ({ ok: true })) {
  const calls: Array<{ serverId: string; ranges: RowRange[] }> = [];
  const handlers = new Map<string, () => void>();
  const socket = {
    connected: true,
    timeout: () => ({
      emitWithAck: async (_event: string, payload: { serverId: string; ranges: RowRange[] }) => {
        calls.push(payload);
        return answer();
      },
    }),
    on: (event: string, handler: () => void) => handlers.set(event, handler),
    off: (event: string) => handlers.delete(event),
  };
  return { socket: socket as unknown as ParleySocket, calls, disconnect: () => handlers.get("disconnect")?.() };
}

describe("trackMemberList", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    resetMemberLists();
  });
  afterEach(() => vi.useRealTimers());
  const want = (serverId: string, ranges: RowRange[]) => useMemberListStore.getState().want(serverId, ranges);
  const settle = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

  test("after ready it subscribes to the wanted rows, and again after every reconnect", async () => {
    const { socket, calls, disconnect } = fakeSocket();
    const watch = trackMemberList(socket);
    want("1", rangesToWatch(0));
    await settle(); // not ready yet: nothing sent
    expect(calls).toEqual([]);
    watch.afterReady();
    await settle();
    expect(calls).toEqual([{ serverId: "1", ranges: [[0, 99], [100, 199]] }]);
    disconnect();
    watch.afterReady();
    await settle();
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual(calls[0]);
    expect(useMemberListStore.getState().byServer["1"]!.held).toEqual([[0, 99], [100, 199]]);
    watch.stop();
  });

  test("a scroll is subscribed once it settles; another server at once, leaving the old one", async () => {
    const { socket, calls } = fakeSocket();
    const watch = trackMemberList(socket);
    watch.afterReady();
    want("1", rangesToWatch(0));
    await settle();
    want("1", rangesToWatch(300));
    want("1", rangesToWatch(500));
    await settle(SCROLL_SETTLE_MS - 10);
    expect(calls).toHaveLength(1);
    await settle(20);
    expect(calls.slice(1)).toEqual([{ serverId: "1", ranges: [[500, 599], [600, 699]] }]);
    useMemberListStore.getState().unwant("1");
    want("2", rangesToWatch(0));
    await settle();
    expect(calls.slice(2)).toEqual([{ serverId: "1", ranges: [] }, { serverId: "2", ranges: [[0, 99], [100, 199]] }]);
    watch.stop();
  });

  test("a refusal that may pass is retried; a list no longer mine is not", async () => {
    let code = "RATE_LIMITED";
    const { socket, calls } = fakeSocket(() => (code ? { ok: false, error: { code, message: "no" } } : { ok: true }));
    const watch = trackMemberList(socket);
    watch.afterReady();
    want("1", rangesToWatch(0));
    await settle();
    expect(calls).toHaveLength(1);
    code = "";
    await settle(3_000);
    expect(calls).toHaveLength(2);
    code = "FORBIDDEN";
    want("2", rangesToWatch(0));
    await settle(10_000);
    expect(calls.map((c) => c.serverId)).toEqual(["1", "1", "1", "2"]);
    watch.stop();
  });
});
