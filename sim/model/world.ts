// The world model: components with knobs (written only through applyKnob, each remembering the
// event that last wrote it) and signals derived from knobs and offered load each step, each
// carrying the provenance of the events it was derived from. Load flows from callers to
// callees; latency and errors flow back from callees to callers.
import { InputError, describeValue } from "../core/errors.js";
import type { ComponentFaultSpec, ComponentSpec, DnsRecordSpec, HealthSpec, LoadBalancerSpec, Scenario, ServerSpec } from "../scenario/types.js";
import { CPU_REQUEST_KNOB, checkCpuRequest, cpuUtilization, idleRollout, podCapacityRps, servingPods, type CpuRollout } from "./cpu.js";
import { DocumentStore, type DocumentVersion } from "./documents.js";
import { checkConsumerKnob, createConsumerState, ROLLOUT_KNOB, serveConsumer, updateConsumer, VERSION_KNOB, type ConsumerState } from "./config-consumer.js";
import { checkShardsKnob, MIGRATED_KNOB } from "./shards.js";
import { stepServerQueue } from "./server-queue.js";
import { RetryPipeline, attemptFailureProbability, slowerThanProbability } from "./retries.js";

/** Largest value of a clients component's `retries` knob. */
const CLIENT_RETRIES_MAX = 100;
import { EMPTY_PROVENANCE, mergeProvenance, withEvent, type Provenance } from "./provenance.js";
import { combineFaults, composeErrorRate, faultTargetProblem, type ActiveFault, type Impairment } from "./impairment.js";
import { isSignalName, weightKnob, type SignalName } from "./signals.js";
import { checkLoadBalancerKnob, inServiceKnob, inServiceKnobOfWeight, routedWeight } from "./load-balancer.js";
import { LeaseTable, QUEUE_LIMIT_KNOB, checkLeaseTableKnob } from "./lease-table.js";
import { topologicalOrder } from "./topology.js";

/** Knob and health state of every component: what the event log determines. Plain data. */
export interface WorldState {
  knobs: Record<string, Record<string, number>>;
  healthy: Record<string, boolean>;
  /** store -> document -> version -> content. */
  documents: Record<string, ReturnType<DocumentStore["snapshot"]>>;
}

/** A component whose health flipped during a step; the engine logs it as `health.changed`. */
export interface HealthTransition {
  component: string;
  healthy: boolean;
  errorRate: number;
  latencyMsP95: number;
  provenance: Provenance;
}

interface Component {
  readonly spec: ComponentSpec;
  readonly index: number;
  readonly knobs: Record<string, number>;
  readonly knobWriters: Record<string, number>;
  /** How many times each knob has been written: the version compare-and-set checks. */
  readonly knobVersions: Record<string, number>;
  /** Components this one sends load to, with calls per request (LB: the weight share, and the weight knob). */
  readonly downstream: { index: number; callsPerRequest: number; weightKnob: string }[];
  offeredRps: number;
  servedRps: number;
  ownErrorRate: number;
  ownLatencyMs: [number, number, number];
  signals: Record<SignalName, number>;
  badSteps: number;
  goodSteps: number;
  healthSeq: number;
  workloadProvenance: Provenance;
  loadProvenance: Provenance;
  perfProvenance: Provenance;
  /** DNS record: what resolvers cached at their last refresh, and when. */
  dnsCachedResolvable: boolean;
  dnsRefreshedAtMs: number;
  /** Server: requests waiting in the backlog. */
  backlog: number;
  /** Clients: retries in flight, created at the first step. */
  retries?: RetryPipeline;
  /** Servers with a CPU model: the pod restarts a resize of the CPU request started. */
  cpuRollout: CpuRollout | null;
  /** Config consumers: the config loaded and the versions about to load (sim/model/config-consumer.ts). */
  consumer: ConsumerState | null;
  /** Component faults in effect, in start order; their start seqs join the perf provenance. */
  faults: ActiveFault[];
  /** What those faults do combined; null when none is active. */
  impairment: Impairment | null;
}

/** The shared infrastructure model all agents act on. Mutable; the engine owns the only instance. */
export class World {
  private readonly components: Component[];
  private readonly byId = new Map<string, Component>();
  private readonly stores = new Map<string, DocumentStore>();
  /** Lease tables by component index (sim/model/lease-table.ts). */
  private readonly leaseTables = new Map<number, LeaseTable>();
  /** store.document.version -> seq of the `document.deleted` that removed it: why a record pointing there is empty. */
  private readonly documentDeletions = new Map<string, number>();
  /** Callers before callees. */
  private readonly order: number[];
  private provenanceEpoch = 0;
  private provenanceComputedEpoch = -1;

