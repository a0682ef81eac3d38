// Evaluates value expressions (`{ knob: web.replicas, plus: 2, max: 12 }`) against the world,
// through the agent's AgentIO so every read is recorded as a cause, and the agent's context.
import { asFiniteNumber, type ExprProgram } from "../../expr/cel.js";
import type { AgentIO } from "../io.js";
import { evaluateAgentExpr, programOf } from "./cel.js";
import { evaluateAggregate } from "../../model/groups.js";
import type { SignalName } from "../../model/signals.js";
import type { ChartValue, ContextValue } from "./chart.js";

/** The context of a statechart agent: the keys declared in its scenario, nothing else. */
export type ChartContext = Record<string, ContextValue>;

/**
 * Evaluates `value`: reads its source, then applies `plus`, `times`, `round` and the clamp to
 * [min, max], in that order. A literal string or boolean (for `remember`) is returned as is.
 */
export function evaluateValue(value: ChartValue, io: AgentIO, context: ChartContext, params?: Readonly<Record<string, ContextValue>>, failed?: (why: string) => void): ContextValue {
  const s = value.source;
  let v: ContextValue;
  switch (s.kind) {
    case "cel": {
      const outcome = evaluateAgentExpr(celProgram(s.text, s.reads, context, params), io, context, params);
      const n = outcome.ok ? asFiniteNumber(outcome.value) : undefined;
      // A CEL value that fails or is not finite becomes NaN, which the engine rejects as a command
      // (never applied, never logged as a number); `failed` hears why.
      if (n === undefined) failed?.(outcome.ok ? `${s.text} = ${String(outcome.value)}, not a finite number` : `${s.text} failed: ${outcome.error}`);
      v = n ?? NaN;
      break;
    }
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

// Programs by expression text and context shape: values have no node ids, and compiling is pure.
const PROGRAMS = new Map<string, ExprProgram>();
const PROGRAMS_MAX = 10_000;

function celProgram(text: string, reads: Parameters<typeof programOf>[1], context: ChartContext, params?: Readonly<Record<string, ContextValue>>): ExprProgram {
  const key = JSON.stringify([text, reads, Object.entries(context).map(([k, v]) => [k, typeof v]), Object.entries(params ?? {}).map(([k, v]) => [k, typeof v])]);
  let program = PROGRAMS.get(key);
  if (!program) {
    if (PROGRAMS.size >= PROGRAMS_MAX) PROGRAMS.clear();
    PROGRAMS.set(key, (program = programOf(text, reads, context, params, "number")));
  }
  return program;
}

/** Evaluates a value expression the resolver checked to be numeric; NaN (a rejected command) when a CEL value fails, reported to `failed`. */
export function evaluateNumber(value: ChartValue, io: AgentIO, context: ChartContext, params?: Readonly<Record<string, ContextValue>>, failed?: (why: string) => void): number {
  const v = evaluateValue(value, io, context, params, failed);
  // The resolver rejects non-numeric values where numbers are needed; NaN makes the engine reject the command loudly.
  return typeof v === "number" ? v : NaN;
}
