// Checks Erlang C and M/M/c waiting times against textbook closed forms and the direct factorial formula.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { erlangC, mmcMeanWait, mmcWaitQuantile, waitQuantileGivenC } from "../../sim/model/queueing.js";

/**
 * Erlang C by the textbook formula (Kleinrock, Queueing Systems Vol. 1, 1975, sec. 3.5;
 * Gross & Harris, Fundamentals of Queueing Theory, sec. 2.3):
 *   C(c, a) = (a^c / c!) * c/(c - a) / ( sum_{k<c} a^k/k! + (a^c / c!) * c/(c - a) ).
 * Terms a^k/k! are built by incremental products; in log space with log-sum-exp so that large c
 * does not overflow. Independent of the Erlang B recurrence the implementation uses.
 */
function erlangCByFactorials(c: number, a: number): number {
  const logA = Math.log(a);
  const logTerms: number[] = [0];
  for (let k = 1; k <= c; k++) logTerms.push(logTerms[k - 1] + logA - Math.log(k));
  const logQueued = logTerms[c] + Math.log(c / (c - a));
  const all = [...logTerms.slice(0, c), logQueued];
  const top = Math.max(...all);
  const logSum = top + Math.log(all.reduce((s, x) => s + Math.exp(x - top), 0));
  return Math.exp(logQueued - logSum);
}

/** The same formula with plain factorials, for small c where it is exact enough to read. */
function erlangCPlain(c: number, a: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * a) / (k + 1);
  }
  const queued = (term * c) / (c - a);
  return queued / (sum + queued);
}

/** |x - y| / |y|, with values below 1e-290 (where doubles lose precision as subnormals) treated as equal. */
function relativeError(x: number, y: number): number {
  if (Math.abs(x) < 1e-290 && Math.abs(y) < 1e-290) return 0;
  return Math.abs(x - y) / Math.abs(y);
}

describe("erlangC", () => {
  it.each([0.1, 0.5, 0.9, 0.99])("is rho for M/M/1 (Kleinrock 1975, sec. 3.2: P(wait) = rho), rho = %s", (rho) => {
    expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
  });

  it.each([0.2, 1, 1.5, 1.98])("is 2 rho^2 / (1 + rho) for M/M/2 with rho = a/2 (Kleinrock 1975, sec. 3.5; Gross & Harris), a = %s", (a) => {
    const rho = a / 2;
    expect(erlangC(2, a)).toBeCloseTo((2 * rho * rho) / (1 + rho), 14);
  });

  it("is 4/9 for a = 2 Erlangs on c = 3 servers (factorial formula by hand: (8/6 * 3) / (1 + 2 + 2 + 4))", () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 14);
    expect(erlangCPlain(3, 2)).toBeCloseTo(4 / 9, 14);
  });

  it("matches the factorial formula for a = 10 Erlangs on c = 11 servers", () => {
    const expected = erlangCPlain(11, 10);
    // Sanity of the oracle itself: heavy load, so most arrivals wait.
    expect(expected).toBeGreaterThan(0.6);
    expect(expected).toBeLessThan(0.8);
    expect(relativeError(erlangC(11, 10), expected)).toBeLessThan(1e-12);
  });

  it("matches the factorial formula within 1e-9 relative for c in 1..60 and a < c", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), (c, fraction) => {
        const a = c * fraction;
        expect(relativeError(erlangC(c, a), erlangCPlain(c, a))).toBeLessThan(1e-9);
        expect(relativeError(erlangC(c, a), erlangCByFactorials(c, a))).toBeLessThan(1e-9);
      }),
      { numRuns: 1000 },
    );
  });

  it("stays accurate for thousands of servers, where plain factorials overflow", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 3000 }), fc.double({ min: 0.5, max: 0.999, noNaN: true }), (c, fraction) => {
        const a = c * fraction;
        const value = erlangC(c, a);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThan(1);
        expect(relativeError(value, erlangCByFactorials(c, a))).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it("rises with load and falls with servers", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0.01, max: 0.98, noNaN: true }), (c, fraction) => {
        const a = c * fraction;
        expect(erlangC(c, a * 1.01)).toBeGreaterThan(erlangC(c, a));
        expect(erlangC(c + 1, a)).toBeLessThan(erlangC(c, a));
      }),
    );
  });

  it("is 0 with no load and 1 when the queue is unstable (a >= c)", () => {
    expect(erlangC(1, 0)).toBe(0);
    expect(erlangC(50, 0)).toBe(0);
    expect(erlangC(1, 1)).toBe(1);
    expect(erlangC(3, 3)).toBe(1);
    expect(erlangC(3, 7.5)).toBe(1);
  });

  it.each([
    [0, 1, "servers must be a whole number >= 1, got 0"],
    [-2, 1, "servers must be a whole number >= 1, got -2"],
    [Number.NaN, 1, "servers must be a whole number >= 1, got NaN"],
    [Infinity, 1, "servers must be a whole number >= 1, got Infinity"],
    [2, -0.5, "erlangs must be a finite number >= 0, got -0.5"],
    [2, Number.NaN, "erlangs must be a finite number >= 0, got NaN"],
    [2, Infinity, "erlangs must be a finite number >= 0, got Infinity"],
  ])("throws RangeError for servers=%s, erlangs=%s", (servers, erlangs, message) => {
    expect(() => erlangC(servers, erlangs)).toThrow(RangeError);
    expect(() => erlangC(servers, erlangs)).toThrow(`erlangC: ${message}`);
  });

  it("throws RangeError for a fractional number of servers", () => {
    // The recurrence runs over whole servers, so 2.5 servers would silently mix B(2) with c = 2.5.
    expect(() => erlangC(2.5, 1)).toThrow(RangeError);
  });
});

