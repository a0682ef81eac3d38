// The Wilson score interval for a binomial proportion: how sure a sweep of n seeds can be about
// the share of seeds that show something. Unlike the textbook p ± z·sqrt(p(1-p)/n) it stays
// inside [0, 1] and is still informative at 0/n and n/n, which is where sweeps usually land.

/** A closed interval of proportions, both ends in [0, 1]. */
export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval (Wilson 1927; Newcombe 1998, method 3, without continuity
 * correction) for `successes` out of `n` at normal quantile `z` (1.96 for 95%). With n = 0 the
 * proportion is unknown and the interval is [0, 1]. Pure; throws a RangeError when the counts
 * are not whole numbers with 0 <= successes <= n or z is not positive.
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): Interval {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: expected whole numbers 0 <= successes <= n, found successes=${successes}, n=${n}`);
  }
  if (!(z > 0 && Number.isFinite(z))) throw new RangeError(`wilsonInterval: expected a positive finite z, found ${z}`);
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0/n and n/n one end is exactly 0 or 1; rounding must not push it a hair outside.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}
