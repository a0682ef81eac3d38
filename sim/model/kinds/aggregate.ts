// End-to-end latency and error rate shared by several kinds: a component that calls its
// callees in sequence per request, and one that splits each request over its callees.
import type { Component } from "../component.js";
import type { EdgeImpairment } from "../impairment.js";
import type { SignalName } from "../signals.js";

/** The edge faults in effect on `c`'s calls along its `k`-th downstream edge, or null. */
export function edgeImpairmentOf(c: Component, k: number): EdgeImpairment | null {
  const imps = c.edgeImpairments;
  return imps === null ? null : imps[k];
}

/**
 * A callee's error rate as a caller sees it through edge impairment `imp` (sim/model/impairment.ts):
 * the edge's failures compose with the callee's as independent. Pure.
 */
export function edgeErrorRate(imp: EdgeImpairment | null, t: Readonly<Record<SignalName, number>>): number {
  return imp === null || imp.errorRate === 0 ? t.errorRate : 1 - (1 - t.errorRate) * (1 - imp.errorRate);
}

/** Latency edge impairment `imp` adds to each call (0 without one). Pure. */
export function edgeAddedLatencyMs(imp: EdgeImpairment | null): number {
  return imp === null ? 0 : imp.addLatencyMs;
}

/**
 * Own latency plus each callee's, weighted by calls per request, capped at `latencyCapMs`; the
 * success rate is the own one times each callee's to the power of its calls. Writes c.signals.
 */
export function aggregateSequential(c: Component, components: readonly Component[], latencyCapMs: number): void {
  const s = c.signals;
  let p50 = c.ownLatencyMs[0];
  let p95 = c.ownLatencyMs[1];
  let p99 = c.ownLatencyMs[2];
  let ok = 1 - c.ownErrorRate;
  const imps = c.edgeImpairments;
  const downstream = c.downstream;
  for (let k = 0; k < downstream.length; k++) {
    const d = downstream[k];
    const t = components[d.index].signals;
    // An edge fault: this caller's view of the callee only. Checked per component first, so the
    // usual loop (no edge faults anywhere) reads nothing more than the edge and the callee.
    const imp = imps === null ? null : imps[k];
    if (imp !== null) {
      const add = imp.addLatencyMs;
      p50 += d.callsPerRequest * (t.latencyMsP50 + add);
      p95 += d.callsPerRequest * (t.latencyMsP95 + add);
      p99 += d.callsPerRequest * (t.latencyMsP99 + add);
      const e = edgeErrorRate(imp, t);
      if (e !== 0) ok *= Math.pow(1 - e, d.callsPerRequest);
      continue;
    }
    p50 += d.callsPerRequest * t.latencyMsP50;
    p95 += d.callsPerRequest * t.latencyMsP95;
    p99 += d.callsPerRequest * t.latencyMsP99;
    // pow(x, 1) is x exactly, and a healthy callee (no errors) changes nothing: skip the pow.
    if (t.errorRate !== 0) ok *= d.callsPerRequest === 1 ? 1 - t.errorRate : Math.pow(1 - t.errorRate, d.callsPerRequest);
  }
  s.latencyMsP50 = Math.min(latencyCapMs, p50);
  s.latencyMsP95 = Math.min(latencyCapMs, p95);
  s.latencyMsP99 = Math.min(latencyCapMs, p99);
  s.errorRate = 1 - ok;
}

/**
 * A request goes to one callee, chosen by share (calls per request): latency is the own base
 * plus the share-weighted callee latency, errors the share-weighted callee errors composed with
 * the own ones as independent. Writes c.signals.
 */
export function aggregateSplit(c: Component, components: readonly Component[]): void {
  const s = c.signals;
  let p50 = 0;
  let p95 = 0;
  let p99 = 0;
  let err = 0;
  const imps = c.edgeImpairments;
  const downstream = c.downstream;
  for (let k = 0; k < downstream.length; k++) {
    const d = downstream[k];
    const t = components[d.index].signals;
    const imp = imps === null ? null : imps[k];
    if (imp !== null) {
      // An edge fault: this caller's view of the callee only.
      const add = imp.addLatencyMs;
      p50 += d.callsPerRequest * (t.latencyMsP50 + add);
      p95 += d.callsPerRequest * (t.latencyMsP95 + add);
      p99 += d.callsPerRequest * (t.latencyMsP99 + add);
      err += d.callsPerRequest * edgeErrorRate(imp, t);
      continue;
    }
    p50 += d.callsPerRequest * t.latencyMsP50;
    p95 += d.callsPerRequest * t.latencyMsP95;
    p99 += d.callsPerRequest * t.latencyMsP99;
    err += d.callsPerRequest * t.errorRate;
  }
  const b = c.ownLatencyMs[0];
  s.latencyMsP50 = b + p50;
  s.latencyMsP95 = b + p95;
  s.latencyMsP99 = b + p99;
  // Own failures (no target in service, an unresolvable record, a fault) and the targets'
  // compose as independent; own = 0 keeps the sum exactly as it was.
  s.errorRate = c.ownErrorRate === 0 ? err : 1 - (1 - c.ownErrorRate) * (1 - err);
}

/** Latency and error rate are the component's own (it has no callees that add to them). */
export function aggregateOwn(c: Component): void {
  const s = c.signals;
  s.latencyMsP50 = c.ownLatencyMs[0];
  s.latencyMsP95 = c.ownLatencyMs[1];
  s.latencyMsP99 = c.ownLatencyMs[2];
  s.errorRate = c.ownErrorRate;
}

/** Replica bounds check shared by replicated kinds. Pure. */
export function checkReplicas(id: string, value: number, min: number, max: number): string | null {
  if (!Number.isInteger(value)) return `${id}.replicas must be a whole number, got ${value}`;
  if (value < min || value > max) return `${id}.replicas must be in [${min}, ${max}], got ${value}`;
  return null;
}