describe("mmcWaitQuantile", () => {
  it("solves P(W > q) = C * exp(-(c mu - lambda) q) = 1 - p when C > 1 - p", () => {
    // c = 3, lambda = 2, mu = 1: C = 4/9 (above), drain = 1; the 90th percentile is ln(40/9).
    expect(mmcWaitQuantile(3, 2, 1, 0.9)).toBeCloseTo(Math.log(40 / 9), 14);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.double({ min: 0.001, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 0.999, noNaN: true }),
        (servers, utilization, mu, p) => {
          const lambda = servers * mu * utilization;
          const c = erlangCPlain(servers, lambda / mu);
          const q = mmcWaitQuantile(servers, lambda, mu, p);
          if (c > 1 - p) {
            expect(q).toBeGreaterThan(0);
            expect(relativeError(c * Math.exp(-(servers * mu - lambda) * q), 1 - p)).toBeLessThan(1e-9);
          } else {
            expect(q).toBe(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it("is 0 when C <= 1 - p", () => {
    // C = 4/9 <= 1 - 0.5: more than half the arrivals do not wait at all.
    expect(mmcWaitQuantile(3, 2, 1, 0.5)).toBe(0);
    expect(mmcWaitQuantile(4, 0, 1, 0.99)).toBe(0);
  });

  it("is Infinity when the queue is unstable", () => {
    expect(mmcWaitQuantile(2, 2, 1, 0.5)).toBe(Infinity);
    expect(mmcWaitQuantile(2, 3, 1, 0.5)).toBe(Infinity);
    expect(waitQuantileGivenC(0.5, 0, 0.9)).toBe(Infinity);
  });

  it("scales as 1/mu: the quantile is in units of the service time", () => {
    expect(mmcWaitQuantile(3, 20, 10, 0.9)).toBeCloseTo(Math.log(40 / 9) / 10, 14);
  });
});

describe("mmcMeanWait", () => {
  it("is rho / (mu - lambda) for M/M/1 (Kleinrock 1975, sec. 3.2: W = (rho/mu) / (1 - rho))", () => {
    expect(mmcMeanWait(1, 0.5, 1)).toBeCloseTo(1, 14);
    expect(mmcMeanWait(1, 9, 10)).toBeCloseTo(0.9 / 1, 14);
  });

  it("is C / (c mu - lambda), and Infinity when unstable", () => {
    expect(mmcMeanWait(3, 2, 1)).toBeCloseTo(4 / 9, 14);
    expect(mmcMeanWait(3, 3, 1)).toBe(Infinity);
  });
});
