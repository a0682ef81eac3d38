// The discrete-event engine: the one place that sequences effects. It pops queue entries in
// (time, priority, seq) order and dispatches them: workload changes, world steps (signals,
// health, telemetry), agent wakes (each agent's own evaluation period, delivered as a `wake`
// event) and agent timers (XState `after` delays on the simulation clock). Commands collected
// during one agent step are applied as log events when it returns.
// Periodic evaluation is a queue entry plus actor.send rather than an XState `after` delay:
// XState's delayed-event machinery (schedule, cancel, relay) measured 2.3x the cost of a send.
import { createActor, type AnyActorRef, type AnyStateMachine, type EventObject, type Snapshot } from "xstate";
import { createAgentMachine } from "../agents/registry.js";
import { InvariantError } from "../core/errors.js";
import { EventQueue } from "../core/queue.js";
import { createStream } from "../core/random.js";
import { EventLog } from "../log/chain.js";
import type { EventDraft, EventRecord } from "../log/record.js";
import { flagKnob } from "../model/flags.js";
import type { SignalName } from "../model/signals.js";
import { WorkloadSource, patternChangePoints, patternRps } from "../model/workload.js";
import { World, type WorldState } from "../model/world.js";
import type { AgentCrashFaultSpec, ComponentFaultSpec, FaultSpec, LoadPattern, Scenario } from "../scenario/types.js";
import { ENGINE_MAX_EVENTS } from "../scenario/budgets.js";
import { SimulationClock, type TimerHost } from "./clock.js";
import { CommandProcessor, type CommandStats } from "./command-processor.js";
import { CoordinationPipeline } from "./coordination/pipeline.js";
import { WHATIF_ACTOR, type Intervention } from "./interventions.js";
import type { AgentCommand, AgentIO, DocumentCommand, PublishedIntent } from "../agents/io.js";
import { type RandomStream } from "../core/random.js";
import { Telemetry } from "./telemetry.js";
import { GroupTelemetry } from "./group-telemetry.js";
import { derivedColumns } from "../expr/derived.js";
import { telemetryDigest, telemetryDigestible } from "./telemetry-digest.js";
import { ENGINE_VERSION } from "./version.js";
import { PartitionView } from "./partitions.js";
import { AgentLoads } from "./agent-load.js";
import { RATE_RPS_MAX } from "../scenario/budgets.js";

// At equal times: load changes first, then the world step, then agents, so agents always see
// signals derived from the current knobs and load.
const PRIORITY_WORKLOAD = 0;
const PRIORITY_STEP = 1;
const PRIORITY_AGENT = 2;

const PAYLOAD_STEP = -1;
const WAKE_EVENT = { type: "wake" } as const;

/** Bounds and hooks for one run. */
export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: string | number;
  /** Stop after this many queue entries (default 50 million); hitting it is reported. */
  maxEvents?: number;
  /** Stop at this simulated time (default: the scenario's duration); hitting it early is reported. */
  maxTimeMs?: number;
  /** Take a state snapshot after at least this many log events (default 256). */
  snapshotEvery?: number;
  /** Called when simulated time is about to move past `tMs`, with the state at the end of `tMs`. */
  onTimeAdvance?: (tMs: number, state: () => WorldState) => void;
  /** Counterfactual changes to the run (sim/engine/interventions.ts); none in a normal run. */
  interventions?: readonly Intervention[];
  /**
   * Called each time simulated time is about to move past `tMs`, with the run so far, so a caller
   * can stream a long run (the browser worker posts it in chunks). The arrays are the engine's own,
   * growing; the callback must only read them, and the run is the same with or without it.
   */
  onProgress?: (progress: RunProgress) => void;
}

/** The run so far, as `onProgress` sees it: everything up to and including simulated time `tMs`. */
export interface RunProgress {
  tMs: number;
  log: readonly EventRecord[];
  agentStates: readonly AgentStateChange[];
  telemetry: Telemetry;
}

/** Why a run stopped. `completed` means it reached the scenario's duration. */
export type StopReason = "completed" | "maxEvents" | "maxTime";

/** The state of the world after the event `seq` (and everything before it). */
export interface StateSnapshot {
  seq: number;
  t: number;
  state: WorldState;
}

/** When an agent's machine entered a state. */
export interface AgentStateChange {
  t: number;
  agent: string;
  state: string;
}

/** Counters of what happened in a run. */
export interface RunStats extends CommandStats {
  queueEvents: number;
  steps: number;
  decisions: number;
}

/** Everything a run produced; later stages read only this. */
export interface RunResult {
  scenario: Scenario;
  seed: string | number;
  log: readonly EventRecord[];
  finalHash: string;
  telemetry: Telemetry;
  agentStates: AgentStateChange[];
  initialState: WorldState;
  snapshots: StateSnapshot[];
  stopReason: StopReason;
  /** A sentence when a bound stopped the run before its duration. */
  boundMessage?: string;
  endTimeMs: number;
  stats: RunStats;
}

