// Behaviour of `provisioner` components: a control plane (./control-plane.ts) whose jobs add
// replicas to the servers naming it and whose API quota those jobs share with agents' commands.
// Requests offered to it are API calls on the same quota; its signals are API calls per second and the throttled share.
import type { ProvisionerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { aggregateOwn } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";
import { ControlPlane } from "./control-plane.js";

/** Per-component state: the control plane, and who exhausted its quota last. */
export interface ProvisionerState {
  plane: ControlPlane;
  /** Agent id -> seq of its latest command that was throttled or left less than a launch's calls in the bucket. */
  readonly exhausters: Map<string, number>;
  /** Bumped whenever `exhausters` changes (servers waiting on the provisioner re-read it). */
  causesVersion: number;
  /** Whether the last charged command exhausted the quota (set by chargeCommand, read by noteCommandCharged). */
  lastExhausted: boolean;
}

const specOf = (c: Component) => c.spec as ProvisionerSpec;
const stateOf = (c: Component) => c.state as ProvisionerState;

/** The provisioner state of component `c`, or undefined when it is not a provisioner. */
export function provisionerStateOf(c: Component): ProvisionerState | undefined {
  return c.spec.kind === "provisioner" ? stateOf(c) : undefined;
}

/** The seqs of the commands that exhausted the quota, ascending. Pure read. */
export function exhausterSeqs(state: ProvisionerState): number[] {
  return [...state.exhausters.values()].sort((a, b) => a - b);
}

/** Provisioners (docs/model.md#provisioner). */
export const provisionerModel: ComponentKind = {
  kinds: ["provisioner"],
  docsAnchor: "provisioner",
  faultEffects: [],

  initialKnobs() {
    return {};
  },

  create(raw) {
    const spec = raw as ProvisionerSpec;
    const state: ProvisionerState = {
      plane: new ControlPlane({ rateRps: spec.rateRps, burst: spec.burst, maxConcurrentJobs: spec.maxConcurrentJobs, jobDurationMs: spec.jobDurationMs, jobTimeoutMs: spec.jobTimeoutMs, callsPerJob: spec.callsPerJob }),
      exhausters: new Map(),
      causesVersion: 0,
      lastExhausted: false,
    };
    return state;
  },

  checkKnob() {
    return "a provisioner has no knobs";
  },

  serve(c, ctx, tMs) {
    const plane = stateOf(c).plane;
    // Requests offered to a provisioner (a workload, an agent's sendLoad) are API calls made
    // during the step that ended, so they take tokens before this step's launches are tried.
    // A fluid of calls: a fractional rate takes a fractional share of a token.
    const offeredCalls = (c.offeredRps * ctx.stepMs) / 1000;
    if (offeredCalls > 0) plane.callSequence(offeredCalls, tMs);
    plane.advance(tMs);
    const w = plane.takeWindow();
    // Its load is the API calls of the step that ended: offered calls, job launches and agents' commands.
    c.offeredRps = (w.asked * 1000) / ctx.stepMs;
    c.servedRps = 0;
    c.ownErrorRate = w.asked > 0 ? w.refused / w.asked : 0;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = 0;
    const s = c.signals;
    s.utilization = plane.runningJobs / specOf(c).maxConcurrentJobs;
    s.available = plane.available(tMs) / specOf(c).burst;
    s.costPerHour = 0;
    s.replicas = 0;
    s.queuedJobs = plane.queuedJobs;
    s.runningJobs = plane.runningJobs;
  },

  aggregate(c) {
    aggregateOwn(c);
  },

  provenance(c, _ctx, out) {
    for (const seq of exhausterSeqs(stateOf(c))) out.push(seq);
  },

  optionalSignals() {
    return ["queuedJobs", "runningJobs"];
  },

  chargeCommand(c, actor, tMs) {
    const spec = specOf(c);
    const calls = spec.agentCalls[actor];
    if (calls === undefined) return null;
    const state = stateOf(c);
    const admitted = state.plane.callSequence(calls, tMs);
    state.lastExhausted = calls > 0 && (admitted < calls || state.plane.available(tMs) < spec.callsPerJob);
    if (admitted === calls) return { reason: null, causes: [] };
    return {
      reason: `${spec.id} API quota exhausted: ${admitted} of ${calls} calls admitted (quota ${spec.rateRps}/s, burst ${spec.burst})`,
      causes: exhausterSeqs(state).filter((seq) => seq !== state.exhausters.get(actor)),
    };
  },

  noteCommandCharged(c, actor, seq) {
    const state = stateOf(c);
    if (specOf(c).agentCalls[actor] === undefined) return false;
    const had = state.exhausters.get(actor);
    if (state.lastExhausted) state.exhausters.set(actor, seq);
    else state.exhausters.delete(actor);
    if (had === state.exhausters.get(actor)) return false;
    state.causesVersion++;
    return true;
  },
};
