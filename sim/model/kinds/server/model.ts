// Behaviour of `service` and `database` components: replicas of identical servers behind one
// M/M/c queue (Erlang C), with an optional backlog, an optional CPU model and capacity loss.
import type { ServerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { forwardServed } from "../../component.js";
import { stepBacklog } from "./backlog.js";
import { CPU_REQUEST_KNOB, checkCpuRequest, cpuUtilization, idleRollout, podCapacityRps, servingPods, type CpuRollout } from "./cpu.js";
import { erlangC, waitQuantileGivenC } from "../../queueing.js";
import { aggregateSequential, checkReplicas } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

// Requests are shed above this utilization so queueing formulas stay finite.
const UTILIZATION_SERVED_MAX = 0.99;

/** Per-component state: the backlog and the pod restarts a CPU resize started. */
interface ServerState {
  backlog: number;
  cpuRollout: CpuRollout | null;
}

const specOf = (c: Component) => c.spec as ServerSpec;
const stateOf = (c: Component) => c.state as ServerState;

/** Services and databases (docs/model.md#service-and-database). */
export const serverModel: ComponentKind = {
  kinds: ["service", "database"],
  docsAnchor: "service-and-database",
  faultEffects: ["errors", "latency", "capacityLoss"],

  create(raw) {
    const spec = raw as ServerSpec;
    const knobs: Record<string, number> = { replicas: spec.replicas };
    if (spec.cpu) knobs[CPU_REQUEST_KNOB] = spec.cpu.requestMillicores;
    const state: ServerState = { backlog: 0, cpuRollout: spec.cpu ? idleRollout() : null };
    return { knobs, state };
  },

  link(c, ctx) {
    for (const [i, dep] of specOf(c).dependsOn.entries()) ctx.connect(c, dep.id, `components[${c.index}].dependsOn[${i}]`, dep.callsPerRequest);
  },

  checkKnob(c, knob, value) {
    const spec = specOf(c);
    if (knob === CPU_REQUEST_KNOB) return checkCpuRequest(spec.id, value);
    return checkReplicas(spec.id, value, spec.replicasMin, spec.replicasMax);
  },

  onKnobWritten(c, knob) {
    const rollout = stateOf(c).cpuRollout;
    if (knob === CPU_REQUEST_KNOB && rollout) rollout.pending = true;
  },

  serve(c, ctx, tMs) {
    const spec = specOf(c);
    const state = stateOf(c);
    const offered = c.offeredRps;
    const replicas = c.knobs.replicas;
    // Without a CPU model every replica serves at capacityPerReplicaRps; with one, capacity
    // follows the CPU request and a pod restarting after a resize does not serve.
    const cpu = spec.cpu;
    const restartedPods = state.cpuRollout && cpu ? servingPods(state.cpuRollout, replicas, cpu, tMs) : replicas;
    // A capacityLoss fault leaves a share of the pods serving (fractional: a share of a zone).
    const lossFactor = c.impairment?.capacityFactor ?? 1;
    const pods = lossFactor === 1 ? restartedPods : restartedPods * lossFactor;
    const perReplicaRps = cpu ? podCapacityRps(c.knobs[CPU_REQUEST_KNOB], cpu) : spec.capacityPerReplicaRps;
    const capacity = pods * perReplicaRps;
    c.signals.utilization = capacity > 0 ? offered / capacity : offered > 0 ? Infinity : 0;
    c.signals.costPerHour = replicas * spec.costPerReplicaHour;
    c.signals.replicas = replicas;
    c.signals.available = replicas > 0 ? pods / replicas : 0;
    c.signals.cpuUtilization = 0;
    if (capacity === 0) {
      c.servedRps = 0;
      c.ownErrorRate = offered > 0 ? 1 : 0;
      c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = spec.latencyMsMax;
    } else {
      const served = Math.min(offered, capacity * UTILIZATION_SERVED_MAX);
      let shed = offered > 0 ? (offered - served) / offered : 0;
      let backlogDelayMs = 0;
      if (spec.maxQueueMs !== undefined && spec.maxQueueMs > 0) {
        // With a backlog, load above capacity waits instead of being shed; only requests that
        // would wait longer than maxQueueMs are dropped.
        const b = stepBacklog(state.backlog, offered, capacity, ctx.stepMs, spec.maxQueueMs);
        state.backlog = b.backlog;
        backlogDelayMs = b.delayMs;
        shed = offered > 0 ? Math.min(1, b.dropped / ((offered * ctx.stepMs) / 1000)) : 0;
      }
      // Each replica is `slots` parallel servers whose mean service time is baseLatencyMs
      // (Little's law), so serving replicas * slots servers give M/M/c with c = pods * slots.
      const slots = Math.max(1, Math.round((perReplicaRps * spec.baseLatencyMs) / 1000));
      // Erlang C needs whole servers: after a capacity loss the surviving capacity is spread
      // over the nearest whole number of servers, so service times stay close to baseLatencyMs.
      const servers = lossFactor === 1 ? pods * slots : Math.max(1, Math.round(pods * slots));
      const muPerMs = lossFactor === 1 ? perReplicaRps / slots / 1000 : capacity / servers / 1000;
      const lambdaPerMs = served / 1000;
      const waitProbability = erlangC(servers, lambdaPerMs / muPerMs);
      const drain = servers * muPerMs - lambdaPerMs;
      const floorMs = spec.baseLatencyMs + backlogDelayMs;
      c.ownLatencyMs[0] = Math.min(spec.latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.5));
      c.ownLatencyMs[1] = Math.min(spec.latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.95));
      c.ownLatencyMs[2] = Math.min(spec.latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.99));
      // Requests that wait past the latency cap time out: P(W > w) = C * exp(-(c*mu - lambda) * w).
      const timedOut = Math.min(1, waitProbability * Math.exp(-drain * Math.max(0, spec.latencyMsMax - spec.baseLatencyMs)));
      c.servedRps = served * (1 - timedOut);
      c.ownErrorRate = 1 - (1 - shed) * (1 - timedOut);
      if (cpu) c.signals.cpuUtilization = cpuUtilization(served, pods, c.knobs[CPU_REQUEST_KNOB], cpu);
    }
    forwardServed(c, ctx.components);
  },

  aggregate(c, ctx) {
    aggregateSequential(c, ctx.components, specOf(c).latencyMsMax);
  },
};