  /** Builds the world from a scenario. Throws InputError on unknown references or dependency cycles. */
  private readonly stepMs: number;

  constructor(scenario: Scenario, initialWriterSeq = 0) {
    this.stepMs = scenario.stepMs;
    this.components = scenario.components.map((spec, index) => createComponent(spec, index, initialWriterSeq));
    for (const c of this.components) {
      if (this.byId.has(c.spec.id)) throw new InputError(`components[${c.index}].id`, "a unique component id", JSON.stringify(c.spec.id), "another component already has this id");
      this.byId.set(c.spec.id, c);
    }
    for (const c of this.components) {
      if (c.spec.kind === "documentStore") {
        this.stores.set(c.spec.id, new DocumentStore(c.spec.id, c.spec.documents, initialWriterSeq));
      }
    }
    for (const c of this.components) {
      if (c.spec.kind === "leaseTable") this.leaseTables.set(c.index, new LeaseTable(c.spec, this.stepMs));
      if (c.spec.kind !== "configConsumer") continue;
      const store = this.stores.get(c.spec.store);
      if (!store) throw new InputError(`components[${c.index}].store`, "the id of a documentStore component", JSON.stringify(c.spec.store));
      c.consumer = createConsumerState(c.spec, store);
    }
    for (const c of this.components) {
      if (c.spec.kind === "loadBalancer" || c.spec.kind === "dnsRecord") {
        for (const [i, target] of c.spec.targets.entries()) {
          c.downstream.push({ index: this.resolve(target, `components[${c.index}].targets[${i}]`).index, callsPerRequest: 1, weightKnob: c.spec.kind === "loadBalancer" ? weightKnob(target) : "" });
        }
        if (c.spec.kind === "dnsRecord") {
          if (!this.stores.has(c.spec.store)) throw new InputError(`components[${c.index}].store`, "the id of a documentStore component", JSON.stringify(c.spec.store));
          c.dnsCachedResolvable = this.resolvable(c.spec);
        }
      } else if (c.spec.kind === "documentStore" || c.spec.kind === "shards") {
        continue;
      } else if (c.spec.kind === "clients") {
        c.downstream.push({ index: this.resolve(c.spec.target, `components[${c.index}].target`).index, callsPerRequest: 1, weightKnob: "" });
      } else {
        for (const [i, dep] of c.spec.dependsOn.entries()) {
          c.downstream.push({ index: this.resolve(dep.id, `components[${c.index}].dependsOn[${i}]`).index, callsPerRequest: dep.callsPerRequest, weightKnob: "" });
        }
      }
    }
    this.ids = this.components.map((c) => c.spec.id);
    this.order = topologicalOrder(
      this.components.map((c) => c.spec.id),
      this.components.map((c) => c.downstream.map((d) => d.index)),
    );
  }

  private readonly ids: readonly string[];

  /** Component ids in scenario order. */
  get componentIds(): readonly string[] {
    return this.ids;
  }

  /**
   * Copies every component's signals into `out` from `offset`, components in scenario order and
   * signals in SIGNAL_NAMES order (the telemetry row layout).
   */
  writeSignals(out: Float32Array, offset: number): void {
    let o = offset;
    for (const c of this.components) {
      const s = c.signals;
      out[o++] = s.loadRps;
      out[o++] = s.utilization;
      out[o++] = s.latencyMsP50;
      out[o++] = s.latencyMsP95;
      out[o++] = s.latencyMsP99;
      out[o++] = s.errorRate;
      out[o++] = s.costPerHour;
      out[o++] = s.healthy;
      out[o++] = s.replicas;
      out[o++] = s.available;
      out[o++] = s.cpuUtilization;
      out[o++] = s.amplification;
      out[o++] = s.degraded;
    }
  }

  /** The document store `id`. Throws InputError when there is no such store. */
  store(id: string): DocumentStore {
    const store = this.stores.get(id);
    if (!store) throw new InputError("store", `the id of a documentStore (${[...this.stores.keys()].join(", ") || "none defined"})`, JSON.stringify(id));
    return store;
  }

  /** Stores a new version of a document on behalf of event `seq`. */
  putDocument(storeId: string, name: string, content: { rows: number; sizeBytes: number; schema: string }, seq: number): DocumentVersion {
    const doc = this.store(storeId).put(name, content, seq);
    this.provenanceEpoch++;
    return doc;
  }

