// The world model: components of registered kinds (sim/model/kinds/) with knobs (written only
// through applyKnob, each remembering the event that last wrote it) and signals derived each step
// from knobs and offered load, each carrying the exact provenance of the events it was derived
// from (sim/model/provenance-graph.ts). Load flows from callers to callees; latency and errors
// flow back from callees to callers. The world orchestrates kinds and names none of them.
import { InputError, describeValue } from "../core/errors.js";
import type { ComponentFaultSpec, ComponentSpec, HealthSpec, LoadBalancerSpec, PartitionSpec, Scenario, ServerSpec } from "../scenario/types.js";
import { freshProvenanceCache, initialSignals, type Component } from "./component.js";
import type { DocumentStore, DocumentVersion } from "./kinds/document-store/documents.js";
import { combineEdgeFaults, combineFaults, composeErrorRate, faultTargetProblem, type ActiveFault, type EdgeImpairment } from "./impairment.js";
import type { LoadEdge } from "./component.js";
import { isRamping } from "./ramp.js";
import { crossingEdgeFault, separates, type Cut } from "./partition.js";
import { componentKnobs } from "./component-knobs.js";
import { checkFlagWrite, isFlagKnob } from "./flags.js";
import type { BuildContext, StepContext } from "./kinds/kind.js";
import { componentKind } from "./kinds/registry.js";
import { EMPTY_PROVENANCE, type Provenance } from "./provenance.js";
import { ProvenanceGraph } from "./provenance-graph.js";
import { OPTIONAL_SIGNAL_NAMES, SIGNAL_NAMES, isSignalName, type SignalName } from "./signals.js";
import { topologicalOrder } from "./topology.js";
import { healthRules } from "../expr/derived.js";
import { HealthRuleSet } from "./health-rules.js";

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

// The charge of a command nothing bills; never written.
const NOT_CHARGED = Object.freeze({ charged: false, reason: null, causes: [] as number[] });

// Shared by every step without a transition; never written.
const NO_TRANSITIONS: HealthTransition[] = Object.freeze([]) as unknown as HealthTransition[];

/** The shared infrastructure model all agents act on. Mutable; the engine owns the only instance. */
export class World {
  private readonly components: Component[];
  private readonly byId = new Map<string, Component>();
  /** Components holding documents, by id. */
  private readonly stores = new Map<string, DocumentStore>();
  /** store id -> components whose provenance reads that store. */
  private readonly storeWatchers = new Map<string, Component[]>();
  /** store.document.version -> seq of the `document.deleted` that removed it: why a record pointing there is empty. */
  private readonly documentDeletions = new Map<string, number>();
  /** Components whose load reacts to their callees' failures (their kind says so). */
  private readonly reacting: Component[] = [];
  /** Scratch: indexes of the components whose health flipped this step. */
  private readonly flipped: number[] = [];
  /** Components that may bill agents' commands (a provisioner's API quota). */
  private readonly charging: Component[] = [];
  /** Components whose kind has work before anyone is served (beginStep). */
  private readonly beginning: Component[] = [];
  /** Callers before callees. */
  private readonly order: number[];
  private readonly ids: readonly string[];
  private readonly stepMs: number;
  private readonly stepContext: StepContext;
  private readonly provenance: ProvenanceGraph;
  /** User health rules (sim/model/health-rules.ts); null when no component has one (no per-step cost). */
  private readonly rules: HealthRuleSet | null = null;
  /** Optional signals some component sets, in OPTIONAL_SIGNAL_NAMES order (sampled after SIGNAL_NAMES). */
  private readonly optionalSignals: readonly SignalName[];
  /** Faults on dependency edges in effect (a `from` caller's calls to the target), in start order. */
  private readonly edgeFaults: { fault: ActiveFault; caller: Component; edge: LoadEdge }[] = [];
  /** Components whose own or outgoing-edge faults ramp: their impairment is recomputed every step. */
  private readonly ramping = new Set<Component>();
  /** Callers with calls cut by an active partition -> those calls' edges: what they send there never arrives. */
  private readonly cutCallers = new Map<Component, LoadEdge[]>();
  /** Ids of the scenario's partitions (their edge faults are cuts). */
  private readonly partitionIds: ReadonlySet<string>;

