// The timeline's per-pixel reduction of a growing series: reducing it chunk by chunk (as a run
// streams in) must give exactly the points of reducing it in one go, and every pixel column must
// keep its extremes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ColumnReducer, downsamplePerPixel } from "../../ui/views/timeline-series.js";

/** A series: sample times ascending, values (some NaN), and a pixel column per time. */
const seriesArb = fc
  .record({
    gaps: fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 400 }),
    values: fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constant(Number.NaN)), { minLength: 400, maxLength: 400 }),
    msPerPixel: fc.integer({ min: 1, max: 60 }),
    cuts: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 12 }),
  })
  .map(({ gaps, values, msPerPixel, cuts }) => {
    const times: number[] = [];
    let t = 0;
    for (const g of gaps) times.push((t += g));
    return { times, values: values.slice(0, times.length), x: (ms: number) => ms / msPerPixel, cuts: [...cuts.map((c) => Math.min(c, times.length)), times.length].sort((a, b) => a - b) };
  });

describe("ColumnReducer", () => {
  it("gives the same indexes chunk by chunk as in one go, and its reports say which points changed", () => {
    fc.assert(
      fc.property(seriesArb, ({ times, values, x, cuts }) => {
        const whole = downsamplePerPixel(times, values, times.length, x);
        const columns = times.map((t) => Math.floor(x(t)));
        const reducer = new ColumnReducer();
        let drawn: number[] = [];
        for (const count of cuts) {
          const { dropped, added } = reducer.extend(columns, values, 1, 0, count);
          // What a drawing does with the report: drop the last points, append the new ones.
          drawn = [...drawn.slice(0, drawn.length - dropped), ...reducer.indexes.slice(reducer.indexes.length - added)];
          expect(drawn).toEqual(reducer.indexes);
          expect(dropped).toBeLessThanOrEqual(2);
        }
        expect(reducer.indexes).toEqual(whole);
      }),
    );
  });

  it("keeps each pixel column's minimum and maximum, in time order", () => {
    fc.assert(
      fc.property(seriesArb, ({ times, values, x }) => {
        const kept = downsamplePerPixel(times, values, times.length, x);
        for (let k = 1; k < kept.length; k++) expect(kept[k]).toBeGreaterThan(kept[k - 1]);
        const byColumn = new Map<number, number[]>();
        times.forEach((t, i) => {
          if (Number.isFinite(values[i])) byColumn.set(Math.floor(x(t)), [...(byColumn.get(Math.floor(x(t))) ?? []), values[i]]);
        });
        const keptByColumn = new Map<number, number[]>();
        for (const i of kept) keptByColumn.set(Math.floor(x(times[i])), [...(keptByColumn.get(Math.floor(x(times[i]))) ?? []), values[i]]);
        expect([...keptByColumn.keys()]).toEqual([...byColumn.keys()]);
        for (const [column, all] of byColumn) {
          const mine = keptByColumn.get(column)!;
          expect(mine.length).toBeLessThanOrEqual(2);
          expect(Math.min(...mine)).toBe(Math.min(...all));
          expect(Math.max(...mine)).toBe(Math.max(...all));
        }
      }),
    );
  });

  it("reads row-major telemetry through stride and offset", () => {
    // Two signals interleaved: the second (offset 1) has its spike at sample 2.
    const values = [0, 1, 0, 5, 0, 9, 0, 2];
    const reducer = new ColumnReducer();
    reducer.extend([0, 0, 0, 0], values, 2, 1, 4);
    expect(reducer.indexes).toEqual([0, 2]);
  });
});