  /** Deletes one version of a document on behalf of event `seq`; false when it did not exist. */
  deleteDocument(storeId: string, name: string, version: number, seq: number): boolean {
    const deleted = this.store(storeId).delete(name, version);
    if (deleted) {
      this.documentDeletions.set(`${storeId}.${name}.${version}`, seq);
      this.provenanceEpoch++;
    }
    return deleted;
  }

  /** True when a DNS record's authoritative answer resolves: its plan version exists with rows. */
  private resolvable(spec: DnsRecordSpec): boolean {
    const plan = this.byId.get(spec.id)?.knobs.plan ?? spec.plan;
    const doc = plan > 0 ? this.stores.get(spec.store)?.get(spec.document, plan) : undefined;
    return doc !== undefined && doc.rows > 0;
  }

  /** True when a component with this id exists. */
  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** The spec of component `id`. Throws InputError when unknown. */
  spec(id: string): ComponentSpec {
    return this.get(id).spec;
  }

  /** Current value of a knob. Throws InputError for an unknown component or knob. */
  knob(id: string, knob: string): number {
    const c = this.get(id);
    const v = c.knobs[knob];
    if (v === undefined) throw new InputError(`${id}.${knob}`, `a knob of ${id} (${Object.keys(c.knobs).join(", ")})`, JSON.stringify(knob));
    return v;
  }

  /** Seq of the event that last wrote a knob. */
  knobWriter(id: string, knob: string): number {
    this.knob(id, knob);
    return this.get(id).knobWriters[knob];
  }

  /** Version of a knob: the number of writes it has had (0 = its initial value). */
  knobVersion(id: string, knob: string): number {
    this.knob(id, knob);
    return this.get(id).knobVersions[knob];
  }

  /** Names of the knobs of component `id`. */
  knobNames(id: string): string[] {
    return Object.keys(this.get(id).knobs);
  }

  /**
   * Why a write of `value` to `id.knob` is invalid, or null when it is valid. Pure: checks the
   * component exists, has the knob, and the value is finite, integral where needed and in bounds.
   */
  checkKnob(id: string, knob: string, value: unknown): string | null {
    const c = this.byId.get(id);
    if (!c) return `unknown component ${JSON.stringify(id)}`;
    if (c.knobs[knob] === undefined) return `${id} has no knob ${JSON.stringify(knob)} (knobs: ${Object.keys(c.knobs).join(", ")})`;
    if (typeof value !== "number" || !Number.isFinite(value)) return `${id}.${knob} must be a finite number, got ${describeValue(value)}`;
    if (c.spec.kind === "loadBalancer") return checkLoadBalancerKnob(id, knob, value);
    if (c.spec.kind === "leaseTable") return checkLeaseTableKnob(id, knob, value);
    if (c.spec.kind === "dnsRecord") {
      if (!Number.isInteger(value) || value < 0) return `${id}.plan must be a whole version number >= 0, got ${value}`;
      return null;
    }
    if (c.spec.kind === "documentStore") return `${id} has no knobs`;
    if (c.spec.kind === "shards") return checkShardsKnob(c.spec, knob, value);
    if (c.spec.kind === "configConsumer") return checkConsumerKnob(c.spec, knob, value);
    if (c.spec.kind === "clients") {
      if (!Number.isInteger(value) || value < 0 || value > 100) return `${id}.retries must be a whole number in [0, ${CLIENT_RETRIES_MAX}], got ${value}`;
      return null;
    }
    if (knob === CPU_REQUEST_KNOB) return checkCpuRequest(id, value);
    if (!Number.isInteger(value)) return `${id}.replicas must be a whole number, got ${value}`;
    if (value < c.spec.replicasMin || value > c.spec.replicasMax) return `${id}.replicas must be in [${c.spec.replicasMin}, ${c.spec.replicasMax}], got ${value}`;
    return null;
  }

  /** Writes a knob on behalf of event `seq`. Throws InputError when checkKnob rejects it. */
  applyKnob(id: string, knob: string, value: number, seq: number): void {
    const problem = this.checkKnob(id, knob, value);
    if (problem) throw new InputError(`${id}.${knob}`, "a valid knob write", describeValue(value), problem);
    const c = this.get(id);
    c.knobs[knob] = value;
    c.knobWriters[knob] = seq;
    c.knobVersions[knob]++;
    if (knob === CPU_REQUEST_KNOB && c.cpuRollout) c.cpuRollout.pending = true;
    this.provenanceEpoch++;
  }

