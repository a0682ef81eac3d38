// The Wilson score interval against published and independently computed values, and its
// basic properties (inside [0, 1], contains the observed share, mirror-symmetric).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../sim/sweep/wilson.js";

describe("wilsonInterval", () => {
  // Reference values, 4 decimal places:
  // - 81/263, 15/148, 0/20, 1/29: Newcombe R.G. (1998), "Two-sided confidence intervals for the
  //   single proportion: comparison of seven methods", Statistics in Medicine 17(8):857-872,
  //   Table II, method 3 (score interval without continuity correction).
  // - 0/10, 5/10, 10/10, 17/20: SciPy 1.17 `scipy.stats.binomtest(k, n).proportion_ci(0.95,
  //   method="wilson")` (uses z = 1.959964; 1.96 agrees to 4 places on all of these).
  const cases: [number, number, number, number][] = [
    [0, 10, 0, 0.2775],
    [5, 10, 0.2366, 0.7634],
    [10, 10, 0.7225, 1],
    [17, 20, 0.6396, 0.9476],
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  it.each(cases)("%i/%i at z = 1.96 is [%f, %f]", (k, n, low, high) => {
    const ci = wilsonInterval(k, n);
    expect(ci.low).toBeCloseTo(low, 4);
    expect(ci.high).toBeCloseTo(high, 4);
  });

  it("is exactly 0 at 0/n and exactly 1 at n/n", () => {
    expect(wilsonInterval(0, 7).low).toBe(0);
    expect(wilsonInterval(7, 7).high).toBe(1);
  });

  it("says nothing (the whole [0, 1]) about zero seeds", () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it("narrows with more seeds and widens with a larger z", () => {
    expect(wilsonInterval(50, 100).high - wilsonInterval(50, 100).low).toBeLessThan(wilsonInterval(5, 10).high - wilsonInterval(5, 10).low);
    expect(wilsonInterval(5, 10, 2.576).low).toBeLessThan(wilsonInterval(5, 10).low);
  });

  it("lies in [0, 1], contains k/n and mirrors: [l, h] for k/n is [1-h, 1-l] for (n-k)/n", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n))), ([k, n]) => {
        const ci = wilsonInterval(k, n);
        const mirror = wilsonInterval(n - k, n);
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(1);
        expect(ci.low).toBeLessThanOrEqual(k / n);
        expect(ci.high).toBeGreaterThanOrEqual(k / n);
        expect(ci.low).toBeCloseTo(1 - mirror.high, 12);
      }),
    );
  });

  it("rejects counts that are not 0 <= k <= n whole numbers, and a non-positive z", () => {
    expect(() => wilsonInterval(3, 2)).toThrow(/0 <= successes <= n, found successes=3, n=2/);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 0)).toThrow(/positive finite z/);
  });
});
