// Checks Erlang C and M/M/c waiting times against textbook closed forms, the direct factorial
// formula and, for large and fractional server counts, the Erlang B recurrence.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERLANG_RECURRENCE_SERVERS_MAX, erlangC, mmcMeanWait, mmcWaitQuantile, waitQuantileGivenC } from "../../sim/model/queueing.js";

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
    [0, 1, "servers must be a finite number >= 1, got 0"],
    [0.5, 0.1, "servers must be a finite number >= 1, got 0.5"],
    [-2, 1, "servers must be a finite number >= 1, got -2"],
    [Number.NaN, 1, "servers must be a finite number >= 1, got NaN"],
    [Infinity, 1, "servers must be a finite number >= 1, got Infinity"],
    [2, -0.5, "erlangs must be a finite number >= 0, got -0.5"],
    [2, Number.NaN, "erlangs must be a finite number >= 0, got NaN"],
    [2, Infinity, "erlangs must be a finite number >= 0, got Infinity"],
  ])("throws RangeError for servers=%s, erlangs=%s", (servers, erlangs, message) => {
    expect(() => erlangC(servers, erlangs)).toThrow(RangeError);
    expect(() => erlangC(servers, erlangs)).toThrow(`erlangC: ${message}`);
  });
});

/** Offered loads as a share of the servers: 0.01 to 0.99 in steps of 0.01, then up to 0.999. */
const RHO_GRID = [...Array.from({ length: 99 }, (_, i) => (i + 1) / 100), 0.995, 0.998, 0.999];

