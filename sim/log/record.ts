// The shape of one event-log record and of the actors that cause events.

/** Who produced an event: a scenario agent, a fault, a workload, an operator, the model or the engine. */
export type ActorKind = "agent" | "fault" | "workload" | "operator" | "model" | "engine";

/** JSON-compatible data carried by events (no undefined, no NaN). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** An event as the engine creates it, before it is chained. */
export interface EventDraft {
  /** Simulated time in integer milliseconds. */
  t: number;
  /** `noun.pastVerb`, e.g. `replicas.scaled`, `command.rejected`. */
  type: string;
  /** Id of the actor that did it (agent id, component id, `engine`). */
  actor: string;
  /** The actor on whose behalf this was done, when different from `actor`. */
  onBehalfOf?: string;
  /** The component (or `component.knob`) acted on. */
  target?: string;
  data: { [key: string]: JsonValue };
  /** Seqs of earlier events this one was derived from, ascending, deduplicated. */
  causes: number[];
}

/** A chained, immutable event-log record. `hash = sha256(prev || canonicalJson(record without hash))`. */
export interface EventRecord extends EventDraft {
  seq: number;
  /** Hash of the previous record (GENESIS_HASH for seq 0). */
  prev: string;
  hash: string;
}

/** The `prev` of the first record: 64 zero hex digits. */
export const GENESIS_HASH = "0".repeat(64);
