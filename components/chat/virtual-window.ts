// The arithmetic of the virtualized message list: where each row starts, and which rows a
// window of the scroll area covers. Rows not rendered use measured or estimated heights.

/** offsets[i] is where row i starts; offsets[count] is the total height. */
export function buildOffsets(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i]! + heightOf(i);
  return offsets;
}

/** The row covering position `y` (clamped to the first and last row). */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (offsets[mid]! <= y) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Rows [start, end) to render for a viewport from `top` to `top + height`, with overscan. */
export function visibleRange(offsets: Float64Array, top: number, height: number, overscan: number): [number, number] {
  const count = offsets.length - 1;
  if (count <= 0) return [0, 0];
  return [rowAt(offsets, top - overscan), Math.min(count, rowAt(offsets, top + height + overscan) + 1)];
}
