// Queueing formulas for latency under load: Erlang C (probability that a request waits in an
// M/M/c queue) for any server count at bounded cost, and the waiting-time quantiles that follow
// from it. Pure functions.

/**
 * Largest whole server count computed by the exact Erlang B recurrence (one step per server).
 * Above it, and for fractional server counts, the integral form is used: 96 exponentials
 * whatever the count (about 2.5 recurrence calls at this limit), against one division per server.
 */
export const ERLANG_RECURRENCE_SERVERS_MAX = 256;

/**
 * Erlang C: probability that an arriving request must wait, for `servers` identical servers and
 * an offered load of `erlangs` = arrival rate / service rate per server. Returns 0 with no load
 * and 1 when the queue is unstable (erlangs >= servers); may underflow to 0 when erlangs is far
 * below servers. Pure, and its cost does not grow with `servers`.
 *
 * C = c B / (c - a (1 - B)) from Erlang B, the probability that all servers are busy in the loss
 * system. Whole counts up to ERLANG_RECURRENCE_SERVERS_MAX run the recurrence
 * B(k) = a B(k-1) / (k + a B(k-1)), which stays stable where the factorial form overflows.
 * Larger or fractional counts use the integral form (Jagerman 1974)
 *   1/B(c, a) = a * Integral_0^inf exp(-a t) (1 + t)^c dt,
 * evaluated in log space by fixed-order Gauss-Legendre quadrature around the integrand's peak.
 * Measured relative error of C against the recurrence and against the incomplete gamma function
 * (docs/model.md): below 1e-12.
 *
 * `servers` may be any finite number >= 1, fractional included: a fractional count uses the
 * continuous extension of Erlang B, which agrees with the recurrence at whole counts.
 * Throws RangeError for servers < 1, erlangs < 0 and NaN or infinite arguments: those are bugs in
 * the caller (the server model clamps its server count before calling).
 */
export function erlangC(servers: number, erlangs: number): number {
  if (!(servers >= 1) || !Number.isFinite(servers)) throw new RangeError(`erlangC: servers must be a finite number >= 1, got ${servers}`);
  if (!(erlangs >= 0) || !Number.isFinite(erlangs)) throw new RangeError(`erlangC: erlangs must be a finite number >= 0, got ${erlangs}`);
  if (erlangs === 0) return 0;
  if (erlangs >= servers) return 1;
  if (Number.isInteger(servers) && servers <= ERLANG_RECURRENCE_SERVERS_MAX) {
    let b = 1;
    for (let k = 1; k <= servers; k++) b = (erlangs * b) / (k + erlangs * b);
    // Kept as first written so that runs below the limit reproduce earlier event logs bit for bit.
    return (servers * b) / (servers - erlangs * (1 - b));
  }
  // exp(-ln(1/B)) underflows to 0 for very light loads on many servers, which is the right answer.
  const b = Math.exp(-logInverseErlangB(servers, erlangs));
  // (c - a) + a B rather than c - a (1 - B): near capacity 1 - B rounds off by a c * 1e-16 that
  // is not small next to c - a (3e-12 relative error at 2e9 servers and rho = 0.99999).
  return (servers * b) / (servers - erlangs + erlangs * b);
}

/**
 * ln(1/B(c, a)) from the integral form. Substituting 1 + t = exp(v*+w), with n = c + 1 and the
 * peak v* = ln(n/a), the integral becomes
 *   1/B = a * exp(a h(x)) * J,   x = (n - a)/a,   h(x) = (1 + x) ln(1 + x) - x,
 *   J = Integral_{-v*}^{inf} exp(-n (e^w - 1 - w)) dw,
 * so the huge factors (a^-n, e^a, n^n) cancel analytically instead of in floating point, and J
 * is a bell of width 1/sqrt(n) around w = 0 that a fixed quadrature integrates well for any n.
 */
function logInverseErlangB(c: number, a: number): number {
  const n = c + 1;
  const x = (n - a) / a;
  // For a tiny a, x overflows; the logarithms of n and a do not.
  const vPeak = Number.isFinite(x) ? Math.log1p(x) : Math.log(n) - Math.log(a);
  // a h(x) is a difference of nearly equal terms when x is small (load near capacity), so it is
  // summed as a series there: h(x) = x^2 (1/2 - x/6 + x^2/12 - ...) = x^2 sum_k (-x)^k / ((k+1)(k+2)).
  let peak: number;
  if (x < 0.1) {
    let s = 0;
    for (let k = 18; k >= 0; k--) s = 1 / ((k + 1) * (k + 2)) - x * s;
    peak = a * x * x * s;
  } else {
    peak = n * vPeak - (n - a);
  }
  return Math.log(a) + peak + Math.log(peakIntegral(n, vPeak));
}

/**
 * J = Integral_{-vPeak}^{inf} exp(-n phi(w)) dw with phi(w) = e^w - 1 - w, over the window where
 * n phi(w) <= TAIL_EXPONENT (the rest is below e^-45 of the peak): composite Gauss-Legendre,
 * QUADRATURE_PANELS panels of 32 points.
 */