  /** Records that event `seq` changed the load a workload offers to component `id`. */
  noteWorkloadEvent(id: string, seq: number): void {
    const c = this.get(id);
    c.workloadProvenance = withEvent(c.workloadProvenance, seq);
    this.provenanceEpoch++;
  }

  /**
   * Starts component fault `spec`, logged as event `seq`: from the next step its target is
   * impaired (sim/model/impairment.ts) and `seq` is part of the target's performance provenance,
   * so everything derived from it (callers' signals, health events, agent decisions) traces back
   * to the fault. Throws InputError for an unknown target or one the effect cannot impair.
   */
  startFault(spec: ComponentFaultSpec, seq: number): void {
    const c = this.get(spec.target);
    const problem = faultTargetProblem(spec, c.spec.kind);
    if (problem) throw new InputError(`faults.${spec.id}.target`, "a component the fault can impair", JSON.stringify(spec.target), problem);
    c.faults.push({ spec, seq });
    c.impairment = combineFaults(c.faults);
    this.provenanceEpoch++;
  }

  /** Ends the component fault `faultId`; its target returns to its own behaviour from the next step. */
  endFault(faultId: string): void {
    for (const c of this.components) {
      const i = c.faults.findIndex((f) => f.spec.id === faultId);
      if (i < 0) continue;
      c.faults.splice(i, 1);
      c.impairment = combineFaults(c.faults);
      this.provenanceEpoch++;
    }
  }

  /** Records the seq of the `health.changed` event logged for component `id`. */
  noteHealthEvent(id: string, seq: number): void {
    this.get(id).healthSeq = seq;
    this.provenanceEpoch++;
  }

  /** Current value of a signal (as of the last step). Throws InputError for unknown names. */
  signal(id: string, name: string): number {
    if (!isSignalName(name)) throw new InputError(`${id}.${name}`, "a signal name", JSON.stringify(name));
    return this.get(id).signals[name];
  }

  /**
   * Reads a signal and adds its provenance to `causes` in one lookup: the observation API's hot
   * path (every agent decision reads a few signals).
   */
  observeSignal(id: string, name: string, causes: Set<number>): number {
    if (!isSignalName(name)) throw new InputError(`${id}.${name}`, "a signal name", JSON.stringify(name));
    const c = this.get(id);
    for (const seq of this.provenanceOf(c, name)) causes.add(seq);
    return c.signals[name];
  }

  /** Reads a knob and adds the event that last wrote it to `causes`. Throws InputError when unknown. */
  observeKnob(id: string, knob: string, causes: Set<number>): number {
    const c = this.get(id);
    const v = c.knobs[knob];
    if (v === undefined) throw new InputError(`${id}.${knob}`, `a knob of ${id} (${Object.keys(c.knobs).join(", ")})`, JSON.stringify(knob));
    causes.add(c.knobWriters[knob]);
    return v;
  }

  /** Events the signal was derived from (bounded, ascending). */
  signalProvenance(id: string, name: SignalName): Provenance {
    return this.provenanceOf(this.get(id), name);
  }

  /** Cost and replicas come from the replicas knob, load from upstream, the rest from everything that shapes performance. */
  private provenanceOf(c: Component, name: SignalName): Provenance {
    this.refreshProvenance();
    if (name === "costPerHour" || name === "replicas") {
      return c.knobWriters.replicas === undefined ? EMPTY_PROVENANCE : [c.knobWriters.replicas];
    }
    if (name === "loadRps") return c.loadProvenance;
    return c.perfProvenance;
  }

  /** Plain copy of every knob and health state. Pure read. */
  state(): WorldState {
    const knobs: WorldState["knobs"] = {};
    const healthy: WorldState["healthy"] = {};
    const documents: WorldState["documents"] = {};
    for (const c of this.components) {
      knobs[c.spec.id] = { ...c.knobs };
      healthy[c.spec.id] = c.signals.healthy === 1;
    }
    for (const [id, store] of this.stores) documents[id] = store.snapshot();
    return { knobs, healthy, documents };
  }

