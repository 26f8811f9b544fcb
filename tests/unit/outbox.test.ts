// The outbox: queued while offline, retried with the same nonce, failed only when retrying
// cannot help, one at a time per channel. Driven with a scripted gateway and manual timers.
import { describe, expect, test } from "vitest";
import type { Message } from "../../lib/domain/types";
import type { ErrorCode } from "../../lib/errors";
import type { Ack } from "../../lib/gateway-events";
import { MAX_ATTEMPTS, Outbox, type OutboxItem, type OutboxState } from "../../components/lib/outbox";

type Answer = Ack<{ message: Message }>;
const ok = (item: OutboxItem): Answer => ({
  ok: true,
  message: { id: `id-${item.nonce}`, channelId: item.channelId, serverId: "1", author: { id: "9", username: "me", displayName: "Me" }, content: item.content, nonce: item.nonce, createdAt: "2026-03-01T00:00:00.000Z" },
});
const fail = (code: ErrorCode): Answer => ({ ok: false, error: { code, message: `refused: ${code}` } });
const flush = () => new Promise((r) => setTimeout(r, 0));

function harness(script: (item: OutboxItem, call: number) => Answer | Promise<Answer> = ok) {
  const sent: string[] = [];
  const delivered: string[] = [];
  const states: Array<[string, OutboxState, string?]> = [];
  const timers: Array<{ fn: () => void; ms: number }> = [];
  const world = { connected: true };
  const outbox = new Outbox({
    send: async (item) => {
      sent.push(item.nonce);
      return script(item, sent.length);
    },
    isConnected: () => world.connected,
    delivered: (item) => delivered.push(item.nonce),
    stateChanged: (item, state, error) => states.push([item.nonce, state, error]),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: (handle) => {
      const index = (handle as number) - 1;
      if (timers[index]) timers[index]!.fn = () => {};
    },
    random: () => 0.5,
  });
  const runTimers = async () => {
    for (const timer of timers.splice(0)) timer.fn();
    await flush();
  };
  return { outbox, sent, delivered, states, timers, world, runTimers };
}

const item = (nonce: string, channelId = "c1"): OutboxItem => ({ nonce, channelId, content: `text ${nonce}` });

