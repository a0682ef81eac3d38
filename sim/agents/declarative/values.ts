// Evaluates value expressions (`{ knob: web.replicas, plus: 2, max: 12 }`) against the world,
// through the agent's AgentIO so every read is recorded as a cause, and the agent's context.
import type { AgentIO } from "../io.js";
import { evaluateAggregate } from "../../model/groups.js";
import type { SignalName } from "../../model/signals.js";
import type { ChartValue, ContextValue } from "./chart.js";

/** The context of a statechart agent: the keys declared in its scenario, nothing else. */
export type ChartContext = Record<string, ContextValue>;

/**
 * Evaluates `value`: reads its source, then applies `plus`, `times`, `round` and the clamp to
 * [min, max], in that order. A literal string or boolean (for `remember`) is returned as is.
 */
export function evaluateValue(value: ChartValue, io: AgentIO, context: ChartContext): ContextValue {
  const s = value.source;
  let v: ContextValue;
  switch (s.kind) {
    case "literal":
      v = s.value;
      break;
    case "signal":
      // A group aggregate reads each member through io, so every member read is a cause.
      v = s.group ? evaluateAggregate(s.group.aggregate, s.group.members, io) : io.signal(s.component, s.name as SignalName);
      break;
    case "knob":
      v = io.knob(s.component, s.knob);
      break;
    case "knobVersion":
      v = io.knobVersion(s.component, s.knob);
      break;
    case "document":
      v = io.document(s.store, s.document)?.version ?? 0;
      break;
    case "context":
      v = context[s.key];
      break;
  }
  if (typeof v !== "number") return v;
  if (value.plus !== undefined) v += value.plus;
  if (value.times !== undefined) v *= value.times;
  if (value.round === "nearest") v = Math.round(v);
  else if (value.round === "up") v = Math.ceil(v);
  else if (value.round === "down") v = Math.floor(v);
  if (value.min !== undefined) v = Math.max(value.min, v);
  if (value.max !== undefined) v = Math.min(value.max, v);
  return v;
}

/** Evaluates a value expression the resolver checked to be numeric. */
export function evaluateNumber(value: ChartValue, io: AgentIO, context: ChartContext): number {
  const v = evaluateValue(value, io, context);
  // The resolver rejects non-numeric values where numbers are needed; NaN makes the engine reject the command loudly.
  return typeof v === "number" ? v : NaN;
}