  /** Builds the world from a scenario. Throws InputError on unknown references or dependency cycles. */
  constructor(scenario: Scenario, initialWriterSeq = 0) {
    this.stepMs = scenario.stepMs;
    this.partitionIds = new Set((scenario.partitions ?? []).map((p) => p.id));
    const build: BuildContext = {
      stepMs: scenario.stepMs,
      initialWriter: initialWriterSeq,
      connect: (c, targetId, path, callsPerRequest = 1, weightKnob = "") => {
        const target = this.byId.get(targetId);
        if (!target) throw new InputError(path, `the id of a component (${[...this.byId.keys()].join(", ")})`, JSON.stringify(targetId), "unknown component");
        c.downstream.push({ index: target.index, callsPerRequest, weightKnob });
        target.upstream.push(c.index);
      },
      connectDependencies: (c, dependsOn) => {
        for (const [i, dep] of dependsOn.entries()) build.connect(c, dep.id, `components[${c.index}].dependsOn[${i}]`, dep.callsPerRequest);
      },
      component: (id, path) => {
        const c = this.byId.get(id);
        if (!c) throw new InputError(path, `the id of a component (${[...this.byId.keys()].join(", ")})`, JSON.stringify(id), "unknown component");
        return c;
      },
      documentStore: (storeId, path) => {
        const store = this.stores.get(storeId);
        if (!store) throw new InputError(path, "the id of a documentStore component", JSON.stringify(storeId));
        return store;
      },
    };
    this.components = scenario.components.map((spec, index) => createComponent(spec, index, build));
    for (const c of this.components) {
      if (this.byId.has(c.spec.id)) throw new InputError(`components[${c.index}].id`, "a unique component id", JSON.stringify(c.spec.id), "another component already has this id");
      this.byId.set(c.spec.id, c);
      const documents = c.kind.documents?.(c);
      if (documents) this.stores.set(c.spec.id, documents);
    }
    for (const c of this.components) {
      c.kind.link?.(c, build);
      for (const store of c.kind.watchedStores?.(c) ?? []) {
        const list = this.storeWatchers.get(store) ?? [];
        list.push(c);
        this.storeWatchers.set(store, list);
      }
      const hooks = c.kind.stepHooks?.(c.spec);
      if (c.kind.reactsToCallees && (hooks?.reactsToCallees ?? true)) this.reacting.push(c);
      if (c.kind.beginStep && (hooks?.beginStep ?? true)) this.beginning.push(c);
      if (c.kind.chargeCommand) this.charging.push(c);
    }
    this.ids = this.components.map((c) => c.spec.id);
    const wanted = new Set(this.components.flatMap((c) => c.kind.optionalSignals?.(c.spec) ?? []));
    this.optionalSignals = OPTIONAL_SIGNAL_NAMES.filter((name) => wanted.has(name));
    this.order = topologicalOrder(
      this.ids,
      this.components.map((c) => c.downstream.map((d) => d.index)),
    );
    this.stepContext = {
      components: this.components,
      load: new Float64Array(this.components.length),
      stepMs: this.stepMs,
      documentStore: (storeId) => this.stores.get(storeId),
      documentDeletion: (storeId, document, version) => this.documentDeletions.get(`${storeId}.${document}.${version}`),
    };
    this.provenance = new ProvenanceGraph(this.components, this.order, this.stepContext);
    const rules = healthRules(scenario.components, scenario.groups);
    if (rules.length > 0) this.rules = new HealthRuleSet(rules, this.components.length);
  }

