// What part each log record plays in causal analysis: an exogenous input (fault, workload), an
// agent's record, a symptom the model derived (health), or engine bookkeeping. Read from the log
// alone, so a saved run file is classified exactly like a live run.
import type { EventRecord } from "../log/record.js";

/**
 * The role of a record:
 * - `fault`: `fault.started` / `fault.ended` (actor = the fault id);
 * - `workload`: `workload.changed` (actor = the workload id);
 * - `engine`: `run.started` / `run.ended` and anything else the `engine` actor logs;
 * - `symptom`: `health.changed` and, when the agents are known, any record by a non-agent
 *   (the model's derived state: it changes because something else did);
 * - `agent`: everything an agent logs — knob changes, document writes, published intents and
 *   rejected commands.
 */
export type RecordClass = "fault" | "workload" | "engine" | "symptom" | "agent";

/** The classes as numbers, for the graph's Uint8Array column (index = code). */
export const RECORD_CLASSES: readonly RecordClass[] = ["fault", "workload", "engine", "symptom", "agent"];
export const CLASS_FAULT = 0;
export const CLASS_WORKLOAD = 1;
export const CLASS_ENGINE = 2;
export const CLASS_SYMPTOM = 3;
export const CLASS_AGENT = 4;

/**
 * Class code of `r` (an index into RECORD_CLASSES). `agents`, when given (the scenario's agent
 * ids), decides `agent` vs `symptom` for record types this module does not know; without it every
 * unknown type counts as an agent's, which is what the engine logs today. Pure.
 */
export function classCode(r: EventRecord, agents?: ReadonlySet<string>): number {
  switch (r.type) {
    case "fault.started":
    case "fault.ended":
      return CLASS_FAULT;
    case "workload.changed":
      return CLASS_WORKLOAD;
    case "run.started":
    case "run.ended":
      return CLASS_ENGINE;
    case "health.changed":
      return CLASS_SYMPTOM;
  }
  if (r.actor === "engine") return CLASS_ENGINE;
  if (agents !== undefined && !agents.has(r.actor)) return CLASS_SYMPTOM;
  return CLASS_AGENT;
}

/** The class of `r` by name (see RecordClass). Pure. */
export function recordClass(r: EventRecord, agents?: ReadonlySet<string>): RecordClass {
  return RECORD_CLASSES[classCode(r, agents)];
}
