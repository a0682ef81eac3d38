// Behaviour of `host` components: a node whose residents (components with `runsOn`) call it like
// a dependency, so the world serves them first and the host reads this step's replicas and
// served load. It derives usage per resource, OOM-kills everything on it when memory reaches its
// limit, fails the excess share of requests when CPU, descriptors or threads run out, and holds
// what active leak faults leaked. Its residents see its failures end to end (aggregateSequential).
import { HOST_AMOUNT_MAX } from "../../../scenario/budgets.js";
import type { Component } from "../../component.js";
import type { SignalName } from "../../signals.js";
import { aggregateOwn } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";
import type { HostSpec, ResidentSpec } from "./spec.js";
import { HOST_RESOURCES, type HostResource } from "./units.js";
import { addResidentDemand, emptyDemands, judgeHost, type Demands } from "./usage.js";

/** The knob holding each limit: what an agent or operator raises. */
export const LIMIT_KNOBS: Record<HostResource, string> = { cpu: "cpuLimitMillicores", memory: "memoryLimitBytes", fileDescriptors: "fileDescriptorsLimit", threads: "threadsLimit" };

/** The optional signal reporting each resource's usage as a share of its limit. */
export const USAGE_SIGNALS: Record<HostResource, SignalName> = { cpu: "cpuUsage", memory: "memoryUsage", fileDescriptors: "fdUsage", threads: "threadUsage" };

/** Per-host state: the OOM restart window and when each active leak began holding what it holds. */
export interface HostState {
  /** Until when the processes on it are down after an OOM kill (-Infinity: not killed). */
  killedUntilMs: number;
  /** Leak fault id -> time its held amount counts from (its first step, or the end of the last OOM restart). */
  leakSince: Map<string, number>;
  /** Scratch demand of the step. */
  demands: Demands;
}

const specOf = (c: Component) => c.spec as HostSpec;
const stateOf = (c: Component) => c.state as HostState;

/** Current limits, from the knobs (a resource without a knob is not limited). */
function limitsOf(c: Component): Partial<Record<HostResource, number>> {
  const out: Partial<Record<HostResource, number>> = {};
  for (const r of HOST_RESOURCES) {
    const v = c.knobs[LIMIT_KNOBS[r]];
    if (v !== undefined) out[r] = v;
  }
  return out;
}

/**
 * What active leak faults hold at `tMs` (mutates their start times in `state`): rate x time since
 * the leak began, or since the last OOM restart ended; a fault that ended releases its amount.
 */
function leaked(c: Component, state: HostState, tMs: number, out: Demands): void {
  if (c.faults.length === 0 && state.leakSince.size === 0) return;
  const seen = new Set<string>();
  for (const f of c.faults) {
    const spec = f.spec;
    if (spec.effect !== "leak") continue;
    seen.add(spec.id);
    let since = state.leakSince.get(spec.id);
    if (since === undefined) state.leakSince.set(spec.id, (since = Math.max(tMs, state.killedUntilMs)));
    out[spec.resource].fixed += (spec.ratePerS * Math.max(0, tMs - since)) / 1000;
  }
  for (const id of [...state.leakSince.keys()]) if (!seen.has(id)) state.leakSince.delete(id);
}

/** Hosts (docs/model.md#host). */
export const hostModel: ComponentKind = {
  kinds: ["host"],
  docsAnchor: "host",
  faultEffects: ["leak"],

  initialKnobs(raw) {
    const spec = raw as HostSpec;
    const knobs: Record<string, number> = {};
    for (const r of HOST_RESOURCES) if (spec.limits[r] !== undefined) knobs[LIMIT_KNOBS[r]] = spec.limits[r]!;
    return knobs;
  },

  create() {
    const state: HostState = { killedUntilMs: -Infinity, leakSince: new Map(), demands: emptyDemands() };
    return state;
  },

  checkKnob(c, knob, value) {
    if (value <= 0 || value > HOST_AMOUNT_MAX) return `${c.spec.id}.${knob} must be a limit in (0, ${HOST_AMOUNT_MAX.toExponential(0)}], got ${value}`;
    return null;
  },

  serve(c, ctx, tMs) {
    const spec = specOf(c);
    const state = stateOf(c);
    const d = state.demands;
    for (const r of HOST_RESOURCES) d[r].fixed = d[r].perRequest = 0;
    // Residents are the host's callers: served before it this step. Their p50 is last step's
    // (their end-to-end latency is aggregated after the host).
    for (const i of c.upstream) {
      const r = ctx.components[i];
      const uses = (r.spec as ResidentSpec).uses;
      if (uses === undefined) continue;
      addResidentDemand(d, { replicas: r.knobs.replicas ?? 1, servedRps: r.servedRps, latencyMsP50: r.signals.latencyMsP50, uses });
    }
    leaked(c, state, tMs, d);
    const limits = limitsOf(c);
    const verdict = judgeHost(d, limits);
    let killed = tMs < state.killedUntilMs;
    if (!killed && verdict.oom) {
      // OOM: every process on the host is killed and restarts after restartMs; what leaked is freed.
      killed = true;
      state.killedUntilMs = tMs + spec.restartMs;
      for (const id of state.leakSince.keys()) state.leakSince.set(id, state.killedUntilMs);
    }
    const error = killed ? 1 : verdict.errorRate;
    const s = c.signals;
    let utilization = 0;
    for (const r of HOST_RESOURCES) {
      const limit = limits[r];
      const ratio = limit === undefined ? 0 : verdict.usage[r] / limit;
      s[USAGE_SIGNALS[r]] = ratio;
      if (ratio > utilization) utilization = ratio;
    }
    s.utilization = utilization;
    s.available = 1 - error;
    s.replicas = 0;
    s.costPerHour = 0;
    c.servedRps = c.offeredRps * (1 - error);
    c.ownErrorRate = error;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = 0;
  },

  aggregate(c) {
    aggregateOwn(c);
  },

  optionalSignals(raw) {
    const spec = raw as HostSpec;
    return HOST_RESOURCES.filter((r) => spec.limits[r] !== undefined).map((r) => USAGE_SIGNALS[r]);
  },
};
