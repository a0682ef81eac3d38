// One pass over a run's log that groups the records detectors read (knob changes per knob, health
// changes per component, faults, rejections, document writes, workload changes), so running every
// detector costs one walk of the log instead of one walk per detector.
import type { EventRecord } from "../log/record.js";
import { ActionRanker, KIND_FLAG_FLIP, KIND_NONE } from "./action-rank.js";
import { isKnobChange, knobKeyOf, recordAt, type KnobChange } from "./explain.js";
import { jsonText } from "../log/json-text.js";

/** The log's records grouped by what detectors look for. Every list is in log (seq) order. Treat as immutable. */
export interface LogIndex {
  readonly log: readonly EventRecord[];
  /** Applied knob changes (isKnobChange): rejected, held and duplicate commands are not here. */
  readonly knobChanges: readonly KnobChange[];
  /** `component.knob` -> its applied changes; keys in order of the knob's first change. */
  readonly knobChangesByKnob: ReadonlyMap<string, readonly KnobChange[]>;
  /** `health.changed` records that name a component. */
  readonly health: readonly EventRecord[];
  /** Component -> its `health.changed` records; keys in order of the component's first change. */
  readonly healthByComponent: ReadonlyMap<string, readonly EventRecord[]>;
  /** `fault.started` and `fault.ended` records (component and agent faults). */
  readonly faults: readonly EventRecord[];
  /** `command.rejected` records. */
  readonly rejections: readonly EventRecord[];
  /** `document.put` and `document.deleted` records. */
  readonly documentWrites: readonly EventRecord[];
  /** `store.document` -> its puts and deletes. */
  readonly documentWritesByDocument: ReadonlyMap<string, readonly EventRecord[]>;
  /** `workload.changed` records. */
  readonly workloadChanges: readonly EventRecord[];
  /**
   * Health changes and actions (fault starts, knob changes, document writes, agents' load sends), interleaved as in
   * the log: what the cascade walk needs to know which action came last before a failure.
   */
  readonly healthAndActions: readonly EventRecord[];
  /** The record with sequence number `seq`, or undefined (O(1) for engine logs). */
  at(seq: number): EventRecord | undefined;
  /**
   * The root kind of record `seq` (an index into ACTION_KINDS, sim/detect/action-rank.ts: fault,
   * stale write, reversal, deletion, emptying write, routine action, workload change), KIND_NONE
   * for records that are no action. KIND_RANKS turns it into a rank.
   */
  actionKind(seq: number): number;
}

/**
 * Builds the index of `log` in one pass; detectors then read only the groups they need instead of
 * each walking the whole log (reading a record's fields costs a few hundred nanoseconds, since
 * records of different types have different shapes). Pure (reads `log`, returns new lists).
 */
export function buildLogIndex(log: readonly EventRecord[]): LogIndex {
  const knobChanges: KnobChange[] = [];
  const knobChangesByKnob = new Map<string, KnobChange[]>();
  const health: EventRecord[] = [];
  const healthByComponent = new Map<string, EventRecord[]>();
  const faults: EventRecord[] = [];
  const rejections: EventRecord[] = [];
  const documentWrites: EventRecord[] = [];
  const documentWritesByDocument = new Map<string, EventRecord[]>();
  const workloadChanges: EventRecord[] = [];
  const healthAndActions: EventRecord[] = [];
  // Kinds of action records by seq; the ranker must see every action in log order.
  const ranker = new ActionRanker();
  const kinds = new Map<number, number>();
  for (const r of log) {
    // The type is read once: reading a field of a frozen log record costs far more than a switch.
    switch (r.type) {
      case "health.changed":
        if (r.target === undefined) continue;
        health.push(r);
        push(healthByComponent, r.target, r);
        healthAndActions.push(r);
        continue;
      case "fault.started":
        faults.push(r);
        healthAndActions.push(r);
        kinds.set(r.seq, ranker.add(r));
        // A gated fault's start makes the flag write that turned it on a flag flip.
        if (ranker.promoted >= 0) kinds.set(ranker.promoted, KIND_FLAG_FLIP);
        continue;
      case "fault.ended":
        faults.push(r);
        continue;
      case "command.rejected":
        rejections.push(r);
        continue;
      case "workload.changed":
        workloadChanges.push(r);
        kinds.set(r.seq, ranker.add(r));
        continue;
      case "load.sent":
        healthAndActions.push(r);
        kinds.set(r.seq, ranker.add(r));
        continue;
      case "document.put":
      case "document.deleted":
        documentWrites.push(r);
        push(documentWritesByDocument, `${r.target}.${jsonText(r.data.document)}`, r);
        healthAndActions.push(r);
        kinds.set(r.seq, ranker.add(r));
        continue;
    }
    if (isKnobChange(r)) {
      knobChanges.push(r);
      push(knobChangesByKnob, knobKeyOf(r), r);
      healthAndActions.push(r);
      kinds.set(r.seq, ranker.add(r));
    }
  }
  return {
    log,
    knobChanges,
    knobChangesByKnob,
    health,
    healthByComponent,
    faults,
    rejections,
    documentWrites,
    documentWritesByDocument,
    workloadChanges,
    healthAndActions,
    at: (seq) => recordAt(log, seq),
    actionKind: (seq) => kinds.get(seq) ?? KIND_NONE,
  };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
