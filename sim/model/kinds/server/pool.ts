// A server's worker pool (threads, connections, goroutines): a request holds a worker for its
// whole hold time, its own service and the time spent in downstream calls, so a slow dependency
// fills the pool while the CPU idles. The pool is an M/M/c/K system (c workers, K - c waiting
// places): Erlang B for the loss system, the truncated geometric tail for the waiting room. Pure
// apart from the per-step hook `poolHold`/`admitToPool`, which read and write one component.
import type { Component } from "../../component.js";
import { erlangC, expm1MinusX, gaussLegendre } from "../../queueing.js";
import { edgeAddedLatencyMs, edgeImpairmentOf } from "../aggregate.js";

/** One step of a pool. Plain data. */
export interface PoolStep {
  /** Share of arrivals turned away (pool and waiting room full): P_K. */
  blocked: number;
  /** Mean workers busy (requests in progress): a (1 - P_K), Little's law. */
  busy: number;
  /** Mean requests waiting for a worker: L_q. */
  waiting: number;
  /** Mean wait for a worker of an admitted request, ms: L_q / admitted rate (Little's law). */
  waitMs: number;
}

/** A fresh step result. */
export function emptyPoolStep(): PoolStep {
  return { blocked: 0, busy: 0, waiting: 0, waitMs: 0 };
}

const RECURRENCE_MAX = 256;

/**
 * Erlang B: the share of arrivals blocked in an M/M/c/c loss system with `servers` (a whole
 * number >= 0) and `erlangs` >= 0 offered (any load, overload included). Pure; its cost does not
 * grow with the server count.
 *
 * Up to 256 servers the recurrence B(k) = a B(k-1) / (k + a B(k-1)). Above, well below capacity
 * (c + 1 - a > 10 sqrt(a)) it is derived from Erlang C (sim/model/queueing.ts):
 * B = C (c - a) / (c - a C). Near and above capacity it integrates
 * 1/B = a Int_0^inf exp(a - a e^v + (c+1) v) dv (Jagerman's form with 1 + t = e^v) around its
 * peak by Gauss-Legendre quadrature: there the peak's exponent stays small, so nothing overflows.
 */
export function erlangB(servers: number, erlangs: number): number {
  if (!Number.isInteger(servers) || servers < 0 || !(erlangs >= 0) || !Number.isFinite(erlangs)) throw new RangeError(`erlangB: servers must be a whole number >= 0 and erlangs finite >= 0, got ${servers}, ${erlangs}`);
  if (erlangs === 0) return 0;
  if (servers === 0) return 1;
  if (servers <= RECURRENCE_MAX) {
    let b = 1;
    for (let k = 1; k <= servers; k++) b = (erlangs * b) / (k + erlangs * b);
    return b;
  }
  const n = servers + 1;
  if (n - erlangs > 10 * Math.sqrt(erlangs)) {
    const c = erlangC(servers, erlangs);
    return (c * (servers - erlangs)) / (servers - erlangs * c);
  }
  return Math.exp(-logInverseErlangBNearCapacity(n, erlangs));
}

/** ln(1/B) for a >= n - 10 sqrt(a), where g(v) = a - a e^v + n v peaks at v_m = max(0, ln(n/a)) with g(v_m) <= 50. */
function logInverseErlangBNearCapacity(n: number, a: number): number {
  const vm = Math.max(0, Math.log(n / a));
  const g = (v: number) => -a * expm1MinusX(v) - (a - n) * v;
  const gm = g(vm);
  // g is concave with g'' <= -a: g(v) - g(vm) <= -a (v - vm)^2 / 2 right of the peak, and
  // <= -(a - n) v when a > n; the window ends where the integrand is e^-45 of its peak.
  let hi = vm + Math.sqrt(90 / a);
  if (a > n) hi = Math.min(hi, 45 / (a - n));
  return Math.log(a) + gm + Math.log(gaussLegendre((v) => Math.exp(g(v) - gm), 0, hi, 3));
}

/**
 * One step of a pool of `workers` (c) with `places` (m = K - c) waiting places, `arrivalRps`
 * arriving and each admitted request holding a worker `holdMs` on average: the M/M/c/K
 * stationary figures. With a = lambda W, rho = a / c, B = ErlangB(c, a),
 * S = sum_{j=1..m} rho^j and T = sum_{j=1..m} j rho^j:
 *   p_c = B / (1 + B S), P_K = p_c rho^m, L_q = p_c T, busy = a (1 - P_K),
 *   wait = L_q / (lambda (1 - P_K)).
 * With m = 0 this is the loss system (P_K = B). Pure; finite for finite inputs.
 */
