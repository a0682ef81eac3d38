// The runtime record of one component: what every kind shares (knobs with their writers and
// versions, load edges, the step's own and end-to-end figures, health, faults, provenance
// caches) plus `state`, which belongs to the component's kind module alone.
import type { ComponentSpec, HealthSpec } from "../scenario/types.js";
import type { ActiveFault, EdgeImpairment, Impairment } from "./impairment.js";
import type { ComponentKind } from "./kinds/kind.js";
import { EMPTY_PROVENANCE, type Provenance } from "./provenance.js";
import type { SignalName } from "./signals.js";

/** A load edge from a caller to a callee. */
export interface LoadEdge {
  /** The callee's index. */
  readonly index: number;
  /** Calls to the callee per request the caller serves (a balancer's share; clients' attempts). Kinds may update it each step. */
  callsPerRequest: number;
  /** A load balancer's weight knob for this target; "" for other kinds. */
  readonly weightKnob: string;
}

/** One component as the world holds it. Mutable; only the world and the component's kind write it. */
export interface Component {
  readonly spec: ComponentSpec;
  readonly kind: ComponentKind;
  readonly index: number;
  /** `spec.health`, held here because specs of different kinds differ in shape (a slow read every step). */
  readonly health: HealthSpec;
  readonly knobs: Record<string, number>;
  /** Seq of the event that last wrote each knob. */
  readonly knobWriters: Record<string, number>;
  /** How many times each knob has been written: the version compare-and-set checks. */
  readonly knobVersions: Record<string, number>;
  /** Components this one sends load to. */
  readonly downstream: LoadEdge[];
  /** Indexes of the components that send load to this one. */
  readonly upstream: number[];
  offeredRps: number;
  servedRps: number;
  ownErrorRate: number;
  ownLatencyMs: [number, number, number];
  signals: Record<SignalName, number>;
  badSteps: number;
  goodSteps: number;
  /** Seq of the last `health.changed` event, -1 before the first. */
  healthSeq: number;
  /** Component faults in effect, in start order. */
  faults: ActiveFault[];
  /** What those faults do combined; null when none is active. */
  impairment: Impairment | null;
  /**
   * Edge faults in effect on its calls, by downstream edge (index-aligned with `downstream`);
   * null while none of its edges has one. Kept off the edge objects: a field on every edge cost
   * the aggregation loops of a 10,000-component world about a quarter of their speed (measured).
   */
  edgeImpairments: (EdgeImpairment | null)[] | null;
  /** Fault id -> seq of its latest event on this component (its start while active, its end after). */
  readonly faultEvents: Map<string, number>;
  /** Edge fault id -> seq of its latest event, for faults on this component's calls to a callee (part of its perf, not its callees' load). */
  readonly edgeFaultEvents: Map<string, number>;
  /** Workload id -> seq of its latest `workload.changed` event aimed at this component. */
  readonly workloadEvents: Map<string, number>;
  /** Kind-private state (a retry pipeline, a DNS cache, a lease table...). */
  state: unknown;
  readonly provenance: ProvenanceCache;
}

/**
 * Cached provenance sets with dirty flags (sim/model/provenance-graph.ts keeps them exact):
 * - own: events that shape this component itself (knob writers, health, faults, kind extras);
 * - feedback: callee provenance latched while the component's own load reacts to its callees'
 *   failures (retries, re-queued jobs), so retry load carries what caused it;
 * - load: what set the load offered to it (workloads, and every caller's load and own events);
 * - perf: what shaped its latency, errors and health (its load, own events and callees' perf).
 */
export interface ProvenanceCache {
  own: Provenance;
  feedback: Provenance;
  load: Provenance;
  perf: Provenance;
  ownDirty: boolean;
  loadDirty: boolean;
  perfDirty: boolean;
}

/** A fresh cache: everything dirty, so the first read derives it. */
export function freshProvenanceCache(): ProvenanceCache {
  return { own: EMPTY_PROVENANCE, feedback: EMPTY_PROVENANCE, load: EMPTY_PROVENANCE, perf: EMPTY_PROVENANCE, ownDirty: true, loadDirty: true, perfDirty: true };
}

/** Signals every component starts with. */
export function initialSignals(): Record<SignalName, number> {
  return { loadRps: 0, utilization: 0, latencyMsP50: 0, latencyMsP95: 0, latencyMsP99: 0, errorRate: 0, costPerHour: 0, healthy: 1, replicas: 0, available: 1, cpuUtilization: 0, amplification: 1, degraded: 0, sentRps: 0, retriedRps: 0, breakerState: 0, concurrency: 0, poolUtilization: 0, queueLength: 0, crashedReplicas: 0, coldStartingReplicas: 0, restarts: 0, coldStartRps: 0, cpuUsage: 0, memoryUsage: 0, fdUsage: 0, threadUsage: 0, pendingReplicas: 0, bootingReplicas: 0, readyReplicas: 0, drainingReplicas: 0, queuedJobs: 0, runningJobs: 0 };
}

/** Sets p50, p95 and p99 of the component's own latency to one value. */
export function setOwnLatency(c: Component, ms: number): void {
  c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = ms;
}

/** Offers the load `c` served to its callees (entries of `load`), in proportion to calls per request. */
export function forwardServed(c: Component, load: Float64Array): void {
  for (const d of c.downstream) load[d.index] += c.servedRps * d.callsPerRequest;
}