  /**
   * Derives every signal at one step from the knobs and the offered load per component
   * (`offeredRps[i]` for component i in scenario order). Returns the health transitions.
   */
  step(offeredRps: Float64Array, tMs = 0): HealthTransition[] {
    const cs = this.components;
    for (const c of cs) {
      c.offeredRps = offeredRps[c.index];
      // A newly loaded config changes what the consumer's signals derive from (its writer).
      if (c.consumer && c.spec.kind === "configConsumer" && updateConsumer(c.consumer, c.spec, c.knobs[VERSION_KNOB], this.stores.get(c.spec.store)!, tMs, c.knobs[ROLLOUT_KNOB])) this.provenanceEpoch++;
      if (c.spec.kind === "dnsRecord") {
        c.signals.available = this.resolvable(c.spec) ? 1 : 0;
        // Resolvers re-ask the authoritative record once their cached answer is ttl old.
        if (tMs - c.dnsRefreshedAtMs >= c.spec.ttlMs) {
          c.dnsCachedResolvable = c.signals.available === 1;
          c.dnsRefreshedAtMs = tMs;
        }
      }
    }
    for (const i of this.order) {
      const c = cs[i];
      this.serve(c, tMs);
      if (c.impairment) this.impair(c, c.impairment);
    }
    for (let k = this.order.length - 1; k >= 0; k--) this.aggregate(cs[this.order[k]]);
    this.refreshProvenance();
    const transitions: HealthTransition[] = [];
    for (const c of cs) {
      const t = updateHealth(c);
      if (t) transitions.push(t);
    }
    return transitions;
  }

  private get(id: string): Component {
    const c = this.byId.get(id);
    if (!c) throw new InputError("component", `one of ${[...this.byId.keys()].join(", ")}`, JSON.stringify(id), "check the id's spelling");
    return c;
  }

  private resolve(id: string, path: string): Component {
    const c = this.byId.get(id);
    if (!c) throw new InputError(path, `the id of a component (${[...this.byId.keys()].join(", ")})`, JSON.stringify(id), "unknown component");
    return c;
  }

  /** Own queueing, shedding and forwarding of load for one component (callers first) at `tMs`. */
  private serve(c: Component, tMs: number): void {
    const cs = this.components;
    const offered = c.offeredRps;
    if (c.spec.kind === "documentStore" || c.spec.kind === "shards") {
      c.servedRps = 0;
      c.ownErrorRate = 0;
      return;
    }
    if (c.spec.kind === "leaseTable") {
      this.serveLeaseTable(c, tMs);
      return;
    }
    if (c.spec.kind === "configConsumer") {
      const r = serveConsumer(c.spec, c.consumer!, c.knobs.replicas, offered, tMs);
      c.servedRps = r.servedRps;
      c.ownErrorRate = r.ownErrorRate;
      c.ownLatencyMs[0] = r.latencyMs[0];
      c.ownLatencyMs[1] = r.latencyMs[1];
      c.ownLatencyMs[2] = r.latencyMs[2];
      Object.assign(c.signals, { utilization: r.utilization, costPerHour: c.knobs.replicas * c.spec.costPerReplicaHour, replicas: c.knobs.replicas, available: r.available, degraded: r.degraded, cpuUtilization: 0 });
      for (const d of c.downstream) cs[d.index].offeredRps += c.servedRps * d.callsPerRequest;
      return;
    }
    if (c.spec.kind === "clients") {
      // The target's signals are still last step's here (callers are served first): retries
      // react to the failures clients saw one step ago, which is what lets a storm sustain itself.
      const t = cs[c.downstream[0].index].signals;
      const p = attemptFailureProbability(t.errorRate, slowerThanProbability(c.spec.timeoutMs, t.latencyMsP50, t.latencyMsP95, t.latencyMsP99));
      c.retries ??= new RetryPipeline(c.spec.backoff, this.stepMs, CLIENT_RETRIES_MAX);
      const sent = c.retries.step(offered, p, c.knobs.retries, c.spec.retryBudget);
      const attempts = offered > 0 ? sent.sentRps / offered : 1;
      c.signals.amplification = attempts;
      c.ownErrorRate = offered > 0 ? Math.min(1, sent.failedRps / offered) : 0;
      c.servedRps = offered;
      c.downstream[0].callsPerRequest = attempts;
      cs[c.downstream[0].index].offeredRps += sent.sentRps;
      c.signals.utilization = 0;
      c.signals.costPerHour = 0;
      c.signals.replicas = 0;
      c.signals.available = 1;
      return;
    }
    if (c.spec.kind === "dnsRecord") {
      const ok = c.dnsCachedResolvable && c.downstream.length > 0;
      c.servedRps = ok ? offered : 0;
      c.ownErrorRate = ok || offered === 0 ? 0 : 1;
      c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = c.spec.baseLatencyMs;
      for (const d of c.downstream) {
        d.callsPerRequest = ok ? 1 / c.downstream.length : 0;
        cs[d.index].offeredRps += c.servedRps * d.callsPerRequest;
      }
      return;
    }
    if (c.spec.kind === "loadBalancer") {
      const spec = c.spec;
      // Only in-service targets take load: their weights are renormalised over `total`.
      let weight = 0;
      let total = 0;
      for (const d of c.downstream) {
        weight += c.knobs[d.weightKnob];
        total += routedWeight(c.knobs, d.weightKnob);
      }
      c.servedRps = total > 0 ? offered : 0;
      c.ownErrorRate = total > 0 || offered === 0 ? 0 : 1;
      c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = spec.baseLatencyMs;
      for (const d of c.downstream) {
        const share = total > 0 ? routedWeight(c.knobs, d.weightKnob) / total : 0;
        d.callsPerRequest = share;
        cs[d.index].offeredRps += c.servedRps * share;
      }
      c.signals.utilization = 0;
      c.signals.costPerHour = spec.costPerHour;
      c.signals.replicas = 0;
      c.signals.available = weight > 0 ? total / weight : 0;
      return;
    }
    const spec = c.spec;
    const replicas = c.knobs.replicas;
    // Without a CPU model every replica serves at capacityPerReplicaRps; with one, capacity
    // follows the CPU request and a pod restarting after a resize does not serve.
    const cpu = spec.cpu;
    const restartedPods = c.cpuRollout && cpu ? servingPods(c.cpuRollout, replicas, cpu, tMs) : replicas;
    // A capacityLoss fault leaves a share of the pods serving (fractional: a share of a zone).
    const lossFactor = c.impairment?.capacityFactor ?? 1;
    const pods = lossFactor === 1 ? restartedPods : restartedPods * lossFactor;
    const perReplicaRps = cpu ? podCapacityRps(c.knobs[CPU_REQUEST_KNOB], cpu) : spec.capacityPerReplicaRps;
    const q = stepServerQueue({ pods, lossFactor, perReplicaRps, baseLatencyMs: spec.baseLatencyMs, latencyMsMax: spec.latencyMsMax, maxQueueMs: spec.maxQueueMs, offeredRps: offered, backlog: c.backlog, stepMs: this.stepMs });
    c.signals.utilization = q.utilization;
    c.signals.costPerHour = replicas * spec.costPerReplicaHour;
    c.signals.replicas = replicas;
    c.signals.available = replicas > 0 ? pods / replicas : 0;
    c.signals.cpuUtilization = cpu ? cpuUtilization(q.acceptedRps, pods, c.knobs[CPU_REQUEST_KNOB], cpu) : 0;
    c.backlog = q.backlog;
    c.servedRps = q.servedRps;
    c.ownErrorRate = q.ownErrorRate;
    c.ownLatencyMs[0] = q.latencyMs[0];
    c.ownLatencyMs[1] = q.latencyMs[1];
    c.ownLatencyMs[2] = q.latencyMs[2];
    for (const d of c.downstream) cs[d.index].offeredRps += c.servedRps * d.callsPerRequest;
  }