describe("Outbox", () => {
  test("sends at once while connected and reports the delivery", async () => {
    const h = harness();
    h.outbox.add(item("a"));
    await flush();
    expect(h.sent).toEqual(["a"]);
    expect(h.delivered).toEqual(["a"]);
    expect(h.outbox.items()).toEqual([]);
  });

  test("a message written offline waits, then goes out once the connection is back", async () => {
    const h = harness();
    h.world.connected = false;
    h.outbox.add(item("a"));
    await flush();
    expect(h.sent).toEqual([]);
    expect(h.outbox.items()).toEqual([{ ...item("a"), state: "queued" }]);
    h.world.connected = true;
    h.outbox.connectionChanged(true);
    await flush();
    expect(h.delivered).toEqual(["a"]);
  });

  test("a transient failure is retried after a backoff with the same nonce, and delivered once", async () => {
    const h = harness((it, call) => (call < 3 ? fail("UNAVAILABLE") : ok(it)));
    h.outbox.add(item("a"));
    await flush();
    expect(h.timers.map((t) => t.ms)).toEqual([1_000]);
    await h.runTimers();
    expect(h.timers.map((t) => t.ms)).toEqual([2_000]);
    await h.runTimers();
    expect(h.sent).toEqual(["a", "a", "a"]);
    expect(h.delivered).toEqual(["a"]);
    expect(h.states.some(([, state]) => state === "failed")).toBe(false);
  });

  test("a rate limit is retried after about a second", async () => {
    const h = harness((it, call) => (call === 1 ? fail("RATE_LIMITED") : ok(it)));
    h.outbox.add(item("a"));
    await flush();
    expect(h.timers[0]!.ms).toBeGreaterThanOrEqual(1_000);
    expect(h.timers[0]!.ms).toBeLessThanOrEqual(1_500);
    await h.runTimers();
    expect(h.delivered).toEqual(["a"]);
  });

  test(`after ${MAX_ATTEMPTS} transient failures in a row the message is marked failed, with the reason`, async () => {
    const h = harness(() => fail("INTERNAL"));
    h.outbox.add(item("a"));
    for (let i = 0; i < MAX_ATTEMPTS; i++) await h.runTimers();
    expect(h.sent).toHaveLength(MAX_ATTEMPTS);
    expect(h.states.at(-1)).toEqual(["a", "failed", "refused: INTERNAL"]);
    expect(h.timers).toEqual([]);
  });

  test("a refusal that retrying cannot fix fails at once; retry sends the same nonce again", async () => {
    let refuse = true;
    const h = harness((it) => (refuse ? fail("VALIDATION_FAILED") : ok(it)));
    h.outbox.add(item("a"));
    await flush();
    expect(h.sent).toEqual(["a"]);
    expect(h.states.at(-1)?.[1]).toBe("failed");
    refuse = false;
    h.outbox.retry("c1", "a");
    await flush();
    expect(h.sent).toEqual(["a", "a"]);
    expect(h.delivered).toEqual(["a"]);
  });

  test("a failed message can be discarded; one in flight cannot", async () => {
    let release: (answer: Answer) => void = () => {};
    const h = harness((it) => (it.nonce === "a" ? fail("FORBIDDEN") : new Promise<Answer>((r) => (release = r))));
    h.outbox.add(item("a"));
    await flush();
    expect(h.outbox.discard("c1", "a")).toBe(true);
    h.outbox.add(item("b"));
    await flush();
    expect(h.outbox.discard("c1", "b")).toBe(false);
    release(ok(item("b")));
    await flush();
    expect(h.delivered).toEqual(["b"]);
    expect(h.outbox.items()).toEqual([]);
  });

  test("messages of one channel go one at a time, in order; other channels do not wait", async () => {
    const releases: Array<() => void> = [];
    const h = harness((it) => new Promise<Answer>((r) => releases.push(() => r(ok(it)))));
    h.outbox.add(item("a"));
    h.outbox.add(item("b"));
    h.outbox.add(item("x", "c2"));
    await flush();
    expect(h.sent).toEqual(["a", "x"]);
    releases.shift()!();
    await flush();
    expect(h.sent).toEqual(["a", "x", "b"]);
    for (const release of releases.splice(0)) release();
    await flush();
    expect(h.delivered.sort()).toEqual(["a", "b", "x"]);
  });

  test("losing the connection mid-send counts no attempt: the message is sent again on reconnect", async () => {
    const h = harness((it, call) => {
      if (call === 1) {
        h.world.connected = false;
        return fail("UNAVAILABLE");
      }
      return ok(it);
    });
    h.outbox.add(item("a"));
    await flush();
    expect(h.timers).toEqual([]);
    expect(h.outbox.items()).toEqual([{ ...item("a"), state: "queued" }]);
    h.world.connected = true;
    h.outbox.connectionChanged(true);
    await flush();
    expect(h.sent).toEqual(["a", "a"]);
    expect(h.delivered).toEqual(["a"]);
  });

  test("going offline cancels a pending backoff; the retry happens on reconnect instead", async () => {
    const h = harness((it, call) => (call === 1 ? fail("UNAVAILABLE") : ok(it)));
    h.outbox.add(item("a"));
    await flush();
    h.world.connected = false;
    h.outbox.connectionChanged(false);
    await h.runTimers();
    expect(h.sent).toEqual(["a"]);
    h.world.connected = true;
    h.outbox.connectionChanged(true);
    await flush();
    expect(h.delivered).toEqual(["a"]);
  });

  test("the server's own echo of a queued message removes it without another send", async () => {
    const h = harness();
    h.world.connected = false;
    h.outbox.add(item("a"));
    h.outbox.confirmed("c1", "a");
    h.world.connected = true;
    h.outbox.connectionChanged(true);
    await flush();
    expect(h.sent).toEqual([]);
  });
});
