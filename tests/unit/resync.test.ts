// The web client's answer to `gateway:resync` (components/gateway/catch-up.ts): after a random
// moment within the spread it marks every loaded channel stale and fills what is on screen
// from history, once for every notice that arrived meanwhile. History is faked at the loader's
// boundary (the transport), the stores are the real ones.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";

vi.mock("../../components/api/history-loader", () => ({ fillGap: vi.fn(async () => {}), loadLatest: vi.fn(async () => {}) }));
vi.mock("../../components/api/parley-api", () => ({ parleyApi: { listReadStates: vi.fn(async () => []) } }));

import { fillGap } from "../../components/api/history-loader";
import { resyncLater } from "../../components/gateway/catch-up";
import { useMessagesStore } from "../../components/state/messages-store";
import { useOnScreenStore } from "../../components/state/on-screen-store";

const filled = () => vi.mocked(fillGap).mock.calls.map(([id]) => id);

beforeEach(() => {
  vi.useFakeTimers();
  vi.mocked(fillGap).mockClear();
  useOnScreenStore.setState({ channelIds: ["10", "11"], views: {} });
  useMessagesStore.setState({ channels: {} });
  useMessagesStore.getState().applyLatest("10", [], 50);
  useMessagesStore.getState().applyLatest("12", [], 50);
});
afterEach(() => vi.useRealTimers());

describe("resyncLater", () => {
  test("fills the on-screen channels once, within the spread, however many notices came", async () => {
    const onResync = resyncLater(3_000).notice;
    onResync();
    onResync();
    onResync();
    expect(filled()).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(filled()).toEqual(["10", "11"]);
  });

  test("marks every loaded channel stale, the ones off screen included", async () => {
    resyncLater(3_000).notice();
    await vi.advanceTimersByTimeAsync(3_000);
    const { channels } = useMessagesStore.getState();
    expect(channels["10"]?.stale).toBe(true);
    expect(channels["12"]?.stale).toBe(true);
  });

  test("stop drops a fill still waiting", async () => {
    const resync = resyncLater(3_000);
    resync.notice();
    resync.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(filled()).toEqual([]);
  });

  test("a notice after the fill started is served by another fill", async () => {
    const onResync = resyncLater(3_000).notice;
    onResync();
    await vi.advanceTimersByTimeAsync(3_000);
    onResync();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(filled()).toEqual(["10", "11", "10", "11"]);
  });
});