  /**
   * Applies active faults to what `serve` derived for `c` this step: fault errors compose with
   * its own error rate and the failed requests are taken back from its dependencies (a request
   * failing at `c` never calls them); added latency raises its own p50, p95 and p99. Capacity
   * loss is applied inside `serve`, before the queueing model.
   */
  private impair(c: Component, imp: Impairment): void {
    if (imp.errorRate > 0) {
      c.ownErrorRate = composeErrorRate(c.ownErrorRate, imp.errorRate);
      const failedRps = c.servedRps * imp.errorRate;
      if (failedRps > 0) {
        for (const d of c.downstream) {
          const callee = this.components[d.index];
          callee.offeredRps = Math.max(0, callee.offeredRps - failedRps * d.callsPerRequest);
        }
        c.servedRps -= failedRps;
      }
    }
    if (imp.addLatencyMs > 0) {
      c.ownLatencyMs[0] += imp.addLatencyMs;
      c.ownLatencyMs[1] += imp.addLatencyMs;
      c.ownLatencyMs[2] += imp.addLatencyMs;
    }
  }

  /**
   * One step of a lease table: its jobs succeed with the dependencies' success rate of the last
   * step (callers are served first, like clients). Signals: loadRps = jobs processed per second,
   * errorRate = share of them that renewed nothing, latency = queue wait + work, utilization =
   * jobs offered / worker capacity, available = share of leases held. Offers the processed jobs
   * to the dependencies, so a dependency without replicas fails them.
   */
  private serveLeaseTable(c: Component, tMs: number): void {
    if (c.spec.kind !== "leaseTable") return;
    const cs = this.components;
    let success = 1;
    for (const d of c.downstream) {
      const t = cs[d.index].signals;
      // A DNS record's `available` is the authoritative answer; its callers use the cached one,
      // which its error rate already reflects. Other dependencies without capacity fail jobs.
      const reachable = t.available > 0 || cs[d.index].spec.kind === "dnsRecord";
      success *= reachable ? Math.pow(1 - t.errorRate, d.callsPerRequest) : 0;
    }
    const r = this.leaseTables.get(c.index)!.step(tMs, success, c.knobs[QUEUE_LIMIT_KNOB]);
    const seconds = this.stepMs / 1000;
    c.offeredRps = r.processedJobs / seconds;
    c.servedRps = c.offeredRps;
    c.ownErrorRate = r.processedJobs > 0 ? (r.failedJobs + r.wastedJobs) / r.processedJobs : 0;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = r.queueWaitMs + c.spec.workPerLeaseMs;
    c.signals.utilization = r.offeredJobs / ((c.spec.workers * this.stepMs) / c.spec.workPerLeaseMs);
    c.signals.available = r.heldLeases / c.spec.leases;
    c.signals.costPerHour = 0;
    c.signals.replicas = 0;
    for (const d of c.downstream) cs[d.index].offeredRps += c.servedRps * d.callsPerRequest;
  }

