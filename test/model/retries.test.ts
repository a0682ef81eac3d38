// Retry arithmetic: the client-side failure probability from latency quantiles and errors, and
// attempts per request under a retry policy and budget.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attemptFailureProbability, attemptsPerRequest, requestFailureProbability, slowerThanProbability } from "../../sim/model/retries.js";

describe("slowerThanProbability", () => {
  it("passes through the quantiles it is given", () => {
    expect(slowerThanProbability(100, 100, 300, 500)).toBeCloseTo(0.5, 12);
    expect(slowerThanProbability(300, 100, 300, 500)).toBeCloseTo(0.05, 12);
    expect(slowerThanProbability(500, 100, 300, 500)).toBeCloseTo(0.01, 12);
  });

  it("is 1 at a zero timeout, and every response is slow when p50 is already past the timeout", () => {
    expect(slowerThanProbability(0, 20, 40, 60)).toBe(1);
    expect(slowerThanProbability(1000, 10_000, 10_000, 10_000)).toBeGreaterThan(0.9);
  });

  it("decays past p99 and never leaves [0, 1], decreasing in the timeout (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 5000, noNaN: true }), (p50, d95, d99, t) => {
        const p95 = p50 + d95;
        const p99 = p95 + d99;
        const a = slowerThanProbability(t, p50, p95, p99);
        const b = slowerThanProbability(t + 10, p50, p95, p99);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(1);
        expect(b).toBeLessThanOrEqual(a + 1e-12);
      }),
    );
  });
});

describe("attempts", () => {
  it("sums the geometric series of retries: 1 + p + p^2 + p^3", () => {
    expect(attemptsPerRequest(0, 3)).toBe(1);
    expect(attemptsPerRequest(1, 3)).toBe(4);
    expect(attemptsPerRequest(0.5, 3)).toBeCloseTo(1.875, 12);
  });

  it("caps retries at the budget", () => {
    expect(attemptsPerRequest(1, 3, 0.1)).toBeCloseTo(1.1, 12);
    expect(attemptsPerRequest(0.05, 3, 0.1)).toBeCloseTo(1 + 0.05 + 0.0025 + 0.000125, 12);
  });

  it("fails a request only when every attempt fails", () => {
    expect(requestFailureProbability(0.5, 4)).toBeCloseTo(0.0625, 12);
    expect(requestFailureProbability(1, 1.1)).toBe(1);
    expect(requestFailureProbability(0.5, 1.5)).toBeCloseTo(0.5 * 0.75, 12);
    expect(attemptFailureProbability(0.2, 0.5)).toBeCloseTo(0.6, 12);
  });
});