interface Decision {
  agent: number;
  causes: Set<number>;
  commands: ({ kind: "knob"; command: AgentCommand } | { kind: "document"; command: DocumentCommand })[];
}

/** Runs `scenario` to completion (or to a bound) and returns the result. Deterministic for a seed. */
export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  return new Engine(scenario, options).run();
}

class Engine implements TimerHost {
  private readonly seed: string | number;
  private readonly log = new EventLog();
  private readonly queue = new EventQueue();
  private readonly world: World;
  private readonly telemetry: Telemetry;
  /** Group aggregates sampled with the telemetry; null without groups (no per-step work). */
  private readonly groupTelemetry: GroupTelemetry | null = null;
  private readonly workloads: { source: WorkloadSource; target: number }[];
  private readonly offered: Float64Array;
  /** Pending XState timers by id; ids start after the agent indexes, which are wake payloads. */
  private readonly timers = new Map<number, { callback: () => void; owner: number }>();
  private nextTimerId: number;
  private readonly actors: AnyActorRef[] = [];
  private readonly machines: AnyStateMachine[] = [];
  /** Per agent: null when running, or what a crash left behind for the restart. */
  private readonly crashed: ({ snapshot?: Snapshot<unknown>; delayed: { event: EventObject; dueMs: number }[]; seq: number } | null)[] = [];
  /**
   * Per agent restarted after an agentCrash fault: the fault's `fault.started` and `fault.ended`
   * seqs, cited by its decisions until the first one that issues a command (what it does next is
   * done in the fault's wake: a stalled apply lands late, an amnesiac agent redoes its work).
   */
  private readonly faultCarried: (number[] | undefined)[] = [];
  private readonly timerDue = new Map<number, number>();
  private readonly agentIds: string[];
  private readonly agentStates: AgentStateChange[] = [];
  private readonly snapshots: StateSnapshot[] = [];
  private readonly stats: RunStats = { queueEvents: 0, steps: 0, decisions: 0, commands: 0, applied: 0, rejected: 0, unchanged: 0, held: 0, duplicates: 0 };
  private coordination: CoordinationPipeline;
  private readonly commands: CommandProcessor;
  private readonly intents: PublishedIntent[] = [];
  private readonly snapshotEvery: number;
  private lastSnapshotSeq = 0;
  private now = 0;
  private decision: Decision | null = null;
  // One decision record reused for every agent step: a decision allocates nothing unless it commands.
  private readonly scratch: Decision = { agent: -1, causes: new Set(), commands: [] };
  private workloadEvents: { atMs: number; workload: number }[] = [];
  /** Seq of the `fault.started` event of each component fault in effect, by fault id. */
  private readonly faultStarts = new Map<string, number>();
  /** Gated component faults by the flag knob key that gates them (`web.flag.newParser`). */
  private readonly gated = new Map<string, ComponentFaultSpec[]>();
  /** Ids of gated faults inside their timeline (started or waiting for their flag). */
  private readonly gateWindows = new Set<string>();
  /** Network partitions (sim/engine/partitions.ts); null when the scenario has none. */
  private readonly partitions: PartitionView | null;
  /** Load agents send (statechart `sendLoad`) that is in flight. */
  private readonly agentLoads = new AgentLoads();
  /** Component index by id, for agents' loads. */
  private readonly componentIndex: ReadonlyMap<string, number>;
  /** Why an intervention suppresses what `actor` issues now, or null (what-if runs only). */
  private readonly suppressedIssue: ((actor: string) => string | null) | undefined;

