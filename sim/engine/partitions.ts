// What agents see and reach during network partitions (docs/model.md "Partitions"): an agent
// reading a component on the other side of an active partition gets the value as of the
// partition's start (the view frozen then, with its provenance plus the partition's start as
// causes), and its commands to that component are refused. Calls between components are cut by
// the world (World.startPartition). Owned by the engine; inert when the scenario has no partitions.
import type { World } from "../model/world.js";
import { cutOf, separates, type Cut } from "../model/partition.js";
import type { SignalName } from "../model/signals.js";
import type { Provenance } from "../model/provenance.js";
import type { PartitionSpec } from "../scenario/types.js";

/** One component as agents across a partition last saw it. */
interface FrozenComponent {
  signals: Map<string, number>;
  /** Provenance of loadRps, of the perf signals, and of cost/replicas, as of the freeze. */
  load: Provenance;
  perf: Provenance;
  replicas: Provenance;
  knobs: Map<string, { value: number; writer: number; version: number }>;
}

/** An active partition: its cut, the seq of its `fault.started`, and the frozen view. */
export interface ActivePartition {
  spec: PartitionSpec;
  cut: Cut;
  seq: number;
  frozen: Map<string, FrozenComponent>;
}

/** The active partitions of one run, in start order. */
export class PartitionView {
  private readonly active: ActivePartition[] = [];

  constructor(
    private readonly world: World,
    private readonly sites: Readonly<Record<string, readonly string[]>>,
  ) {}

  /** True while any partition is active (the hot path checks this first). */
  get any(): boolean {
    return this.active.length > 0;
  }

  /**
   * Starts `spec`, logged as `seq`: freezes the view of every component on one of its sides (the
   * signals of the last step, its knobs) and cuts the world's calls across it.
   */
  start(spec: PartitionSpec, seq: number): void {
    const cut = cutOf(spec, this.sites);
    const frozen = new Map<string, FrozenComponent>();
    const names = this.world.signalNames;
    for (const id of this.world.componentIds) {
      if (!cut.has(id)) continue;
      const knobs = new Map<string, { value: number; writer: number; version: number }>();
      for (const knob of this.world.knobNames(id)) knobs.set(knob, { value: this.world.knob(id, knob), writer: this.world.knobWriter(id, knob), version: this.world.knobVersion(id, knob) });
      frozen.set(id, {
        signals: new Map(names.map((n) => [n, this.world.signal(id, n)])),
        load: this.world.signalProvenance(id, "loadRps"),
        perf: this.world.signalProvenance(id, "errorRate"),
        replicas: this.world.signalProvenance(id, "replicas"),
        knobs,
      });
    }
    this.active.push({ spec, cut, seq, frozen });
    this.world.startPartition(spec, cut, seq);
  }

  /** Heals partition `id`, logged as `seq`: reads and commands across it are live again. */
  end(id: string, seq: number): void {
    const k = this.active.findIndex((p) => p.spec.id === id);
    if (k < 0) return;
    this.active.splice(k, 1);
    this.world.endPartition(id, seq);
  }

  /** The earliest active partition putting `agent` and `component` on different sides, or undefined. */
  between(agent: string, component: string): ActivePartition | undefined {
    for (const p of this.active) if (separates(p.cut, agent, component)) return p;
    return undefined;
  }

  /** A stale read of a signal: its value at the partition's start; adds its provenance then and the start to `causes`. */
  signal(p: ActivePartition, component: string, name: SignalName, causes: Set<number>): number {
    const f = p.frozen.get(component)!;
    const provenance = name === "loadRps" ? f.load : name === "costPerHour" || name === "replicas" ? f.replicas : f.perf;
    for (const seq of provenance) causes.add(seq);
    causes.add(p.seq);
    const value = f.signals.get(name);
    // A signal name the world does not sample is refused by the live read; keep that error.
    return value === undefined ? this.world.signal(component, name) : value;
  }

  /** A stale read of a knob (value, or version with `version`): as of the partition's start; adds its writer then and the start to `causes`. */
  knob(p: ActivePartition, component: string, knob: string, causes: Set<number>, version = false): number {
    const k = p.frozen.get(component)!.knobs.get(knob);
    // A knob the component did not have then is refused like a live read of an unknown knob.
    if (k === undefined) return this.world.knob(component, knob);
    causes.add(k.writer);
    causes.add(p.seq);
    return version ? k.version : k.value;
  }

  /** Why `actor` cannot reach `target` now (an active partition between them), with the partition's start, or null. */
  refusal(actor: string, target: string): { reason: string; causes: number[] } | null {
    if (!this.any) return null;
    const p = this.between(actor, target);
    if (p === undefined) return null;
    return { reason: `partitioned: ${target} is on the other side of partition ${p.spec.id} from ${actor}`, causes: [p.seq] };
  }
}