export function stepPool(workers: number, places: number, arrivalRps: number, holdMs: number, out: PoolStep = emptyPoolStep()): PoolStep {
  out.blocked = 0;
  out.busy = 0;
  out.waiting = 0;
  out.waitMs = 0;
  if (!(arrivalRps > 0)) return out;
  if (workers <= 0) {
    out.blocked = 1;
    return out;
  }
  const a = (arrivalRps * Math.max(0, holdMs)) / 1000;
  if (a === 0) return out;
  const b = erlangB(workers, a);
  let blocked = b;
  let waiting = 0;
  if (places > 0) {
    const m = places;
    const d = (a - workers) / workers; // rho - 1, without rounding rho first
    const x = Math.log1p(d); // ln rho
    const mx = m * x;
    if (Math.abs(mx) < 1e-4) {
      // rho^j = e^{jx} summed as a series in x: S = m + x P1 + x^2/2 P2, T = P1 + x P2 + x^2/2 P3.
      const p1 = (m * (m + 1)) / 2;
      const p2 = (m * (m + 1) * (2 * m + 1)) / 6;
      const p3 = p1 * p1;
      const s = m + x * p1 + ((x * x) / 2) * p2;
      const t = p1 + x * p2 + ((x * x) / 2) * p3;
      const pc = b / (1 + b * s);
      blocked = pc * Math.exp(mx);
      waiting = pc * t;
    } else if (d < 0) {
      const rho = 1 + d;
      const s = (rho * Math.expm1(mx)) / d;
      const rhoM = Math.exp(mx);
      const t = (s - m * rho * rhoM) / -d;
      const pc = b / (1 + b * s);
      blocked = pc * rhoM;
      waiting = pc * t;
    } else {
      // rho > 1: divide through by rho^m so nothing overflows.
      const rho = 1 + d;
      const e = Math.exp(-mx);
      const s = (-Math.expm1(-mx) * rho) / d; // S rho^-m
      const t = (m * rho - s) / d; // T rho^-m
      const denominator = e + b * s;
      blocked = b / denominator;
      waiting = (b * t) / denominator;
    }
  }
  blocked = Math.min(1, Math.max(0, blocked));
  out.blocked = blocked;
  out.busy = Math.min(workers, a * (1 - blocked));
  out.waiting = Math.max(0, waiting);
  const admittedRps = arrivalRps * (1 - blocked);
  out.waitMs = admittedRps > 0 ? (out.waiting / admittedRps) * 1000 : 0;
  return out;
}

/**
 * The mean time an admitted request holds a worker, ms, as known when `c` is served: its own
 * latency of the previous step (queueing, CPU, its own latency faults; without the wait for a
 * worker, `lastWaitMs`) and, for each dependency, calls per request x the callee's end-to-end
 * p50 of the previous step (callers are served before callees, so that is what is known) plus
 * an edge fault's added latency. At least `baseLatencyMs`, at most `latencyMsMax`. The p50
 * stands for the mean, as for clients' concurrency limits. Pure read.
 */
export function poolHoldMs(c: Component, components: readonly Component[], baseLatencyMs: number, latencyMsMax: number, lastWaitMs: number): number {
  let hold = Math.max(baseLatencyMs, c.ownLatencyMs[0] - lastWaitMs);
  for (let k = 0; k < c.downstream.length; k++) {
    const d = c.downstream[k];
    hold += d.callsPerRequest * (components[d.index].signals.latencyMsP50 + edgeAddedLatencyMs(edgeImpairmentOf(c, k)));
  }
  return Math.min(latencyMsMax, hold);
}

/**
 * Folds a pool step into what the server derived for the admitted load: rejected requests
 * count in its own error rate, the wait for a worker adds to its own latency (as the mean, at
 * every quantile, capped at `latencyMsMax`), and the pool's signals are set. `workers` is the
 * pool's size over the serving pods. Mutates `c`.
 */
export function settlePool(c: Component, p: PoolStep, workers: number, latencyMsMax: number): void {
  c.ownErrorRate = 1 - (1 - p.blocked) * (1 - c.ownErrorRate);
  if (p.waitMs > 0) {
    c.ownLatencyMs[0] = Math.min(latencyMsMax, c.ownLatencyMs[0] + p.waitMs);
    c.ownLatencyMs[1] = Math.min(latencyMsMax, c.ownLatencyMs[1] + p.waitMs);
    c.ownLatencyMs[2] = Math.min(latencyMsMax, c.ownLatencyMs[2] + p.waitMs);
  }
  const s = c.signals;
  s.concurrency = p.busy;
  s.poolUtilization = workers > 0 ? p.busy / workers : c.offeredRps > 0 ? 1 : 0;
  s.queueLength = p.waiting;
}
