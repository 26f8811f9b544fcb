// The web client's focus (components/gateway/focus.ts) against a fake of the Socket.IO client
// socket (a fake of the transport, not of our storage): it focuses what is on screen after every
// `ready` and on every change, and refills from history only the channels a focus newly took,
// since a channel focused before and after a call missed nothing; after a disconnect, all again.
import { beforeEach, describe, expect, test, vi } from "vitest";

vi.mock("../../components/api/history-loader", () => ({ refreshFocused: vi.fn(async () => {}) }));

import { refreshFocused } from "../../components/api/history-loader";
import { trackFocus } from "../../components/gateway/focus";
import type { ParleySocket } from "../../components/gateway/listeners";
import { useOnScreenStore } from "../../components/state/on-screen-store";

type Ack = { ok: true } | { ok: false; error: { code: string; message: string } };

function fakeSocket(answer: (channelIds: string[]) => Ack = () => ({ ok: true })) {
  const calls: string[][] = [];
  const handlers = new Map<string, () => void>();
  const socket = {
    connected: true,
    timeout: () => ({
      emitWithAck: async (_event: string, payload: { channelIds: string[] }) => {
        calls.push(payload.channelIds);
        return answer(payload.channelIds);
      },
    }),
    on: (event: string, handler: () => void) => handlers.set(event, handler),
    off: (event: string) => handlers.delete(event),
  };
  return { socket: socket as unknown as ParleySocket, calls, disconnect: () => handlers.get("disconnect")?.() };
}

const refreshed = () => vi.mocked(refreshFocused).mock.calls.map(([id]) => id);
const settle = () => new Promise((r) => setTimeout(r, 0));

function show(...channelIds: string[]) {
  for (const id of channelIds) useOnScreenStore.getState().show(id);
}
function hide(...channelIds: string[]) {
  for (const id of channelIds) useOnScreenStore.getState().hide(id);
}

beforeEach(() => {
  vi.mocked(refreshFocused).mockClear();
  useOnScreenStore.setState({ channelIds: [], views: {} });
});

describe("trackFocus", () => {
  test("after ready it focuses what is on screen and refills it", async () => {
    const { socket, calls } = fakeSocket();
    show("1");
    const focus = trackFocus(socket);
    focus.afterReady();
    await settle();
    expect(calls).toEqual([["1"]]);
    expect(refreshed()).toEqual(["1"]);
    focus.stop();
  });

  test("a channel that stays focused across a change is not refilled; one newly focused is", async () => {
    const { socket, calls } = fakeSocket();
    show("1");
    const focus = trackFocus(socket);
    focus.afterReady();
    await settle();
    show("2");
    await settle();
    hide("1");
    await settle();
    expect(calls).toEqual([["1"], ["1", "2"], ["2"]]);
    expect(refreshed()).toEqual(["1", "2"]);
    focus.stop();
  });

  test("after a disconnect the next ready refills everything on screen again", async () => {
    const { socket, disconnect } = fakeSocket();
    show("1");
    const focus = trackFocus(socket);
    focus.afterReady();
    await settle();
    disconnect();
    focus.afterReady();
    await settle();
    expect(refreshed()).toEqual(["1", "1"]);
    focus.stop();
  });

  test("a resumed connection still focuses what it did: only a channel that came on screen meanwhile is refilled", async () => {
    const { socket, calls, disconnect } = fakeSocket();
    show("1");
    const focus = trackFocus(socket);
    focus.afterReady();
    await settle();
    disconnect();
    show("2");
    focus.afterResumed();
    await settle();
    expect(calls.at(-1)).toEqual(["1", "2"]);
    expect(refreshed()).toEqual(["1", "2"]);
    focus.stop();
  });

  test("a refused focus changes nothing: what was focused stays so and is not refilled later", async () => {
    const { socket, calls } = fakeSocket((ids) => (ids.includes("9") ? { ok: false, error: { code: "FORBIDDEN", message: "no" } } : { ok: true }));
    show("1");
    const focus = trackFocus(socket);
    focus.afterReady();
    await settle();
    show("9");
    await settle();
    hide("9");
    await settle();
    expect(calls).toEqual([["1"], ["1", "9"], ["1"]]);
    expect(refreshed()).toEqual(["1"]);
    focus.stop();
  });
});