  constructor(private readonly scenario: Scenario, private readonly options: RunOptions) {
    this.seed = options.seed ?? scenario.seed;
    this.snapshotEvery = options.snapshotEvery ?? 256;
    this.log.append({
      t: 0,
      type: "run.started",
      actor: "engine",
      // Everything besides the events that a verdict depends on is bound here and in run.ended,
      // so a run file's header (scenario text, variant, seed) is checked against the chain.
      data: {
        scenario: scenario.name,
        ...(scenario.variant !== undefined ? { variant: scenario.variant } : {}),
        seed: this.seed,
        durationMs: scenario.durationMs,
        stepMs: scenario.stepMs,
        engine: ENGINE_VERSION,
        ...(scenario.sourceSha256 !== undefined ? { scenarioSha256: scenario.sourceSha256 } : {}),
      },
      causes: [],
    });
    this.world = new World(scenario, 0);
    this.partitions = scenario.partitions !== undefined ? new PartitionView(this.world, scenario.sites ?? {}) : null;
    const ids = this.world.componentIds;
    const samples = Math.floor(scenario.durationMs / scenario.sampleEveryMs) + 1;
    this.telemetry = new Telemetry(ids, this.world.signalNames, samples);
    const derived = derivedColumns(scenario.components, scenario.groups);
    if ((scenario.groups !== undefined && scenario.groups.length > 0) || derived.length > 0) {
      this.groupTelemetry = new GroupTelemetry(scenario.groups ?? [], samples, derived);
      this.telemetry.groups = this.groupTelemetry.telemetry;
    }
    this.offered = new Float64Array(ids.length);
    const indexOf = new Map(ids.map((id, i) => [id, i]));
    this.componentIndex = indexOf;
    this.workloads = scenario.workloads.map((spec) => ({
      source: new WorkloadSource(spec, createStream(this.seed, `workload:${spec.id}`)),
      target: indexOf.get(spec.target) ?? -1,
    }));
    this.agentIds = scenario.agents.map((a) => a.id);
    this.nextTimerId = scenario.agents.length;
    this.coordination = new CoordinationPipeline(scenario.coordination ?? {});
    const interventions = options.interventions ?? [];
    const blocked = new Set(interventions.flatMap((i) => (i.kind === "block" ? [i.seq] : [])));
    const muted = interventions.flatMap((i) => (i.kind === "mute" ? [i] : []));
    this.suppressedIssue =
      muted.length === 0
        ? undefined
        : (actor) => {
            const mute = muted.find((m) => m.agent === actor && this.now >= m.fromMs);
            return mute ? `mute ${actor} from ${mute.fromMs} ms` : null;
          };
    this.commands = new CommandProcessor(this.world, this.coordination, {
      now: () => this.now,
      append: (draft) => this.append(draft),
      scheduleAt: (atMs, callback) => this.scheduleInternal(atMs, callback),
      nextSeq: () => this.log.length,
      ...(this.partitions !== null ? { partitioned: (actor: string, target: string) => this.partitions!.refusal(actor, target) } : {}),
      knobApplied: (target, knob, seq) => {
        if (this.gated.size > 0) this.flagWritten(`${target}.${knob}`, seq);
      },
      suppressed:
        interventions.length === 0
          ? undefined
          : (actor, nextSeq, stage) => {
              if (stage === "apply" && blocked.has(nextSeq)) return `block #${nextSeq}`;
              const mute = muted.find((m) => m.agent === actor && this.now >= m.fromMs);
              return stage === "issued" && mute ? `mute ${actor} from ${mute.fromMs} ms` : null;
            },
    }, this.stats);
  }

  run(): RunResult {
    const scenario = this.scenario;
    const initialState = this.world.state();
    this.snapshots.push({ seq: 0, t: 0, state: initialState });
    this.scheduleWorkloadChanges();
    this.queue.push(0, PRIORITY_STEP, PAYLOAD_STEP);
    this.startAgents();
    this.scheduleFaults();
    this.schedulePartitions();
    this.schedulePolicyInterventions();

    const maxEvents = this.options.maxEvents ?? ENGINE_MAX_EVENTS;
    const endMs = Math.min(scenario.durationMs, this.options.maxTimeMs ?? Infinity);
    const onTimeAdvance = this.options.onTimeAdvance;
    const onProgress = this.options.onProgress;
    const progress: RunProgress = { tMs: 0, log: this.log.all(), agentStates: this.agentStates, telemetry: this.telemetry };
    let stopReason: StopReason = endMs < scenario.durationMs ? "maxTime" : "completed";
    while (this.queue.size > 0 && this.queue.peekTime() <= endMs) {
      if (this.stats.queueEvents >= maxEvents) {
        stopReason = "maxEvents";
        break;
      }
      const payload = this.queue.pop();
      const t = this.queue.poppedTime;
      if (t > this.now) {
        if (onTimeAdvance) onTimeAdvance(this.now, () => this.world.state());
        if (onProgress) {
          progress.tMs = this.now;
          onProgress(progress);
        }
        this.now = t;
      }
      this.stats.queueEvents++;
      if (payload === PAYLOAD_STEP) this.step();
      else if (payload < PAYLOAD_STEP) this.workloadChanged(-payload - 2);
      else if (payload < this.actors.length) this.wake(payload);
      else this.fireTimer(payload);
    }
    if (onTimeAdvance) onTimeAdvance(this.now, () => this.world.state());
    for (const actor of this.actors) actor.stop();

    const boundMessage =
      stopReason === "maxEvents"
        ? `stopped at ${this.now} ms after ${maxEvents} queue events (maxEvents); the scenario runs to ${scenario.durationMs} ms`
        : stopReason === "maxTime"
          ? `stopped at maxTime ${endMs} ms; the scenario runs to ${scenario.durationMs} ms`
          : undefined;
    this.log.append({
      t: this.now,
      type: "run.ended",
      actor: "engine",
      data: { reason: stopReason, queueEvents: this.stats.queueEvents, ...(boundMessage ? { bound: boundMessage } : {}), ...(telemetryDigestible(this.telemetry) ? { telemetrySha256: telemetryDigest(this.telemetry) } : {}) },
      causes: [],
    });
    return {
      scenario,
      seed: this.seed,
      log: this.log.all(),
      finalHash: this.log.headHash,
      telemetry: this.telemetry,
      agentStates: this.agentStates,
      initialState,
      snapshots: this.snapshots,
      stopReason,
      boundMessage,
      endTimeMs: this.now,
      stats: this.stats,
    };
  }