function peakIntegral(n: number, vPeak: number): number {
  const tau = TAIL_EXPONENT / n;
  const r = Math.sqrt(2 * tau);
  // Both ends over-reach the exact window, which only costs a little accuracy: right of the
  // peak phi(w) >= w^2/2 and w = ln(1 + phi + w); left of it phi(w) >= w^2/4 on [-1.5, 0] and
  // phi(w) >= -w - 1 everywhere.
  const hi = Math.min(r, Math.log(1 + tau + r));
  const lo = Math.max(-vPeak, tau <= 0.5625 ? -2 * Math.sqrt(tau) : -(tau + 1));
  return gaussLegendre((w) => Math.exp(-n * expm1MinusX(w)), lo, hi, QUADRATURE_PANELS);
}

/**
 * Integral of `f` over [lo, hi] by composite 32-point Gauss-Legendre with `panels` equal panels:
 * 32 x panels evaluations of `f`, whatever the interval. Pure when `f` is.
 */
export function gaussLegendre(f: (x: number) => number, lo: number, hi: number, panels: number): number {
  const half = (hi - lo) / panels / 2;
  let sum = 0;
  for (let p = 0; p < panels; p++) {
    const mid = lo + (2 * p + 1) * half;
    for (let i = 0; i < GAUSS_LEGENDRE_32_NODES.length; i++) {
      const d = half * GAUSS_LEGENDRE_32_NODES[i];
      sum += GAUSS_LEGENDRE_32_WEIGHTS[i] * (f(mid - d) + f(mid + d));
    }
  }
  return sum * half;
}

/** e^w - 1 - w without the cancellation of expm1(w) - w near 0 (sum_{k>=2} w^k / k! there). Pure. */
export function expm1MinusX(w: number): number {
  if (Math.abs(w) >= 0.25) return Math.expm1(w) - w;
  // Terms past w^13/13! are below 1e-18 of the sum for |w| < 0.25.
  let s = INVERSE_FACTORIALS[INVERSE_FACTORIALS.length - 1];
  for (let i = INVERSE_FACTORIALS.length - 2; i >= 0; i--) s = INVERSE_FACTORIALS[i] + w * s;
  return w * w * s;
}

/** 1/k! for k = 2..13. */
const INVERSE_FACTORIALS = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320, 1 / 362880, 1 / 3628800, 1 / 39916800, 1 / 479001600, 1 / 6227020800];

/** Where the quadrature window ends: the integrand is e^-45 of its peak there. */
const TAIL_EXPONENT = 45;
/**
 * Panels of the composite rule: two reach 1e-13 above 256 servers but only 3e-10 for fractional
 * counts near 1, whose integrand is skewed; three reach 1e-13 for both.
 */
const QUADRATURE_PANELS = 3;

// Positive nodes and weights of 32-point Gauss-Legendre on [-1, 1] (the rule is symmetric),
// from Newton's method on P_32 in 40-digit arithmetic (mpmath), rounded to doubles.
const GAUSS_LEGENDRE_32_NODES = [
  0.04830766568773832, 0.1444719615827965, 0.23928736225213706, 0.33186860228212767, 0.42135127613063533, 0.5068999089322294, 0.5877157572407623, 0.6630442669302152,
  0.7321821187402897, 0.7944837959679424, 0.84936761373257, 0.8963211557660521, 0.9349060759377397, 0.9647622555875064, 0.9856115115452684, 0.9972638618494816,
];
const GAUSS_LEGENDRE_32_WEIGHTS = [
  0.0965400885147278, 0.09563872007927486, 0.09384439908080457, 0.09117387869576389, 0.08765209300440381, 0.08331192422694675, 0.07819389578707031, 0.0723457941088485,
  0.06582222277636185, 0.058684093478535544, 0.050998059262376175, 0.04283589802222668, 0.03427386291302143, 0.02539206530926206, 0.01627439473090567, 0.007018610009470096,
];

/**
 * The p-quantile (0 < p < 1) of the waiting time in an M/M/c queue, in the unit of 1/serviceRate.
 * P(W > t) = C * exp(-(c*mu - lambda) * t), so the quantile is 0 when C <= 1 - p. Pure.
 */
export function mmcWaitQuantile(servers: number, arrivalRate: number, serviceRate: number, p: number): number {
  return waitQuantileGivenC(erlangC(servers, arrivalRate / serviceRate), servers * serviceRate - arrivalRate, p);
}

/**
 * The p-quantile of the M/M/c waiting time given the Erlang C probability `c` and the drain rate
 * c*mu - lambda, for callers that need several quantiles from one Erlang C evaluation. Pure.
 */
export function waitQuantileGivenC(c: number, drainRate: number, p: number): number {
  if (c >= 1 || drainRate <= 0) return Infinity;
  if (c <= 1 - p) return 0;
  return Math.log(c / (1 - p)) / drainRate;
}

/** Mean waiting time in an M/M/c queue: C / (c*mu - lambda). Infinity when unstable. Pure. */
export function mmcMeanWait(servers: number, arrivalRate: number, serviceRate: number): number {
  const c = erlangC(servers, arrivalRate / serviceRate);
  return c >= 1 ? Infinity : c / (servers * serviceRate - arrivalRate);
}
