// The virtualized list's arithmetic: offsets, the row at a position, the rendered range.
import { describe, expect, test } from "vitest";
import { buildOffsets, rowAt, visibleRange } from "../../components/chat/virtual-window";

describe("virtual window", () => {
  const offsets = buildOffsets(5, (i) => [10, 20, 30, 40, 50][i]!);

  test("offsets accumulate heights, ending with the total", () => {
    expect([...offsets]).toEqual([0, 10, 30, 60, 100, 150]);
  });

  test("the row at a position is the last one starting at or before it, clamped to the list", () => {
    expect([rowAt(offsets, -5), rowAt(offsets, 0), rowAt(offsets, 9.9), rowAt(offsets, 10), rowAt(offsets, 99), rowAt(offsets, 500)]).toEqual([0, 0, 0, 1, 3, 4]);
  });

  test("the range covers the viewport plus overscan on both sides", () => {
    expect(visibleRange(offsets, 35, 30, 0)).toEqual([2, 4]);
    expect(visibleRange(offsets, 35, 30, 20)).toEqual([1, 4]);
    expect(visibleRange(offsets, 35, 30, 30)).toEqual([0, 4]);
    expect(visibleRange(offsets, 35, 30, 40)).toEqual([0, 5]);
    expect(visibleRange(buildOffsets(0, () => 1), 0, 100, 10)).toEqual([0, 0]);
  });

  test("10,000 rows: a window in the middle renders a handful of them", () => {
    const many = buildOffsets(10_000, () => 24);
    const [start, end] = visibleRange(many, 120_000, 800, 400);
    expect(start).toBe(Math.floor((120_000 - 400) / 24));
    expect(end - start).toBe(Math.ceil(1_600 / 24) + 1);
  });
});