  scheduleTimer(owner: number, callback: () => void, delayMs: number): number {
    if (!(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new InvariantError(`agent ${this.agentIds[owner]} asked for a timer of ${delayMs} ms`, { seed: this.seed, t: this.now, seq: this.log.length });
    }
    const id = this.nextTimerId++;
    const dueMs = this.now + Math.round(delayMs);
    this.timers.set(id, { callback, owner });
    this.timerDue.set(id, dueMs);
    this.queue.push(dueMs, PRIORITY_AGENT, id);
    return id;
  }

  /** Schedules an engine callback (not an agent step) at `atMs`, by default after agents at that time. */
  private scheduleInternal(atMs: number, callback: () => void, priority = PRIORITY_AGENT): void {
    const id = this.nextTimerId++;
    this.timers.set(id, { callback, owner: -1 });
    this.queue.push(Math.max(atMs, this.now), priority, id);
  }

  cancelTimer(timerId: number): void {
    this.timers.delete(timerId);
    this.timerDue.delete(timerId);
  }

  private scheduleWorkloadChanges(): void {
    const endMs = this.scenario.durationMs;
    this.scenario.workloads.forEach((w, i) => {
      for (const atMs of patternChangePoints(w.pattern)) {
        if (atMs <= endMs) {
          this.workloadEvents.push({ atMs, workload: i });
          this.queue.push(atMs, PRIORITY_WORKLOAD, -(this.workloadEvents.length - 1) - 2);
        }
      }
    });
  }

  private workloadChanged(index: number): void {
    const { atMs, workload } = this.workloadEvents[index];
    const w = this.workloads[workload];
    const spec = w.source.spec;
    const record = this.append({
      t: atMs,
      type: "workload.changed",
      actor: spec.id,
      target: spec.target,
      data: workloadChangeData(spec.pattern, atMs),
      causes: [],
    });
    this.world.noteWorkloadEvent(spec.target, record.seq, spec.id);
  }

  private step(): void {
    const t = this.now;
    const scenario = this.scenario;
    this.stats.steps++;
    this.offered.fill(0);
    for (const w of this.workloads) this.offered[w.target] += w.source.rpsAt(t);
    if (!this.agentLoads.idle) this.agentLoads.addTo(this.offered, t);
    const transitions = this.world.step(this.offered, t);
    for (const tr of transitions) {
      const record = this.append({
        t,
        type: "health.changed",
        actor: tr.component,
        target: tr.component,
        data: { healthy: tr.healthy, errorRate: round(tr.errorRate), latencyMsP95: round(tr.latencyMsP95) },
        causes: [...tr.provenance],
      });
      this.world.noteHealthEvent(tr.component, record.seq);
    }
    if (t % scenario.sampleEveryMs === 0) {
      const offset = this.telemetry.beginSample(t);
      if (offset >= 0) this.world.writeSignals(this.telemetry.values, offset);
      if (offset >= 0 && this.groupTelemetry !== null) this.groupTelemetry.sample(t, this.world);
    }
    if (this.log.length - 1 - this.lastSnapshotSeq >= this.snapshotEvery) {
      this.lastSnapshotSeq = this.log.length - 1;
      this.snapshots.push({ seq: this.lastSnapshotSeq, t, state: this.world.state() });
    }
    const next = t + scenario.stepMs;
    if (next <= scenario.durationMs) this.queue.push(next, PRIORITY_STEP, PAYLOAD_STEP);
  }

  private startAgents(): void {
    this.scenario.agents.forEach((spec, index) => {
      this.machines.push(createAgentMachine(spec, this.createIO(index)));
      this.crashed.push(null);
      this.actors.push(this.spawnAgent(index));
      if (spec.evaluationPeriodMs > 0) this.queue.push(spec.evaluationPeriodMs, PRIORITY_AGENT, index);
    });
  }

  /**
   * Puts every fault's start and end on the queue. They run with workload changes, before the
   * world step at the same instant, so a fault active over [start, start + duration) shapes
   * exactly the steps in that interval and agents see it at its start.
   */
  /**
   * Puts every partition's start and heal on the queue, with faults (before the world step at the
   * same instant). Logged as `fault.started` / `fault.ended` (data: effect partition, its sides);
   * the heal is caused by the start.
   */
  private schedulePartitions(): void {
    for (const p of this.scenario.partitions ?? []) {
      const data = { effect: p.effect, sides: p.sides };
      let startSeq = -1;
      this.scheduleInternal(
        p.startMs,
        () => {
          startSeq = this.append({ t: this.now, type: "fault.started", actor: p.id, data, causes: [] }).seq;
          this.partitions!.start(p, startSeq);
        },
        PRIORITY_WORKLOAD,
      );
      if (p.durationMs !== undefined) {
        this.scheduleInternal(
          p.startMs + p.durationMs,
          () => {
            const ended = this.append({ t: this.now, type: "fault.ended", actor: p.id, data, causes: [startSeq] });
            this.partitions!.end(p.id, ended.seq);
          },
          PRIORITY_WORKLOAD,
        );
      }
    }
  }

  /** Switches coordination policies on at their intervention times (what-if runs only). */
  private schedulePolicyInterventions(): void {
    for (const i of this.options.interventions ?? []) {
      if (i.kind !== "policy") continue;
      this.scheduleInternal(
        i.fromMs,
        () => {
          const coordination = { ...this.scenario.coordination, ...i.coordination };
          this.coordination = new CoordinationPipeline(coordination);
          this.commands.usePipeline(this.coordination);
          this.append({ t: this.now, type: "intervention.applied", actor: WHATIF_ACTOR, data: { kind: "policy", label: i.label, policies: this.coordination.active }, causes: [] });
        },
        PRIORITY_WORKLOAD,
      );
    }
  }

  private scheduleFaults(): void {
    for (const fault of this.scenario.faults ?? []) {
      const endMs = fault.durationMs === undefined ? undefined : fault.startMs + fault.durationMs;
      if (fault.effect === "agentCrash") {
        this.scheduleInternal(fault.startMs, () => this.crashAgent(fault), PRIORITY_WORKLOAD);
        if (endMs !== undefined) this.scheduleInternal(endMs, () => this.restartAgent(fault), PRIORITY_WORKLOAD);
      } else if (fault.when !== undefined) {
        const key = gateKey(fault);
        this.gated.set(key, [...(this.gated.get(key) ?? []), fault]);
        this.scheduleInternal(fault.startMs, () => this.openGateWindow(fault), PRIORITY_WORKLOAD);
        if (endMs !== undefined) this.scheduleInternal(endMs, () => this.closeGateWindow(fault), PRIORITY_WORKLOAD);
      } else {
        this.scheduleInternal(fault.startMs, () => this.startComponentFault(fault), PRIORITY_WORKLOAD);
        if (endMs !== undefined) this.scheduleInternal(endMs, () => this.endComponentFault(fault), PRIORITY_WORKLOAD);
      }
    }
  }

  /**
   * A gated fault's timeline begins: it starts now if its flag is on (caused by the write that
   * turned the flag on, when that was a logged write rather than the initial state), else it
   * waits for a write of the flag.
   */
  private openGateWindow(fault: ComponentFaultSpec): void {
    this.gateWindows.add(fault.id);
    const gate = fault.when!;
    const knob = flagKnob(gate.flag);
    if (this.world.knob(gate.component, knob) !== 1) return;
    const writer = this.world.knobWriter(gate.component, knob);
    this.startComponentFault(fault, writer > 0 ? [writer] : []);
  }

  /** A gated fault's timeline ends: it ends if it had started, and no later flag write starts it. */
  private closeGateWindow(fault: ComponentFaultSpec): void {
    this.gateWindows.delete(fault.id);
    this.endComponentFault(fault);
  }

  /**
   * Flag knob `key` was written by record `seq`: every gated fault it gates inside its timeline
   * starts (flag on) or ends (flag off, the kill switch), caused by that write.
   */
  private flagWritten(key: string, seq: number): void {
    const faults = this.gated.get(key);
    if (faults === undefined) return;
    for (const fault of faults) {
      if (!this.gateWindows.has(fault.id)) continue;
      const on = this.world.knob(fault.when!.component, flagKnob(fault.when!.flag)) === 1;
      if (on && !this.faultStarts.has(fault.id)) this.startComponentFault(fault, [seq]);
      else if (!on) this.endComponentFault(fault, seq);
    }
  }

  /**
   * Logs `fault.started` (caused by `causes`: a gated fault's flag write) and impairs the target
   * from this step on; the start seq becomes its provenance.
   */
  private startComponentFault(fault: ComponentFaultSpec, causes: number[] = []): void {
    const record = this.append({ t: this.now, type: "fault.started", actor: fault.id, target: fault.target, data: faultData(fault), causes });
    this.faultStarts.set(fault.id, record.seq);
    this.world.startFault(fault, record.seq);
  }

  /**
   * Logs `fault.ended` (caused by its start, and by `by`: the flag write that closed a gated
   * fault) and lifts the impairment from this step on. Nothing when it is not in effect.
   */
  private endComponentFault(fault: ComponentFaultSpec, by?: number): void {
    const startSeq = this.faultStarts.get(fault.id);
    if (startSeq === undefined) return;
    this.faultStarts.delete(fault.id);
    const record = this.append({ t: this.now, type: "fault.ended", actor: fault.id, target: fault.target, data: faultData(fault), causes: by === undefined ? [startSeq] : [startSeq, by] });
    this.world.endFault(fault.id, record.seq);
  }

  /** Creates and starts agent `index`'s actor, fresh or from a persisted snapshot. */
  private spawnAgent(index: number, snapshot?: Snapshot<unknown>): AnyActorRef {
    const spec = this.scenario.agents[index];
    const actor = createActor(this.machines[index], { clock: new SimulationClock(this, index), ...(snapshot ? { snapshot } : {}) });
    let last = "";
    actor.subscribe((s) => {
      const value = typeof s.value === "string" ? s.value : JSON.stringify(s.value);
      if (value !== last) {
        last = value;
        this.agentStates.push({ t: this.now, agent: spec.id, state: value });
      }
    });
    this.withinDecision(index, () => actor.start());
    return actor;
  }

  /**
   * Crashes an agent mid-workflow: logs `fault.started`, keeps what durable execution would
   * persist (the machine snapshot and its pending delayed events, with their due times), and
   * stops the actor. Wakes are ignored until it restarts.
   */
  private crashAgent(fault: AgentCrashFaultSpec): void {
    const index = this.agentIds.indexOf(fault.target);
    if (this.crashed[index]) return;
    const actor = this.actors[index];
    const record = this.append({ t: this.now, type: "fault.started", actor: fault.id, target: fault.target, data: faultData(fault), causes: [] });
    // XState keeps delayed events in its system, not in the persisted snapshot; pair them, in
    // scheduling order, with this agent's pending queue entries to know when each was due.
    const scheduled = Object.values((actor.system as unknown as { getSnapshot(): { _scheduledEvents: Record<string, { event: EventObject }> } }).getSnapshot()._scheduledEvents);
    const pendingIds = [...this.timers.entries()].filter(([, timer]) => timer.owner === index).map(([id]) => id);
    if (scheduled.length !== pendingIds.length) {
      throw new InvariantError(`agent ${fault.target} has ${scheduled.length} XState delayed events but ${pendingIds.length} pending timers`, { seed: this.seed, t: this.now, seq: record.seq });
    }
    const dueMs = pendingIds.map((id) => this.timerDue.get(id) ?? this.now);
    this.crashed[index] = {
      snapshot: fault.resume === "snapshot" ? actor.getPersistedSnapshot() : undefined,
      delayed: scheduled.map((s, i) => ({ event: s.event, dueMs: dueMs[i] })),
      seq: record.seq,
    };
    actor.stop();
    this.agentStates.push({ t: this.now, agent: fault.target, state: "crashed" });
  }

  /** Restarts a crashed agent: from its persisted snapshot (re-arming its delayed events) or amnesiac. */
  private restartAgent(fault: AgentCrashFaultSpec): void {
    const index = this.agentIds.indexOf(fault.target);
    const crash = this.crashed[index];
    if (!crash) return;
    const ended = this.append({ t: this.now, type: "fault.ended", actor: fault.id, target: fault.target, data: faultData(fault), causes: [crash.seq] });
    this.crashed[index] = null;
    // Set before spawning: an amnesiac restart's entry actions are already a decision.
    this.faultCarried[index] = [...(this.faultCarried[index] ?? []), crash.seq, ended.seq];
    const actor = this.spawnAgent(index, crash.snapshot);
    this.actors[index] = actor;
    if (crash.snapshot) {
      // A restored snapshot does not re-run entry actions, so its `after` timers would be lost:
      // deliver each pending delayed event when it was due (or now, if it fell due while down).
      for (const d of crash.delayed) this.scheduleInternal(d.dueMs, () => this.withinDecision(index, () => this.actors[index] === actor && actor.send(d.event)));
    }
  }

  private wake(agent: number): void {
    const actor = this.actors[agent];
    if (!this.crashed[agent]) this.withinDecision(agent, () => actor.send(WAKE_EVENT));
    this.queue.push(this.now + this.scenario.agents[agent].evaluationPeriodMs, PRIORITY_AGENT, agent);
  }

  private fireTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer === undefined) return;
    this.timers.delete(id);
    this.timerDue.delete(id);
    if (timer.owner < 0) timer.callback();
    else this.withinDecision(timer.owner, timer.callback);
  }

  /** Runs one agent step, collecting the causes it read, then applies the commands it issued. */
  private withinDecision(agent: number, body: () => void): void {
    const decision = this.scratch;
    decision.agent = agent;
    decision.causes.clear();
    decision.commands.length = 0;
    const carried = this.faultCarried[agent];
    if (carried !== undefined) for (const seq of carried) decision.causes.add(seq);
    this.decision = decision;
    try {
      body();
    } finally {
      this.decision = null;
    }
    this.stats.decisions++;
    if (decision.commands.length === 0) return;
    if (carried !== undefined) this.faultCarried[agent] = undefined;
    const causes = [...decision.causes].sort((a, b) => a - b);
    const agentId = this.agentIds[agent];
    for (const c of [...decision.commands]) {
      if (c.kind === "knob") this.commands.submit(agentId, c.command, c.command.basis?.length ? withBasis(causes, c.command.basis) : causes);
      else this.commands.submitDocument(agentId, c.command, causes);
    }
  }

  private createIO(agent: number): AgentIO {
    const agentId = this.scenario.agents[agent].id;
    const random: RandomStream = createStream(this.seed, `agent:${agentId}`);
    const current = (what: string): Decision => {
      const d = this.decision;
      if (!d || d.agent !== agent) {
        throw new InvariantError(`agent ${agentId} called ${what} outside its own step`, { seed: this.seed, t: this.now, seq: this.log.length });
      }
      return d;
    };
    return {
      agentId,
      now: () => this.now,
      signal: (component: string, name: SignalName) => {
        const stale = this.partitions?.any ? this.partitions.between(agentId, component) : undefined;
        if (stale !== undefined) return this.partitions!.signal(stale, component, name, current("signal()").causes);
        return this.world.observeSignal(component, name, current("signal()").causes);
      },
      knob: (component: string, knob: string) => {
        const stale = this.partitions?.any ? this.partitions.between(agentId, component) : undefined;
        if (stale !== undefined) return this.partitions!.knob(stale, component, knob, current("knob()").causes);
        return this.world.observeKnob(component, knob, current("knob()").causes);
      },
      component: (id: string) => this.world.spec(id),
      command: (command: AgentCommand) => {
        current("command()").commands.push({ kind: "knob", command });
      },
      knobVersion: (component: string, knob: string) => {
        const d = current("knobVersion()");
        const stale = this.partitions?.any ? this.partitions.between(agentId, component) : undefined;
        if (stale !== undefined) return this.partitions!.knob(stale, component, knob, d.causes, true);
        const version = this.world.knobVersion(component, knob);
        d.causes.add(this.world.knobWriter(component, knob));
        return version;
      },
      random: () => random.next(),
      publishIntent: (target: string, knob: string, value: number, ttlMs: number, reason: string) => {
        const d = current("publishIntent()");
        if (!this.coordination.intentsEnabled) return;
        const untilMs = this.now + ttlMs;
        const record = this.append({ t: this.now, type: "intent.published", actor: agentId, target, data: { knob, value, untilMs, reason }, causes: [...d.causes].sort((a, b) => a - b) });
        this.intents.push({ actor: agentId, target, knob, value, untilMs, seq: record.seq });
      },
      intents: (target: string, knob: string) => {
        const d = current("intents()");
        const live = this.intents.filter((i) => i.target === target && i.knob === knob && i.actor !== agentId && i.untilMs > this.now);
        for (const i of live) d.causes.add(i.seq);
        return live.map((i) => ({ ...i }));
      },
      leaseHolder: (target: string, knob: string) => this.coordination.leases?.holder(`${target}.${knob}`, this.now) ?? null,
      document: (store: string, name: string, version?: number) => {
        const d = current("document()");
        const doc = this.world.store(store).get(name, version);
        if (!doc) return null;
        d.causes.add(doc.writer);
        return { version: doc.version, rows: doc.rows, sizeBytes: doc.sizeBytes, schema: doc.schema };
      },
      documentVersions: (store: string, name: string) => {
        const d = current("documentVersions()");
        const versions = this.world.store(store).versions(name);
        if (versions.length > 0) d.causes.add(versions[versions.length - 1].writer);
        return versions.map((v) => v.version);
      },
      documentNextVersion: (store: string, name: string) => this.world.store(store).peekNextVersion(name),
      documentCommand: (command: DocumentCommand) => {
        current("documentCommand()").commands.push({ kind: "document", command });
      },
      causesSoFar: () => [...current("causesSoFar()").causes].sort((a, b) => a - b),
      annotate: (message: string, level: "info" | "warn") => {
        const d = current("annotate()");
        this.append({ t: this.now, type: "agent.logged", actor: agentId, data: { message, level }, causes: [...d.causes].sort((a, b) => a - b) });
      },
      sendLoad: (to: string, rps: number, durationMs: number, reason: string) => {
        const d = current("sendLoad()");
        // Simulated time is whole milliseconds.
        const forMs = Math.round(durationMs);
        const target = this.componentIndex.get(to);
        if (target === undefined) throw new InvariantError(`agent ${agentId} sent load to unknown component ${JSON.stringify(to)}`, { seed: this.seed, t: this.now, seq: this.log.length });
        const rate = Number.isFinite(rps) ? Math.min(RATE_RPS_MAX, Math.max(0, rps)) : 0;
        if (!(rate > 0) || !(forMs > 0)) return;
        const causes = [...d.causes].sort((a, b) => a - b);
        const untilMs = this.now + forMs;
        const data = { rps: rate, forMs, untilMs, reason };
        const why = this.suppressedIssue?.(agentId) ?? null;
        if (why !== null) {
          this.append({ t: this.now, type: "command.suppressed", actor: agentId, target: to, data: { action: "sendLoad", ...data, intervention: why }, causes });
          return;
        }
        const sent = this.append({ t: this.now, type: "load.sent", actor: agentId, target: to, data, causes });
        this.agentLoads.start(agentId, target, rate, this.now, forMs, sent.seq);
        this.world.noteWorkloadEvent(to, sent.seq, agentId);
        if (untilMs <= this.scenario.durationMs) this.scheduleInternal(untilMs, () => this.endLoad(sent.seq));
      },
    };
  }

  /** A send's time is up (after the world step of its last instant): logs `load.ended`, caused by its `load.sent`. */
  private endLoad(sentSeq: number): void {
    const ended = this.agentLoads.end(sentSeq);
    if (ended === undefined) return;
    const { send, othersInFlight } = ended;
    const to = this.world.componentIds[send.target];
    const record = this.append({ t: this.now, type: "load.ended", actor: send.agent, target: to, data: { rps: send.rps, sentSeq }, causes: [sentSeq] });
    // While another of the agent's sends to it is in flight, that send's record explains the load.
    if (!othersInFlight) this.world.noteWorkloadEvent(to, record.seq, send.agent);
  }

  private append(draft: EventDraft): EventRecord {
    const principal = draft.onBehalfOf === undefined ? this.scenario.onBehalfOf?.[draft.actor] : undefined;
    return this.log.append(principal === undefined ? draft : { ...draft, onBehalfOf: principal });
  }
}

