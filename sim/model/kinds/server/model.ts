// Behaviour of `service` and `database` components: replicas of identical servers behind one
// M/M/c queue (./queue.ts), with an optional backlog, an optional CPU model and capacity loss.
import type { ServerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { forwardServed } from "../../component.js";
import { CPU_REQUEST_KNOB, checkCpuRequest, cpuUtilization, idleRollout, podCapacityRps, servingPods, type CpuRollout } from "./cpu.js";
import { emptyPoolStep, poolHoldMs, settlePool, stepPool, type PoolStep } from "./pool.js";
import { emptyServerQueueStep, stepServerQueue, type ServerQueueInput } from "./queue.js";
import { LIFECYCLE_SIGNALS, ServerLifecycle } from "./lifecycle.js";
import { provisionerStateOf } from "../provisioner/model.js";
import { aggregateSequential, checkReplicas } from "../aggregate.js";
import { restartsNotServing, restartSignals, RESTART_SIGNALS, type ServerRestarts } from "./restart-hooks.js";
import type { ComponentKind } from "../kind.js";
import type { SignalName } from "../../signals.js";

// One input and one result reused for every server step (the world steps one component at a
// time): a large run makes tens of millions of these calls.
const QUEUE_INPUT: ServerQueueInput = { pods: 0, lossFactor: 1, perReplicaRps: 0, baseLatencyMs: 0, latencyMsMax: 0, maxQueueMs: undefined, offeredRps: 0, backlog: 0, stepMs: 0 };
const QUEUE_STEP = emptyServerQueueStep();

/** Per-component state: the backlog, the pod restarts a CPU resize started, the worker pool's last step, and crash restarts and cold starts (null until used). */
interface ServerState {
  backlog: number;
  cpuRollout: CpuRollout | null;
  pool: PoolStep | null;
  restarts: ServerRestarts | null;
  /** Desired vs ready replicas (./lifecycle.ts); null without `startup`, `drain` or `provisioner`. */
  lifecycle: ServerLifecycle | null;
}

const specOf = (c: Component) => c.spec as ServerSpec;
const stateOf = (c: Component) => c.state as ServerState;

/** Services and databases (docs/model.md#service-and-database). */
export const serverModel: ComponentKind = {
  kinds: ["service", "database"],
  docsAnchor: "service-and-database",
  faultEffects: ["errors", "latency", "capacityLoss", "crash"],

  initialKnobs(raw) {
    const spec = raw as ServerSpec;
    const knobs: Record<string, number> = { replicas: spec.replicas };
    if (spec.cpu) knobs[CPU_REQUEST_KNOB] = spec.cpu.requestMillicores;
    return knobs;
  },

  create(raw) {
    const spec = raw as ServerSpec;
    const state: ServerState = {
      backlog: 0,
      cpuRollout: spec.cpu ? idleRollout() : null,
      pool: spec.pool ? emptyPoolStep() : null,
      restarts: null,
      lifecycle: spec.lifecycle ? new ServerLifecycle(spec.lifecycle, spec.replicas) : null,
    };
    return state;
  },

  link(c, ctx) {
    const spec = specOf(c);
    ctx.connectDependencies(c, spec.dependsOn);
    // Running on a host: served requests are offered to it (kinds/host reads what it runs).
    if (spec.runsOn !== undefined) ctx.connect(c, spec.runsOn, `components[${c.index}].runsOn`);
    const provisioner = spec.lifecycle?.provisioner;
    if (provisioner !== undefined) stateOf(c).lifecycle!.attach(provisionerStateOf(ctx.component(provisioner, `components[${c.index}].provisioner`))!);
  },

  beginStep(c, _ctx, tMs) {
    const lifecycle = stateOf(c).lifecycle;
    return lifecycle !== null && lifecycle.step(tMs, c.knobs.replicas);
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
    const lifecycle = state.lifecycle;
    // Without a CPU model every replica serves at capacityPerReplicaRps; with one, capacity
    // follows the CPU request and a pod restarting after a resize does not serve.
    const cpu = spec.cpu;
    // With a capacity lifecycle only ready (and warming, in part) replicas serve (./lifecycle.ts).
    const existing = lifecycle ? lifecycle.servingPods : replicas;
    let restartedPods = state.cpuRollout && cpu ? servingPods(state.cpuRollout, existing, cpu, tMs) : existing;
    // Crashed and cold-starting replicas serve nothing (./restarts.ts); only with crash faults or a cold start.
    if (state.restarts !== null || c.faults.length > 0) restartedPods = restartsNotServing(state, c, ctx, tMs, restartedPods);
    // A capacityLoss fault leaves a share of the pods serving (fractional: a share of a zone).
    const lossFactor = c.impairment?.capacityFactor ?? 1;
    const pods = lossFactor === 1 ? restartedPods : restartedPods * lossFactor;
    const perReplicaRps = cpu ? podCapacityRps(c.knobs[CPU_REQUEST_KNOB], cpu) : spec.capacityPerReplicaRps;
    // A worker pool admits requests first: each holds a worker for its whole latency (./pool.ts).
    const pool = spec.pool && state.pool ? stepPool(Math.round(spec.pool.size * pods), Math.round(spec.pool.queue * pods), offered, poolHoldMs(c, ctx.components, spec.baseLatencyMs, spec.latencyMsMax, state.pool.waitMs), state.pool) : null;
    const input = QUEUE_INPUT;
    input.pods = pods;
    // Warming replicas make pods fractional: spread them over whole servers as a capacity loss does.
    input.lossFactor = lossFactor === 1 && !Number.isInteger(pods) ? pods / Math.ceil(pods) : lossFactor;
    input.perReplicaRps = perReplicaRps;
    input.baseLatencyMs = spec.baseLatencyMs;
    input.latencyMsMax = spec.latencyMsMax;
    input.maxQueueMs = spec.maxQueueMs;
    input.offeredRps = pool ? offered * (1 - pool.blocked) : offered;
    input.backlog = state.backlog;
    input.stepMs = ctx.stepMs;
    const q = stepServerQueue(input, QUEUE_STEP);
    c.signals.utilization = q.utilization;
    c.signals.costPerHour = (lifecycle ? lifecycle.billed : replicas) * spec.costPerReplicaHour;
    c.signals.replicas = replicas;
    c.signals.available = replicas > 0 ? pods / replicas : 0;
    c.signals.cpuUtilization = cpu ? cpuUtilization(q.acceptedRps, pods, c.knobs[CPU_REQUEST_KNOB], cpu) : 0;
    if (lifecycle) {
      c.signals.pendingReplicas = lifecycle.pending;
      c.signals.bootingReplicas = lifecycle.starting;
      c.signals.readyReplicas = lifecycle.ready;
      c.signals.drainingReplicas = lifecycle.drainingCount;
    }
    state.backlog = q.backlog;
    c.servedRps = q.servedRps;
    c.ownErrorRate = q.ownErrorRate;
    c.ownLatencyMs[0] = q.latencyMs[0];
    c.ownLatencyMs[1] = q.latencyMs[1];
    c.ownLatencyMs[2] = q.latencyMs[2];
    if (pool) {
      settlePool(c, pool, Math.round(spec.pool!.size * pods), spec.latencyMsMax);
      // utilization keeps its meaning, the load offered (admitted or not) over capacity.
      const capacity = pods * perReplicaRps;
      c.signals.utilization = capacity > 0 ? offered / capacity : offered > 0 ? Infinity : 0;
    }
    forwardServed(c, ctx.load);
    if (state.restarts !== null) restartSignals(state.restarts, c);
  },

  aggregate(c, ctx) {
    aggregateSequential(c, ctx.components, specOf(c).latencyMsMax);
  },

  reactsToCallees(c) {
    const restarts = stateOf(c).restarts;
    return restarts !== null && restarts.state.reacting;
  },

  provenance(c, _ctx, out) {
    stateOf(c).lifecycle?.causes(out);
  },

  // Only a capacity lifecycle begins steps, and only cold starts (failing on the dependency's
  // errors) make a server's load react to its callees: servers without them skip both lists.
  stepHooks(raw) {
    const spec = raw as ServerSpec;
    return { beginStep: spec.lifecycle !== undefined, reactsToCallees: spec.coldStart !== undefined };
  },

  optionalSignals(raw) {
    const spec = raw as ServerSpec;
    const signals: SignalName[] = spec.pool ? ["concurrency", "poolUtilization", "queueLength"] : [];
    if (spec.restart || spec.coldStart) signals.push(...RESTART_SIGNALS);
    if (spec.lifecycle) signals.push(...LIFECYCLE_SIGNALS);
    return signals;
  },
};
