// The ring of recent packets that resumes a connection on any node (server/gateway/resume-ring.ts):
// what a connection in given rooms missed after its offset, in order; a node's own coalesced
// packets found by their own offset here and by the logged packet they followed elsewhere;
// nothing answered once the offset has aged out.
import { describe, expect, test } from "vitest";
import { ResumeRing } from "../../server/gateway/resume-ring";

const set = (...rooms: string[]) => new Set(rooms);

function ringAt(node = "n") {
  let now = 0;
  const ring = new ResumeRing(10_000, () => now, node);
  return { ring, advance: (ms: number) => (now += ms) };
}

describe("ResumeRing", () => {
  test("the packets after the offset that reach the rooms, oldest first, except rooms respected", () => {
    const { ring } = ringAt();
    ring.logged("1", set("server:1"), set(), ["a", "1"]);
    ring.logged("2", set("server:2"), set(), ["b", "2"]);
    ring.logged("3", set("server:1", "server:3"), set("user:me"), ["c", "3"]);
    ring.logged("4", set("server:1"), set(), ["d", "4"]);
    ring.logged("5", set(), set(), ["everyone", "5"]);
    expect(ring.missedSince("1", set("server:1"))).toEqual([["c", "3"], ["d", "4"], ["everyone", "5"]]);
    expect(ring.missedSince("1", set("server:1", "user:me"))).toEqual([["d", "4"], ["everyone", "5"]]);
    expect(ring.missedSince("5", set("server:1"))).toEqual([]);
    expect(ring.missedSince("9", set("server:1"))).toBeUndefined();
    expect(ring.has("4")).toBe(true);
    expect(ring.has("9")).toBe(false);
  });

  test("a node's own packets: exact here, after their logged packet elsewhere", () => {
    const here = ringAt("a").ring;
    const elsewhere = ringAt("b").ring;
    for (const ring of [here, elsewhere]) ring.logged("10", set("server:1"), set(), ["m1", "10"]);
    const data: unknown[] = ["presence:update"];
    const offset = here.local(set("server:1"), set(), data);
    data.push(offset);
    expect(offset).toBe("10.a1");
    elsewhere.local(set("server:1"), set(), ["its own presence", "10.b1"]);
    for (const ring of [here, elsewhere]) ring.logged("11", set("server:1"), set(), ["m2", "11"]);
    expect(here.missedSince("10.a1", set("server:1"))).toEqual([["m2", "11"]]);
    expect(elsewhere.missedSince("10.a1", set("server:1"))).toEqual([["its own presence", "10.b1"], ["m2", "11"]]);
    expect(here.local(set(), set(), [])).toBe("11.a1");
    expect(here.local(set(), set(), [])).toBe("11.a2");
  });

  test("entries older than the window are gone: their offsets no longer resume", () => {
    const { ring, advance } = ringAt();
    ring.logged("1", set("r"), set(), ["a"]);
    advance(6_000);
    ring.logged("2", set("r"), set(), ["b"]);
    advance(5_000);
    expect(ring.has("1")).toBe(false);
    expect(ring.missedSince("2", set("r"))).toEqual([]);
    advance(6_000);
    expect(ring.has("2")).toBe(false);
    expect(ring.size).toBe(0);
  });

  test("thousands of packets: trimming keeps order and only the window", () => {
    const { ring, advance } = ringAt();
    for (let i = 1; i <= 5_000; i++) {
      ring.logged(String(i), set(i % 2 ? "odd" : "even"), set(), [i]);
      advance(5);
    }
    // 10 s of packets at one per 5 ms: the last 2,000.
    expect(ring.size).toBe(2_000);
    expect(ring.has("3000")).toBe(false);
    expect(ring.missedSince("4990", set("odd"))).toEqual([[4991], [4993], [4995], [4997], [4999]]);
  });
});