/**
 * A command's causes: the reads of its own step plus the records it says it is based on from an
 * earlier step (`basis`), ascending, each once. Only records already logged can be causes. Pure.
 */
function withBasis(causes: readonly number[], basis: readonly number[]): number[] {
  return [...new Set([...causes, ...basis.filter((seq) => Number.isInteger(seq) && seq >= 0)])].sort((a, b) => a - b);
}

/**
 * What a `workload.changed` event says: the rate just before and from `atMs`; a ramp's start says
 * where it is heading instead (`to` its end rate, over `overMs`, with its shape), since the rate
 * between is interpolated each step without further events. Pure.
 */
function workloadChangeData(pattern: LoadPattern, atMs: number): EventDraft["data"] {
  const from = patternRps(pattern, atMs - 1);
  if (pattern.kind === "ramp" && atMs === pattern.atMs && pattern.overMs > 0) return { from, to: pattern.toRps, pattern: pattern.kind, shape: pattern.shape, overMs: pattern.overMs };
  return { from, to: patternRps(pattern, atMs), pattern: pattern.kind };
}

/**
 * The data of a fault's `fault.started` and `fault.ended` events: its effect and parameters, plus
 * its edge (`from`) and ramps when it has them (absent otherwise, so older logs read the same),
 * and for a gated fault the flag knob gating it (`flag: "web.flag.newParser"`). Pure.
 */
