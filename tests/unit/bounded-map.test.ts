import { describe, expect, test } from "vitest";
import { BoundedMap } from "../../lib/adapters/cache/bounded-map";

describe("BoundedMap", () => {
  test("beyond its limit it forgets the least recently used entry, not the oldest written", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1);
    map.set("b", 2);
    expect(map.get("a")).toBe(1); // "b" is now the least recently used
    map.set("c", 3);
    expect(map.get("b")).toBeUndefined();
    expect(map.get("a")).toBe(1);
    expect(map.get("c")).toBe(3);
    expect(map.size).toBe(2);
  });

  test("overwriting a key neither grows the map nor evicts another entry", () => {
    const map = new BoundedMap<string, number>(2);
    map.set("a", 1);
    map.set("b", 2);
    map.set("a", 10);
    expect([map.get("a"), map.get("b"), map.size]).toEqual([10, 2, 2]);
  });

  test("a deleted key is gone and frees its place", () => {
    const map = new BoundedMap<string, boolean>(1);
    map.set("a", false);
    map.delete("a");
    expect(map.get("a")).toBeUndefined();
    map.set("b", true);
    expect(map.size).toBe(1);
  });

  test("every value that leaves is reported once: forgotten, deleted, replaced or dropped as the oldest", () => {
    const left: number[] = [];
    const map = new BoundedMap<string, number>(2, (value) => left.push(value));
    map.set("a", 1);
    map.set("b", 2);
    map.get("a"); // reading moves nothing out
    map.set("c", 3); // b is the least recently used
    map.set("a", 10); // replaces 1
    map.delete("c");
    map.delete("missing");
    expect(map.deleteOldest()).toBe(true); // a
    expect(map.deleteOldest()).toBe(false);
    expect(left).toEqual([2, 1, 3, 10]);
  });
});
