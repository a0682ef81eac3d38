// What active component faults do to a component: overlapping faults combined into one
// impairment, which the world applies to the component's own signals each step. Pure.
import type { ComponentFaultSpec, ComponentSpec } from "../scenario/types.js";
import { kindsAcceptingFault } from "./kinds/registry.js";
import { faultRampFactor, isRamping } from "./ramp.js";

/** Kinds that serve requests, so `errors` and `latency` faults can impair them (each kind module says so). */
export const IMPAIRABLE_KINDS: readonly ComponentSpec["kind"][] = kindsAcceptingFault("errors");

/** Kinds with replica capacity, so `capacityLoss` faults can impair them. */
export const CAPACITY_LOSS_KINDS: readonly ComponentSpec["kind"][] = kindsAcceptingFault("capacityLoss");

/** Kinds that hold resources a `leak` fault can leak (hosts). */
export const LEAK_KINDS: readonly ComponentSpec["kind"][] = kindsAcceptingFault("leak");

/** A component fault in effect, with the seq of its `fault.started` event (its provenance). */
export interface ActiveFault {
  spec: ComponentFaultSpec;
  seq: number;
}

/** The combined effect of every fault active on one component. */
export interface Impairment {
  /** Share of requests failing at the component because of faults: 1 - prod(1 - rate). */
  errorRate: number;
  /** Latency added to the component's own p50, p95 and p99: the sum over latency faults. */
  addLatencyMs: number;
  /** Share of serving capacity left: prod(1 - fraction) over capacityLoss faults. */
  capacityFactor: number;
}

/** What active edge faults do to one caller's calls to one callee: the calls' added latency and failures. */
export interface EdgeImpairment {
  /** Share of the calls failing on the edge: 1 - prod(1 - rate). */
  errorRate: number;
  /** Latency added to each call's p50, p95 and p99: the sum over latency faults. */
  addLatencyMs: number;
}

/**
 * Combines the active faults into one impairment; null when none is active, so an unimpaired
 * component takes exactly the arithmetic it took before faults existed. Overlapping faults
 * compose as independent causes: errors and capacity losses multiply survival, latencies add.
 * A ramping fault's magnitude is scaled by its ramp factor at `tMs` (sim/model/ramp.ts); a fault
 * without ramps takes exactly the arithmetic it took before ramps existed. Pure.
 */
export function combineFaults(active: readonly ActiveFault[], tMs = 0): Impairment | null {
  if (active.length === 0) return null;
  let ok = 1;
  let addLatencyMs = 0;
  let capacityFactor = 1;
  for (const { spec } of active) {
    const k = isRamping(spec) ? faultRampFactor(spec, spec.startMs, faultEndMs(spec), tMs) : 1;
    if (spec.effect === "errors") ok *= 1 - (k === 1 ? spec.rate : spec.rate * k);
    else if (spec.effect === "latency") addLatencyMs += k === 1 ? spec.addMs : spec.addMs * k;
    else if (spec.effect === "capacityLoss") capacityFactor *= 1 - (k === 1 ? spec.fraction : spec.fraction * k);
    // Crash and leak faults impair nothing here: the server's restarts (kinds/server/restarts.ts)
    // act on a crash, and a leak's host adds what it holds to its usage (kinds/host).
  }
  return { errorRate: 1 - ok, addLatencyMs, capacityFactor };
}

/** Combines the active faults on one dependency edge, ramps included, like combineFaults; null when none. Pure. */
export function combineEdgeFaults(active: readonly ActiveFault[], tMs = 0): EdgeImpairment | null {
  const imp = combineFaults(active, tMs);
  return imp === null ? null : { errorRate: imp.errorRate, addLatencyMs: imp.addLatencyMs };
}

/** When a fault ends: start + duration, Infinity without a duration. Pure. */
export function faultEndMs(spec: ComponentFaultSpec): number {
  return spec.durationMs === undefined ? Infinity : spec.startMs + spec.durationMs;
}

/** An own error rate with a fault's failures composed in as independent: 1 - (1 - own)(1 - rate). Pure. */
export function composeErrorRate(own: number, rate: number): number {
  return 1 - (1 - own) * (1 - rate);
}

/** Why `spec` cannot impair a component of `kind`, or null when it can. Pure. */
export function faultTargetProblem(spec: ComponentFaultSpec, kind: ComponentSpec["kind"]): string | null {
  const kinds = spec.effect === "capacityLoss" ? CAPACITY_LOSS_KINDS : kindsAcceptingFault(spec.effect);
  return kinds.includes(kind) ? null : `a ${spec.effect} fault needs a target of kind ${kinds.join(", ")}, not a ${kind}`;
}
