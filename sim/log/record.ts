// The shape of one event-log record and of the actors that cause events.
import { shortJson } from "./json-text.js";

/** A value found where another was expected, as a record-shape message quotes it. */
const quoted = (value: unknown): string => shortJson(value, 40, "missing");

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

/**
 * Why record `r` at position `i` does not have the shape every record has, or null: seq, t,
 * type, actor, target, onBehalfOf, data and causes of the right types, time never going back
 * (`previousT`), causes naming earlier records only. A forged file can keep its chain consistent
 * and still carry any JSON in any field; analysis trusts only records that pass this. Pure.
 */
export function recordShapeProblem(r: unknown, i: number, previousT: number): string | null {
  if (r === null || typeof r !== "object" || Array.isArray(r)) return `record ${i} is not an object`;
  const x = r as Record<string, unknown>;
  if (typeof x.t !== "number" || !Number.isFinite(x.t) || x.t < 0) return `record ${i} has t ${quoted(x.t)}, expected a time in ms >= 0`;
  if (x.t < previousT) return `record ${i} has t ${x.t}, before the previous record's ${previousT} (time never goes back)`;
  if (typeof x.type !== "string" || x.type === "") return `record ${i} has type ${quoted(x.type)}, expected a non-empty string`;
  if (typeof x.actor !== "string" || x.actor === "") return `record ${i} has actor ${quoted(x.actor)}, expected a non-empty string`;
  if (x.target !== undefined && typeof x.target !== "string") return `record ${i} has target ${quoted(x.target)}, expected a string or none`;
  if (x.onBehalfOf !== undefined && typeof x.onBehalfOf !== "string") return `record ${i} has onBehalfOf ${quoted(x.onBehalfOf)}, expected a string or none`;
  if (x.data === null || typeof x.data !== "object" || Array.isArray(x.data)) return `record ${i} has data ${quoted(x.data)}, expected an object`;
  if (!Array.isArray(x.causes)) return `record ${i} has causes ${quoted(x.causes)}, expected a list of earlier seqs`;
  for (const c of x.causes) {
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c >= i) return `record ${i} names cause ${quoted(c)}, expected the seq of an earlier record`;
  }
  return null;
}