function faultData(fault: FaultSpec): EventDraft["data"] {
  const gate: EventDraft["data"] = fault.effect !== "agentCrash" && fault.when !== undefined ? { flag: gateKey(fault) } : {};
  switch (fault.effect) {
    case "agentCrash":
      return { effect: fault.effect, resume: fault.resume };
    case "errors":
      return { effect: fault.effect, rate: fault.rate, ...faultExtras(fault), ...gate };
    case "latency":
      return { effect: fault.effect, addMs: fault.addMs, ...faultExtras(fault), ...gate };
    case "capacityLoss":
      return { effect: fault.effect, fraction: fault.fraction, ...faultExtras(fault), ...gate };
    case "crash":
      return { effect: fault.effect, share: fault.share, ...(fault.afterMs !== undefined ? { afterMs: fault.afterMs } : {}), ...faultExtras(fault), ...gate };
    case "leak":
      return { effect: fault.effect, resource: fault.resource, ratePerS: fault.ratePerS, ...gate };
  }
}

/** A component fault's optional edge and ramp fields, only those it sets. Pure. */
function faultExtras(fault: ComponentFaultSpec): Record<string, string | number> {
  const extras: Record<string, string | number> = {};
  if ("from" in fault && fault.from !== undefined) extras.from = fault.from;
  if (fault.rampUpMs !== undefined) extras.rampUpMs = fault.rampUpMs;
  if (fault.rampDownMs !== undefined) extras.rampDownMs = fault.rampDownMs;
  if (fault.rampShape !== undefined) extras.rampShape = fault.rampShape;
  return extras;
}

/** The knob key (`<component>.flag.<name>`) of a gated fault's flag. Pure. */
function gateKey(fault: ComponentFaultSpec): string {
  return `${fault.when!.component}.${flagKnob(fault.when!.flag)}`;
}

// Signals in event data are rounded so logs stay readable; the hash covers the rounded value.
function round(value: number): number {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : -1;
}
