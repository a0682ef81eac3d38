// The resolved form of a statechart agent written in YAML: plain, frozen data with durations in
// milliseconds and every shorthand expanded. The loader produces it; build.ts turns it into an
// XState machine. It holds no code: every guard and action names an entry of a fixed library.
import type { AggregateName } from "../../model/groups.js";

/** Comparison operators of guards. */
export const COMPARE_OPS = [">", ">=", "<", "<=", "==", "!="] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/** A value an agent may remember in its context. */
export type ContextValue = number | string | boolean;

/** Right-hand side of a comparison: a literal, or the current value of a context key. */
export type Operand = { value: ContextValue } | { param: string };

/**
 * A read of a group aggregate (`{ signal: cells.sum.replicas }`): the resolver sets it when the
 * component is a group (sim/model/groups.ts), with the group's members, read one by one.
 */
export interface GroupRead {
  aggregate: AggregateName;
  members: readonly string[];
}

/** A guard of the library, as a tree; `all`, `any` and `not` combine other guards. */
export type ChartGuard =
  /** `name`: a signal name (docs/model.md), or an aggregate name (`sum.replicas`) of the group `component` (then `group` is set). */
  | { type: "signal"; component: string; name: string; op: CompareOp; rhs: Operand; group?: GroupRead }
  | { type: "knob"; component: string; knob: string; op: CompareOp; rhs: Operand }
  | { type: "knobVersion"; component: string; knob: string; op: CompareOp; rhs: Operand }
  | { type: "context"; key: string; op: CompareOp; rhs: Operand }
  | { type: "leaseHeld"; component: string; knob: string; by: "self" | "other" | "any" }
  | { type: "intentPublished"; component: string; knob: string }
  | { type: "random"; p: number }
  /** A CEL condition (sim/expr/); `reads` are the (id, name) pairs it reads, filled in by the resolver. */
  | { type: "cel"; text: string; reads?: CelRead[]; cost?: number }
  | { type: "all"; guards: ChartGuard[] }
  | { type: "any"; guards: ChartGuard[] }
  | { type: "not"; guard: ChartGuard };

/** Where a value expression starts from. */
export type ValueSource =
  | { kind: "literal"; value: ContextValue }
  /** `name`: a signal name, or an aggregate name of the group `component` (then `group` is set). */
  | { kind: "signal"; component: string; name: string; group?: GroupRead }
  | { kind: "knob"; component: string; knob: string }
  | { kind: "knobVersion"; component: string; knob: string }
  /** The newest live version number of a document (0 when it has none). */
  | { kind: "document"; store: string; document: string }
  | { kind: "context"; key: string }
  /** A CEL expression producing a number; `reads` and `cost` (its estimate) filled in by the resolver. */
  | { kind: "cel"; text: string; reads?: CelRead[]; cost?: number };

/** One (id, name) a CEL expression reads: a component's signal or knob, or a group's aggregate. */
export interface CelRead {
  id: string;
  name: string;
  /** Set when `id` is a group: the aggregate `name` and the members it reads. */
  group?: GroupRead;
  /** Set when `name` is a derived signal of `id` (sim/expr/derived.ts): its expression and reads, evaluated on read. */
  derived?: DerivedRead;
}

/** A derived signal as an expression reads it: its owner's kind, its CEL text, its reads (nested) and its cost with theirs. */
export interface DerivedRead {
  ownerKind: "component" | "group";
  text: string;
  reads: CelRead[];
  cost: number;
}

/** How a value expression rounds (after plus and times, before the clamp). */
export type Rounding = "nearest" | "up" | "down";

/** A value expression: a source, then `+ plus`, `* times`, rounding, and a clamp to [min, max]. */
export interface ChartValue {
  source: ValueSource;
  plus?: number;
  times?: number;
  round?: Rounding;
  min?: number;
  max?: number;
}

/** An action of the library. */
export type ChartAction =
  | {
      type: "set";
      target: string;
      knob: string;
      value: ChartValue;
      reason?: string;
      /** Context key holding the knob version this write is based on (compare-and-set fencing). */
      expectedVersionFrom?: string;
      idempotencyKey?: string;
    }
  | { type: "remember"; key: string; value: ChartValue }
  | { type: "publishIntent"; target: string; knob: string; value: ChartValue; ttlMs: number; reason?: string }
  /** An annotation in the log (`agent.logged`): a message template with `${...}` references (log.ts). */
  | { type: "log"; message: string; level: "info" | "warn" }
  /** Requests sent to a component for a while, through the normal load path (`load.sent`). */
  | { type: "sendLoad"; to: string; rps: ChartValue; forMs: number; reason?: string };

/** One transition: taken when its guard holds (or it has none); runs its actions in order. */
export interface ChartTransition {
  /** The state to go to; absent = stay in the current state without re-entering it. */
  target?: string;
  guard?: ChartGuard;
  actions: ChartAction[];
}

/** A delayed transition list: armed when the state is entered, fired after `delayMs`. */
export interface ChartDelay {
  delayMs: number;
  transitions: ChartTransition[];
}

/** One (flat) state: what it does on `wake`, and after how long it does what. */
export interface ChartState {
  wake: ChartTransition[];
  after: ChartDelay[];
}

/** A complete statechart: initial context, initial state and the states by name. */
export interface ChartDefinition {
  context: Record<string, ContextValue>;
  /** Constants CEL expressions read as `params.<key>` (absent when none are declared). */
  params?: Record<string, ContextValue>;
  initial: string;
  states: Record<string, ChartState>;
}
