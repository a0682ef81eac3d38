// The server model's hooks into crash restarts and cold starts (./restarts.ts): when to create
// the restart state, how many replicas serve, the cold-start load sent to the dependency through
// the normal load path, and the optional signals. Kept apart so server/model.ts only calls in.
import type { Component } from "../../component.js";
import type { SignalName } from "../../signals.js";
import type { StepContext } from "../kind.js";
import type { ServerSpec } from "./spec.js";
import { DEFAULT_RESTART, freshRestartState, restartCounts, stepRestarts, type RestartState } from "./restarts.js";

/** The optional signals of a server with `restart` or `coldStart`. */
export const RESTART_SIGNALS: readonly SignalName[] = ["crashedReplicas", "coldStartingReplicas", "restarts", "coldStartRps"];

/** A server's restart state and the index of its cold-start dependency (-1 without one). */
export interface ServerRestarts {
  state: RestartState;
  fromIndex: number;
}

/**
 * Serving pods after crashes and cold starts: `pods` minus the replicas crashed or cold-starting
 * this step. Creates the restart state on first use (a `restart` or `coldStart` field, or a crash
 * fault on the server); adds the step's cold-start load to the dependency's offered load.
 */
export function restartsNotServing(holder: { restarts: ServerRestarts | null }, c: Component, ctx: StepContext, tMs: number, pods: number): number {
  const spec = c.spec as ServerSpec;
  let r = holder.restarts;
  if (r === null) {
    const used = spec.restart !== undefined || spec.coldStart !== undefined || c.faults.some((f) => f.spec.effect === "crash");
    if (!used) return pods;
    const from = spec.coldStart?.from;
    const edge = from === undefined ? undefined : c.downstream.find((d) => ctx.components[d.index].spec.id === from);
    r = holder.restarts = { state: freshRestartState(c.knobs.replicas), fromIndex: edge ? edge.index : -1 };
  }
  const dependencyErrorRate = r.fromIndex >= 0 ? ctx.components[r.fromIndex].signals.errorRate : 0;
  const notServing = stepRestarts(r.state, {
    replicas: c.knobs.replicas,
    policy: spec.restart ?? DEFAULT_RESTART,
    coldStart: spec.coldStart,
    faults: c.faults,
    dependencyErrorRate,
    stepMs: ctx.stepMs,
    tMs,
  });
  if (r.state.coldStartRps > 0 && r.fromIndex >= 0) ctx.load[r.fromIndex] += r.state.coldStartRps;
  return Math.max(0, pods - notServing);
}

/** Sets the restart signals of `c` from its restart state. */
export function restartSignals(r: ServerRestarts, c: Component): void {
  const counts = restartCounts(r.state);
  c.signals.crashedReplicas = counts.crashed;
  c.signals.coldStartingReplicas = counts.coldStarting;
  c.signals.restarts = r.state.restarts;
  c.signals.coldStartRps = r.state.coldStartRps;
}