/** Erlang B by the recurrence, the exact reference (one step per server). */
function erlangBRecurrence(c: number, a: number): number {
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Erlang C from the recurrence's Erlang B: the reference for counts above the recurrence limit. */
function erlangCRecurrence(c: number, a: number): number {
  const b = erlangBRecurrence(c, a);
  return (c * b) / (c - a * (1 - b));
}

/** Largest relative error of erlangC against the recurrence over RHO_GRID for `c` servers. */
function worstOverRhoGrid(c: number): number {
  return Math.max(...RHO_GRID.map((rho) => relativeError(erlangC(c, rho * c), erlangCRecurrence(c, rho * c))));
}

describe("erlangC for any number of servers", () => {
  it(`is below 1e-9 relative to the factorial formula for every c <= 200 over rho 0.01..0.999 (the recurrence up to ${ERLANG_RECURRENCE_SERVERS_MAX})`, () => {
    for (let c = 1; c <= 200; c++) {
      for (const rho of RHO_GRID) expect(relativeError(erlangC(c, rho * c), erlangCByFactorials(c, rho * c)), `c=${c} rho=${rho}`).toBeLessThan(1e-9);
    }
  });

  it(`is the recurrence bit for bit up to ${ERLANG_RECURRENCE_SERVERS_MAX} whole servers (library event logs depend on its exact bits)`, () => {
    for (const c of [1, 2, 7, 40, 160, 200, ERLANG_RECURRENCE_SERVERS_MAX]) {
      for (const rho of [0.05, 0.5, 0.9, 0.999]) expect(erlangC(c, rho * c)).toBe(erlangCRecurrence(c, rho * c));
    }
  });

  // The integral form takes over above 256 servers; the recurrence is still cheap enough here to
  // be the reference (1e6 servers x 102 loads is ~0.3 s).
  it.each([257, 500, 1000, 1e4, 1e5, 1e6])("is below 1e-9 relative to the recurrence for c = %s over rho 0.01..0.999 (1e-3 required)", (c) => {
    expect(worstOverRhoGrid(c)).toBeLessThan(1e-9);
  });

  it("matches the recurrence within 1e-9 at random counts in 257..5000 and loads up to 0.9999 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: ERLANG_RECURRENCE_SERVERS_MAX + 1, max: 5000 }), fc.double({ min: 1e-4, max: 0.9999, noNaN: true }), (c, rho) => {
        expect(relativeError(erlangC(c, rho * c), erlangCRecurrence(c, rho * c))).toBeLessThan(1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it("extends to fractional counts: continuous at whole counts and obeying the Erlang B recurrence between them (property)", () => {
    // The integral form is defined for real c and satisfies B(c+1) = a B(c) / (c+1 + a B(c)) for
    // every real c, so stepping a fractional count by one is an independent check of it.
    const bFromC = (c: number, a: number, cc: number) => (cc * (c - a)) / (c - a * cc);
    fc.assert(
      fc.property(fc.double({ min: 1, max: 400, noNaN: true }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (c, rho) => {
        const a = rho * c;
        const b = bFromC(c, a, erlangC(c, a));
        const next = bFromC(c + 1, a, erlangC(c + 1, a));
        expect(relativeError(next, (a * b) / (c + 1 + a * b))).toBeLessThan(1e-9);
        const whole = Math.max(1, Math.round(c));
        if (whole > 1) expect(relativeError(erlangC(whole + 1e-9, rho * whole), erlangC(whole, rho * whole))).toBeLessThan(1e-7);
      }),
      { numRuns: 500 },
    );
  });

  it("is 0 (underflow) for light loads on many servers, 1 at or above capacity, 0 without load", () => {
    expect(erlangC(1e12, 1)).toBe(0);
    expect(erlangC(2e9, 1e9)).toBe(0);
    expect(erlangC(1e6, 1e-300)).toBe(0);
    expect(erlangC(1e12, 1e12)).toBe(1);
    expect(erlangC(2e9, 3e9)).toBe(1);
    expect(erlangC(1e12, 0)).toBe(0);
    expect(erlangC(1.5, 1.5)).toBe(1);
  });

  it("gives finite values in [0, 1] for huge counts (1e12, 2e9, 2^53 and past it), rising with load", () => {
    for (const c of [2e9, 1e12, 2 ** 53, 1e15, 1e300]) {
      let previous = 0;
      for (const rho of [0.9, 0.99, 0.999, 0.9999, 0.99999, 1 - 1e-7]) {
        const value = erlangC(c, rho * c);
        expect(value, `c=${c} rho=${rho}`).toBeGreaterThanOrEqual(previous);
        expect(value).toBeLessThan(1);
        previous = value;
      }
    }
  });

  it("approaches the heavy-traffic limit C -> 1 / (1 + beta Phi(beta) / phi(beta)) as 1/sqrt(c) (Halfin & Whitt 1981), up to 1e12 servers", () => {
    // With a = c - beta sqrt(c), Halfin-Whitt's limit is exact as c -> infinity and the gap is
    // O(1/sqrt(c)): about 1e-6 at c = 1e12, and a million times c shrinks it a thousandfold.
    const gap = (c: number, beta: number) => {
      const phi = Math.exp((-beta * beta) / 2) / Math.sqrt(2 * Math.PI);
      const limit = 1 / (1 + (beta * standardNormalCdf(beta)) / phi);
      return relativeError(erlangC(c, c - beta * Math.sqrt(c)), limit);
    };
    for (const beta of [0.1, 0.5, 1, 2]) {
      expect(gap(1e12, beta), `beta=${beta}`).toBeLessThan(5e-6);
      const shrink = gap(1e6, beta) / gap(1e12, beta);
      expect(shrink, `beta=${beta}`).toBeGreaterThan(700);
      expect(shrink, `beta=${beta}`).toBeLessThan(1400);
    }
  });

  it("costs the same at 1e12 servers as at 1e3 (no loop over servers)", () => {
    // 1e12 steps of the recurrence would take hours; the whole loop must finish at once.
    for (let i = 0; i < 1000; i++) erlangC(1e12 + i, 0.999 * 1e12);
  });
});

/** Standard normal CDF for |x| <= 3 by Marsaglia's series (J. Stat. Softw. 11(4), 2004), to ~1e-15. */
function standardNormalCdf(x: number): number {
  // Phi(x) = 1/2 + phi(x) * sum_{k>=0} x^(2k+1) / (1*3*5*...*(2k+1)).
  let term = x;
  let sum = x;
  for (let k = 1; k < 60; k++) {
    term *= (x * x) / (2 * k + 1);
    sum += term;
  }
  return 0.5 + (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * sum;
}

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
