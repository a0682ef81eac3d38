// Queueing formulas for latency under load: Erlang C (probability that a request waits in an
// M/M/c queue) and the waiting-time quantiles that follow from it. Pure functions.

/**
 * Erlang C: probability that an arriving request must wait, for `servers` identical servers and
 * an offered load of `erlangs` = arrival rate / service rate per server. Returns 1 when the queue
 * is unstable (erlangs >= servers). Computed through the Erlang B recurrence, which stays stable
 * for thousands of servers where the textbook factorial form overflows.
 */
export function erlangC(servers: number, erlangs: number): number {
  if (!Number.isInteger(servers) || servers < 1) throw new RangeError(`erlangC: servers must be a whole number >= 1, got ${servers}`);
  if (!(erlangs >= 0) || !Number.isFinite(erlangs)) throw new RangeError(`erlangC: erlangs must be a finite number >= 0, got ${erlangs}`);
  if (erlangs === 0) return 0;
  if (erlangs >= servers) return 1;
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (erlangs * b) / (k + erlangs * b);
  return (servers * b) / (servers - erlangs * (1 - b));
}

/**
 * The p-quantile (0 < p < 1) of the waiting time in an M/M/c queue, in the unit of 1/serviceRate.
 * P(W > t) = C * exp(-(c*mu - lambda) * t), so the quantile is 0 when C <= 1 - p.
 */
export function mmcWaitQuantile(servers: number, arrivalRate: number, serviceRate: number, p: number): number {
  return waitQuantileGivenC(erlangC(servers, arrivalRate / serviceRate), servers * serviceRate - arrivalRate, p);
}

/**
 * The p-quantile of the M/M/c waiting time given the Erlang C probability `c` and the drain rate
 * c*mu - lambda, for callers that need several quantiles from one Erlang C evaluation.
 */
export function waitQuantileGivenC(c: number, drainRate: number, p: number): number {
  if (c >= 1 || drainRate <= 0) return Infinity;
  if (c <= 1 - p) return 0;
  return Math.log(c / (1 - p)) / drainRate;
}

/** Mean waiting time in an M/M/c queue: C / (c*mu - lambda). Infinity when unstable. */
export function mmcMeanWait(servers: number, arrivalRate: number, serviceRate: number): number {
  const c = erlangC(servers, arrivalRate / serviceRate);
  return c >= 1 ? Infinity : c / (servers * serviceRate - arrivalRate);
}