  /** End-to-end latency and error rate, callees first. */
  private aggregate(c: Component): void {
    const cs = this.components;
    const s = c.signals;
    s.loadRps = c.offeredRps;
    if (c.spec.kind === "documentStore" || c.spec.kind === "shards") return;
    if (c.spec.kind === "leaseTable") {
      // Dependency failures are already counted in the jobs that failed.
      s.latencyMsP50 = s.latencyMsP95 = s.latencyMsP99 = c.ownLatencyMs[0];
      s.errorRate = c.ownErrorRate;
      return;
    }
    if (c.spec.kind === "clients") {
      const t = cs[c.downstream[0].index].signals;
      s.latencyMsP50 = t.latencyMsP50;
      s.latencyMsP95 = t.latencyMsP95;
      s.latencyMsP99 = t.latencyMsP99;
      s.errorRate = c.ownErrorRate;
      return;
    }
    if (c.spec.kind === "loadBalancer" || c.spec.kind === "dnsRecord") {
      let p50 = 0;
      let p95 = 0;
      let p99 = 0;
      let err = 0;
      for (const d of c.downstream) {
        const t = cs[d.index].signals;
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
      return;
    }
    const cap = c.spec.latencyMsMax;
    let p50 = c.ownLatencyMs[0];
    let p95 = c.ownLatencyMs[1];
    let p99 = c.ownLatencyMs[2];
    let ok = 1 - c.ownErrorRate;
    for (const d of c.downstream) {
      const t = cs[d.index].signals;
      p50 += d.callsPerRequest * t.latencyMsP50;
      p95 += d.callsPerRequest * t.latencyMsP95;
      p99 += d.callsPerRequest * t.latencyMsP99;
      ok *= Math.pow(1 - t.errorRate, d.callsPerRequest);
    }
    s.latencyMsP50 = Math.min(cap, p50);
    s.latencyMsP95 = Math.min(cap, p95);
    s.latencyMsP99 = Math.min(cap, p99);
    s.errorRate = 1 - ok;
  }

  /** Recomputes provenance sets, but only when a knob, workload, health, document or fault event changed since. */
  private refreshProvenance(): void {
    if (this.provenanceComputedEpoch === this.provenanceEpoch) return;
    this.provenanceComputedEpoch = this.provenanceEpoch;
    const cs = this.components;
    for (const c of cs) c.loadProvenance = c.workloadProvenance;
    for (const i of this.order) {
      const c = cs[i];
      for (const d of c.downstream) {
        const callee = cs[d.index];
        let p = mergeProvenance(callee.loadProvenance, c.loadProvenance);
        if (c.spec.kind === "loadBalancer") {
          p = withEvent(p, c.knobWriters[d.weightKnob]);
          // Taking any target out of service or back moves load onto every other target.
          if (c.spec.healthChecks) for (const other of c.downstream) p = withEvent(p, c.knobWriters[inServiceKnobOfWeight(other.weightKnob)]);
        }
        callee.loadProvenance = p;
      }
    }
    for (let k = this.order.length - 1; k >= 0; k--) {
      const c = cs[this.order[k]];
      let p = c.loadProvenance;
      for (const seq of Object.values(c.knobWriters)) p = withEvent(p, seq);
      if (c.healthSeq >= 0) p = withEvent(p, c.healthSeq);
      for (const f of c.faults) p = withEvent(p, f.seq);
      if (c.consumer) {
        p = withEvent(p, c.consumer.loaded.writer);
        if (c.consumer.stable !== c.consumer.loaded) p = withEvent(p, c.consumer.stable.writer);
      }
      if (c.spec.kind === "dnsRecord") {
        // What the answer is made of: the put of the plan version the record points at, or the
        // deletion that removed it (why the record is empty), not the document's latest write.
        const plan = c.knobs.plan;
        const doc = plan > 0 ? this.stores.get(c.spec.store)?.get(c.spec.document, plan) : undefined;
        const planEvent = doc !== undefined ? doc.writer : this.documentDeletions.get(`${c.spec.store}.${c.spec.document}.${plan}`);
        if (planEvent !== undefined) p = withEvent(p, planEvent);
      }
      for (const d of c.downstream) p = mergeProvenance(p, cs[d.index].perfProvenance);
      c.perfProvenance = p;
    }
  }
}

function createComponent(spec: ComponentSpec, index: number, writer: number): Component {
  const knobs: Record<string, number> = {};
  if (spec.kind === "loadBalancer") {
    for (const t of spec.targets) knobs[weightKnob(t)] = spec.weights[t] ?? 0;
    if (spec.healthChecks) for (const t of spec.targets) knobs[inServiceKnob(t)] = 1;
  } else if (spec.kind === "dnsRecord") {
    knobs.plan = spec.plan;
  } else if (spec.kind === "clients") {
    knobs.retries = spec.retries;
  } else if (spec.kind === "shards") {
    knobs[MIGRATED_KNOB] = spec.migrated;
  } else if (spec.kind === "leaseTable") {
    knobs[QUEUE_LIMIT_KNOB] = spec.queueLimit;
  } else if (spec.kind === "configConsumer") {
    knobs.replicas = spec.replicas;
    knobs[VERSION_KNOB] = spec.version;
    knobs[ROLLOUT_KNOB] = 100;
  } else if (spec.kind !== "documentStore") {
    knobs.replicas = spec.replicas;
    if (spec.cpu) knobs[CPU_REQUEST_KNOB] = spec.cpu.requestMillicores;
  }
  const knobWriters: Record<string, number> = {};
  const knobVersions: Record<string, number> = {};
  for (const k of Object.keys(knobs)) {
    knobWriters[k] = writer;
    knobVersions[k] = 0;
  }
  return {
    spec,
    index,
    knobs,
    knobWriters,
    knobVersions,
    downstream: [],
    offeredRps: 0,
    servedRps: 0,
    ownErrorRate: 0,
    ownLatencyMs: [0, 0, 0],
    signals: { loadRps: 0, utilization: 0, latencyMsP50: 0, latencyMsP95: 0, latencyMsP99: 0, errorRate: 0, costPerHour: 0, healthy: 1, replicas: 0, available: 1, cpuUtilization: 0, amplification: 1, degraded: 0 },
    badSteps: 0,
    goodSteps: 0,
    healthSeq: -1,
    workloadProvenance: EMPTY_PROVENANCE,
    loadProvenance: EMPTY_PROVENANCE,
    perfProvenance: EMPTY_PROVENANCE,
    dnsCachedResolvable: true,
    dnsRefreshedAtMs: 0,
    backlog: 0,
    cpuRollout: "cpu" in spec && spec.cpu ? idleRollout() : null,
    consumer: null,
    faults: [],
    impairment: null,
  };
}

function updateHealth(c: Component): HealthTransition | null {
  const h: HealthSpec = c.spec.health;
  const s = c.signals;
  const bad = s.errorRate > h.errorRateMax || s.latencyMsP95 > h.latencyMsP95Max;
  const good = s.errorRate < h.errorRateMax / 2 && s.latencyMsP95 < h.latencyMsP95Max * 0.8;
  c.badSteps = bad ? c.badSteps + 1 : 0;
  c.goodSteps = good ? c.goodSteps + 1 : 0;
  if (s.healthy === 1 && c.badSteps >= h.unhealthyAfterSteps) {
    s.healthy = 0;
  } else if (s.healthy === 0 && c.goodSteps >= h.healthyAfterSteps) {
    s.healthy = 1;
  } else {
    return null;
  }
  return { component: c.spec.id, healthy: s.healthy === 1, errorRate: s.errorRate, latencyMsP95: s.latencyMsP95, provenance: c.perfProvenance };
}

export type { ServerSpec, LoadBalancerSpec };
