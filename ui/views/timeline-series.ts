// Per-pixel reduction of a time series that grows at its end (a streaming run): each pixel column
// keeps its minimum and maximum sample, so spikes and dips survive; complete columns are reduced
// once, and only the last column is redone when more samples arrive.

/**
 * Sample indexes to draw, per pixel column `Math.floor(x(t))`: the column's only sample, or its
 * minimum and maximum in time order. Non-finite values are skipped. Pure.
 */
export function downsamplePerPixel(times: ArrayLike<number>, values: ArrayLike<number>, count: number, x: (t: number) => number): number[] {
  const columns = new Int32Array(count);
  for (let i = 0; i < count; i++) columns[i] = Math.floor(x(times[i]));
  const reducer = new ColumnReducer();
  reducer.extend(columns, values, 1, 0, count);
  return reducer.indexes;
}

export class ColumnReducer {
  /** The sample indexes to draw, in time order: the complete columns', then the last column's. */
  readonly indexes: number[] = [];
  /** How many of the last entries of `indexes` belong to the last column (which may still grow). */
  private open = 0;
  /** First sample of the last column. */
  private tail = 0;

  /**
   * Reads samples [tail, count): sample i lies in pixel column `columns[i]` and has the value
   * `values[i * stride + offset]` (telemetry is row-major). `count` never shrinks between calls.
   * Returns how many trailing entries of `indexes` were replaced (the last column's, at most 2)
   * and how many are new at its end, so a drawing can drop and append those points instead of
   * redrawing. O(new samples).
   */
  extend(columns: ArrayLike<number>, values: ArrayLike<number>, stride: number, offset: number, count: number): { dropped: number; added: number } {
    const indexes = this.indexes;
    const dropped = this.open;
    indexes.length -= dropped;
    const kept = indexes.length;
    let column = Number.NaN;
    let start = -1;
    let lo = -1;
    let hi = -1;
    let loValue = 0;
    let hiValue = 0;
    for (let i = this.tail; i < count; i++) {
      const v = values[i * stride + offset];
      if (!Number.isFinite(v)) continue;
      const c = columns[i];
      if (c !== column) {
        if (lo >= 0) {
          if (lo === hi) indexes.push(lo);
          else if (lo < hi) indexes.push(lo, hi);
          else indexes.push(hi, lo);
        }
        column = c;
        start = i;
        lo = hi = i;
        loValue = hiValue = v;
      } else if (v < loValue) {
        lo = i;
        loValue = v;
      } else if (v > hiValue) {
        hi = i;
        hiValue = v;
      }
    }
    const closed = indexes.length;
    if (lo >= 0) {
      if (lo === hi) indexes.push(lo);
      else if (lo < hi) indexes.push(lo, hi);
      else indexes.push(hi, lo);
    }
    this.open = indexes.length - closed;
    this.tail = start >= 0 ? start : Math.max(this.tail, count);
    return { dropped, added: indexes.length - kept };
  }
}
