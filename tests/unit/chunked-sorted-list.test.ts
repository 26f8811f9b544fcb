// The chunked sorted list against a plain sorted array, through enough values to split chunks.
import { expect, test } from "vitest";
import { ChunkedSortedList } from "../../lib/domain/member-list/chunked-sorted-list";
import { prng } from "../support/member-list-model";

test("inserts, removes, replaces and reads agree with a sorted array through many chunk splits", () => {
  const random = prng(42);
  const compare = (a: number, b: number) => a - b;
  const values = Array.from({ length: 3000 }, (_, i) => i * 2);
  const list = ChunkedSortedList.of(values, compare);
  const model = [...values];
  for (let step = 0; step < 6000; step++) {
    const value = Math.floor(random() * 20_000);
    const at = model.indexOf(value);
    if (at === -1) {
      const position = list.insert(value);
      model.splice(position, 0, value);
      expect(model[position - 1] ?? -1).toBeLessThan(value);
      expect(model[position + 1] ?? Infinity).toBeGreaterThan(value);
    } else {
      expect(list.indexOf(value)).toBe(at);
      expect(list.remove(value)).toBe(at);
      model.splice(at, 1);
    }
    if (step % 500 === 0) {
      expect(list.slice(0, model.length)).toEqual(model);
      const probe = Math.floor(random() * model.length);
      expect(list.at(probe)).toBe(model[probe]);
      expect(list.slice(probe, probe + 99)).toEqual(model.slice(probe, probe + 100));
    }
  }
  expect(list.size).toBe(model.length);
  expect(list.remove(-5)).toBe(-1);
  expect(list.replace(model[10]!)).toBe(10);
});