  /** The telemetry's signals: SIGNAL_NAMES, then the optional signals some component sets. */
  get signalNames(): readonly SignalName[] {
    return [...SIGNAL_NAMES, ...this.optionalSignals];
  }

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
      for (const name of this.optionalSignals) out[o++] = s[name];
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
    this.documentsChanged(storeId);
    return doc;
  }

  /** Deletes one version of a document on behalf of event `seq`; false when it did not exist. */
  deleteDocument(storeId: string, name: string, version: number, seq: number): boolean {
    const deleted = this.store(storeId).delete(name, version);
    if (deleted) {
      this.documentDeletions.set(`${storeId}.${name}.${version}`, seq);
      this.documentsChanged(storeId);
    }
    return deleted;
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
   * component exists, has the knob, and the value is finite; the kind checks the rest.
   */
  checkKnob(id: string, knob: string, value: unknown): string | null {
    const c = this.byId.get(id);
    if (!c) return `unknown component ${JSON.stringify(id)}`;
    if (c.knobs[knob] === undefined) return `${id} has no knob ${JSON.stringify(knob)} (knobs: ${Object.keys(c.knobs).join(", ")})`;
    if (typeof value !== "number" || !Number.isFinite(value)) return `${id}.${knob} must be a finite number, got ${describeValue(value)}`;
    // Flags belong to every kind alike: the world checks them, and kinds see only their own knobs.
    return isFlagKnob(knob) ? checkFlagWrite(id, knob, value) : c.kind.checkKnob(c, knob, value);
  }

  /** Writes a knob on behalf of event `seq`. Throws InputError when checkKnob rejects it. */
  applyKnob(id: string, knob: string, value: number, seq: number): void {
    const problem = this.checkKnob(id, knob, value);
    if (problem) throw new InputError(`${id}.${knob}`, "a valid knob write", describeValue(value), problem);
    const c = this.get(id);
    c.knobs[knob] = value;
    c.knobWriters[knob] = seq;
    c.knobVersions[knob]++;
    c.kind.onKnobWritten?.(c, knob);
    this.provenance.ownChanged(c);
  }

  /**
   * Records that event `seq` changed the load workload `workload` offers to component `id`. Only
   * each workload's latest change is kept: it alone sets today's load.
   */
  noteWorkloadEvent(id: string, seq: number, workload = ""): void {
    const c = this.get(id);
    c.workloadEvents.set(workload, seq);
    this.provenance.loadSourceChanged(c);
  }

  /**
   * Starts component fault `spec`, logged as event `seq`: from the next step its target is
   * impaired (sim/model/impairment.ts) and `seq` is part of the target's provenance, so
   * everything derived from it (callers' signals, callees' load, health events, agent
   * decisions) traces back to the fault. Throws InputError for an unknown target or one the
   * effect cannot impair.
   */
  startFault(spec: ComponentFaultSpec, seq: number): void {
    const c = this.get(spec.target);
    const problem = faultTargetProblem(spec, c.spec.kind);
    if (problem) throw new InputError(`faults.${spec.id}.target`, "a component the fault can impair", JSON.stringify(spec.target), problem);
    if ("from" in spec && spec.from !== undefined) {
      this.startEdgeFault(spec, spec.from, c, seq);
      return;
    }
    c.faults.push({ spec, seq });
    c.impairment = combineFaults(c.faults);
    c.faultEvents.set(spec.id, seq);
    if (isRamping(spec)) this.ramping.add(c);
    this.provenance.ownChanged(c);
  }

  /**
   * Starts a fault on the dependency edge caller -> callee: only the caller's calls to the callee
   * see it. The fault is part of the caller's perf provenance (its view of the callee changed),
   * not the callee's, whose load and other callers are unaffected.
   */
  private startEdgeFault(spec: ComponentFaultSpec, callerId: string, callee: Component, seq: number): void {
    const caller = this.get(callerId);
    const edge = caller.downstream.find((d) => d.index === callee.index);
    if (!edge) throw new InputError(`faults.${spec.id}.from`, `a component that calls ${callee.spec.id}`, JSON.stringify(callerId), `${callerId} does not call ${callee.spec.id}`);
    const fault = { spec, seq };
    this.edgeFaults.push({ fault, caller, edge });
    this.setEdgeImpairment(caller, edge, combineEdgeFaults(this.edgeFaults.filter((f) => f.edge === edge).map((f) => f.fault)));
    caller.edgeFaultEvents.set(spec.id, seq);
    if (isRamping(spec)) this.ramping.add(caller);
    this.provenance.edgeChanged(caller);
  }

  /**
   * Ends the component fault `faultId`, logged as event `seq` when given; its target returns to
   * its own behaviour from the next step, and the end event (caused by the start) replaces the
   * start in its provenance: the recovery is explained by the fault ending.
   */
  endFault(faultId: string, seq?: number): void {
    for (const c of this.components) {
      const i = c.faults.findIndex((f) => f.spec.id === faultId);
      if (i < 0) continue;
      c.faults.splice(i, 1);
      c.impairment = combineFaults(c.faults);
      if (seq !== undefined) c.faultEvents.set(faultId, seq);
      this.updateRamping(c);
      this.provenance.ownChanged(c);
    }
    const k = this.edgeFaults.findIndex((f) => f.fault.spec.id === faultId);
    if (k >= 0) {
      const { caller, edge } = this.edgeFaults[k];
      this.edgeFaults.splice(k, 1);
      this.setEdgeImpairment(caller, edge, combineEdgeFaults(this.edgeFaults.filter((f) => f.edge === edge).map((f) => f.fault)));
      if (seq !== undefined) caller.edgeFaultEvents.set(faultId, seq);
      this.updateRamping(caller);
      this.provenance.edgeChanged(caller);
    }
  }

  /**
   * Starts partition `partition` (logged as event `seq`), which puts ids on the sides `cut`: every
   * load edge from a component on one side to a component on another fails all its calls, as an
   * edge fault of rate 1 (sim/model/partition.ts), so the caller's errors cite `seq`; and what the
   * caller sends over it never arrives, so the callee's load drops and cites `seq` too.
   */
  startPartition(partition: PartitionSpec, cut: Cut, seq: number): void {
    for (const caller of this.components) {
      for (const edge of caller.downstream) {
        const callee = this.components[edge.index];
        if (!separates(cut, caller.spec.id, callee.spec.id)) continue;
        this.edgeFaults.push({ fault: { spec: crossingEdgeFault(partition, caller.spec.id, callee.spec.id), seq }, caller, edge });
        this.setEdgeImpairment(caller, edge, combineEdgeFaults(this.edgeFaults.filter((f) => f.edge === edge).map((f) => f.fault)));
        caller.edgeFaultEvents.set(partition.id, seq);
        this.provenance.edgeChanged(caller);
        // The partition's id cannot be a workload's (ids share one namespace): it joins the callee's load sources.
        this.noteWorkloadEvent(callee.spec.id, seq, partition.id);
      }
    }
    this.updateCutCallers();
  }

  /** Heals partition `partitionId` (logged as event `seq`): its cut calls work again from this step, and `seq` replaces its start in their provenance. */
  endPartition(partitionId: string, seq: number): void {
    const ended = this.edgeFaults.filter((f) => f.fault.spec.id === partitionId);
    for (let k = this.edgeFaults.length - 1; k >= 0; k--) if (this.edgeFaults[k].fault.spec.id === partitionId) this.edgeFaults.splice(k, 1);
    for (const { caller, edge } of ended) {
      this.setEdgeImpairment(caller, edge, combineEdgeFaults(this.edgeFaults.filter((f) => f.edge === edge).map((f) => f.fault)));
      caller.edgeFaultEvents.set(partitionId, seq);
      this.provenance.edgeChanged(caller);
      this.noteWorkloadEvent(this.components[edge.index].spec.id, seq, partitionId);
    }
    this.updateCutCallers();
  }

  /** Rebuilds the callers whose calls a partition cuts, from the active edge faults of partitions. */
  private updateCutCallers(): void {
    this.cutCallers.clear();
    for (const { fault, caller, edge } of this.edgeFaults) {
      if (!this.partitionIds.has(fault.spec.id)) continue;
      const edges = this.cutCallers.get(caller) ?? [];
      if (!edges.includes(edge)) edges.push(edge);
      this.cutCallers.set(caller, edges);
    }
  }

  /**
   * Serves a caller with cut calls: whatever its kind sends over a cut edge (first tries, retries,
   * forwarded load) is taken back after it is served and impaired, so it never reaches the callee.
   */
  private serveCut(c: Component, edges: readonly LoadEdge[], tMs: number): void {
    const load = this.stepContext.load;
    const before = edges.map((e) => load[e.index]);
    c.kind.serve(c, this.stepContext, tMs);
    if (c.impairment) this.impair(c);
    edges.forEach((e, k) => (load[e.index] = before[k]));
  }

  /** Sets the edge faults in effect on `caller`'s calls along `edge` (null: none), keeping `edgeImpairments` null while no edge has any. */
  private setEdgeImpairment(caller: Component, edge: LoadEdge, impairment: EdgeImpairment | null): void {
    const k = caller.downstream.indexOf(edge);
    if (caller.edgeImpairments === null) {
      if (impairment === null) return;
      caller.edgeImpairments = caller.downstream.map(() => null);
    }
    caller.edgeImpairments[k] = impairment;
    if (caller.edgeImpairments.every((i) => i === null)) caller.edgeImpairments = null;
  }

  /** Keeps `c` in the ramping set exactly while one of its own or outgoing-edge faults ramps. */
  private updateRamping(c: Component): void {
    const ramps = c.faults.some((f) => isRamping(f.spec)) || this.edgeFaults.some((f) => f.caller === c && isRamping(f.fault.spec));
    if (ramps) this.ramping.add(c);
    else this.ramping.delete(c);
  }

  /** Recomputes the impairments of components with ramping faults at `tMs` (their magnitude moves every step). */
  private applyRamps(tMs: number): void {
    for (const c of this.ramping) {
      if (c.faults.length > 0) c.impairment = combineFaults(c.faults, tMs);
      for (const d of c.downstream) {
        const active = this.edgeFaults.filter((f) => f.edge === d).map((f) => f.fault);
        if (active.length > 0) this.setEdgeImpairment(c, d, combineEdgeFaults(active, tMs));
      }
    }
  }

  /**
   * Charges a command `actor` is about to apply at `tMs` to every component that bills it (a
   * provisioner's API quota, docs/model.md#provisioner): the first throttle's reason and what
   * exhausted the quota, or null when nothing bills the actor or every charge was admitted.
   * Returns `charged` false when nothing bills the actor (the command then costs nothing).
   */
  chargeCommand(actor: string, tMs: number): { charged: boolean; reason: string | null; causes: number[] } {
    if (this.charging.length === 0) return NOT_CHARGED;
    let charged = false;
    let reason: string | null = null;
    const causes: number[] = [];
    for (const c of this.charging) {
      const charge = c.kind.chargeCommand!(c, actor, tMs);
      if (charge === null) continue;
      charged = true;
      if (charge.reason !== null && reason === null) {
        reason = charge.reason;
        causes.push(...charge.causes);
      }
    }
    return { charged, reason, causes };
  }

  /** The command charged last by `actor` (chargeCommand) was logged as record `seq`. */
  noteCommandCharged(actor: string, seq: number): void {
    for (const c of this.charging) if (c.kind.noteCommandCharged?.(c, actor, seq)) this.provenance.ownChanged(c);
  }

  /** Records the seq of the `health.changed` event logged for component `id`. */
  noteHealthEvent(id: string, seq: number): void {
    const c = this.get(id);
    c.healthSeq = seq;
    this.provenance.ownChanged(c);
  }

  /** Seq of the last `health.changed` event of component `id`, or -1 (coordination's failStatic cites it). Pure read. */
  healthWriter(id: string): number {
    return this.get(id).healthSeq;
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

  /** Events the signal was derived from (exact, ascending). */
  signalProvenance(id: string, name: SignalName): Provenance {
    return this.provenanceOf(this.get(id), name);
  }

  /** Cost and replicas come from the replicas knob, load from upstream, the rest from everything that shapes performance. */
  private provenanceOf(c: Component, name: SignalName): Provenance {
    if (name === "costPerHour" || name === "replicas") {
      return c.knobWriters.replicas === undefined ? EMPTY_PROVENANCE : [c.knobWriters.replicas];
    }
    if (name === "loadRps") return this.provenance.load(c);
    return this.provenance.perf(c);
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
    const ctx = this.stepContext;
    const load = ctx.load;
    load.set(offeredRps);
    if (this.ramping.size > 0) this.applyRamps(tMs);
    for (const c of this.beginning) if (c.kind.beginStep!(c, ctx, tMs)) this.provenance.ownChanged(c);
    // Two passes over the components (a large world does not fit in cache, so each pass costs
    // memory traffic): serve callers first, then aggregate callees first and advance health.
    const order = this.order;
    const cutting = this.cutCallers.size > 0;
    for (let k = 0; k < order.length; k++) {
      const c = cs[order[k]];
      c.offeredRps = load[c.index];
      const cut = cutting ? this.cutCallers.get(c) : undefined;
      if (cut !== undefined) {
        this.serveCut(c, cut, tMs);
        continue;
      }
      c.kind.serve(c, ctx, tMs);
      if (c.impairment) this.impair(c);
    }
    const flipped = this.flipped;
    flipped.length = 0;
    for (let k = order.length - 1; k >= 0; k--) {
      const c = cs[order[k]];
      c.signals.loadRps = c.offeredRps;
      c.kind.aggregate(c, ctx);
      if (this.rules !== null && this.rules.ruled[c.index] === 1) continue;
      if (updateHealth(c)) flipped.push(c.index);
    }
    for (const c of this.reacting) this.provenance.updateFeedback(c, c.kind.reactsToCallees!(c));
    // Components with a health rule advance their health after the pass, when every signal is final.
    if (this.rules !== null) this.rules.advance(this, cs, flipped, updateHealth);
    if (flipped.length === 0) return NO_TRANSITIONS;
    // Transitions in scenario order, as the log has always listed them.
    flipped.sort((x, y) => x - y);
    return flipped.map((i) => {
      const c = cs[i];
      const s = c.signals;
      const perf = this.provenance.perf(c);
      return { component: c.spec.id, healthy: s.healthy === 1, errorRate: s.errorRate, latencyMsP95: s.latencyMsP95, provenance: this.rules !== null ? this.rules.provenance(c.index, perf) : perf };
    });
  }

  private get(id: string): Component {
    const c = this.byId.get(id);
    if (!c) throw new InputError("component", `one of ${[...this.byId.keys()].join(", ")}`, JSON.stringify(id), "check the id's spelling");
    return c;
  }

  /** Marks the components whose provenance reads store `storeId` as changed. */
  private documentsChanged(storeId: string): void {
    for (const c of this.storeWatchers.get(storeId) ?? []) this.provenance.ownChanged(c);
  }

  /**
   * Applies active faults to what the kind derived for `c` this step: fault errors compose with
   * its own error rate and the failed requests are taken back from its dependencies (a request
   * failing at `c` never calls them); added latency raises its own p50, p95 and p99. Capacity
   * loss is applied by kinds that have capacity, before their queueing model.
   */
  private impair(c: Component): void {
    const imp = c.impairment!;
    if (imp.errorRate > 0) {
      c.ownErrorRate = composeErrorRate(c.ownErrorRate, imp.errorRate);
      const failedRps = c.servedRps * imp.errorRate;
      if (failedRps > 0) {
        for (const d of c.downstream) {
          const load = this.stepContext.load;
          load[d.index] = Math.max(0, load[d.index] - failedRps * d.callsPerRequest);
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
}

function createComponent(spec: ComponentSpec, index: number, build: BuildContext): Component {
  const kind = componentKind(spec.kind);
  const knobs = componentKnobs(spec);
  const state = kind.create(spec, build);
  const knobWriters: Record<string, number> = {};
  const knobVersions: Record<string, number> = {};
  for (const k of Object.keys(knobs)) {
    knobWriters[k] = build.initialWriter;
    knobVersions[k] = 0;
  }
  return {
    spec,
    kind,
    index,
    health: spec.health,
    knobs,
    knobWriters,
    knobVersions,
    downstream: [],
    upstream: [],
    offeredRps: 0,
    servedRps: 0,
    ownErrorRate: 0,
    ownLatencyMs: [0, 0, 0],
    signals: initialSignals(),
    badSteps: 0,
    goodSteps: 0,
    healthSeq: -1,
    faults: [],
    impairment: null,
    edgeImpairments: null,
    faultEvents: new Map(),
    edgeFaultEvents: new Map(),
    workloadEvents: new Map(),
    state,
    provenance: freshProvenanceCache(),
  };
}

/** Advances `c`'s health hysteresis by one step; true when it flipped. */
function updateHealth(c: Component, ruleHolds = false): boolean {
  const h: HealthSpec = c.health;
  const s = c.signals;
  const bad = ruleHolds || s.errorRate > h.errorRateMax || s.latencyMsP95 > h.latencyMsP95Max;
  const good = !ruleHolds && s.errorRate < h.errorRateMax / 2 && s.latencyMsP95 < h.latencyMsP95Max * 0.8;
  c.badSteps = bad ? c.badSteps + 1 : 0;
  c.goodSteps = good ? c.goodSteps + 1 : 0;
  if (s.healthy === 1 && c.badSteps >= h.unhealthyAfterSteps) {
    s.healthy = 0;
    return true;
  }
  if (s.healthy === 0 && c.goodSteps >= h.healthyAfterSteps) {
    s.healthy = 1;
    return true;
  }
  return false;
}

export type { ServerSpec, LoadBalancerSpec };
