// The guard library as XState v5 parameterized guards: each leaf guard reads the world through
// AgentIO (recording causes) and writes down what it observed, so an action taken on the
// transition can explain itself; `all`, `any` and `not` become xstate's and(), or(), not().
import { and, not, or } from "xstate";
import { show, type AgentIO } from "../io.js";
import type { ExprProgram } from "../../expr/cel.js";
import { celObservation, evaluateAgentExpr, programOf } from "./cel.js";
import { evaluateAggregate } from "../../model/groups.js";
import type { SignalName } from "../../model/signals.js";
import type { ChartGuard, CompareOp, ContextValue, Operand } from "./chart.js";
import type { ChartContext } from "./values.js";

/** What a leaf guard saw at its last evaluation, phrased as a true statement. */
export interface Observation {
  passed: boolean;
  /** e.g. `web.latencyMsP95 = 93.2 > 80`, or `web.latencyMsP95 = 41.0 <= 80` when it failed. */
  text: string;
}

/** Observations of one agent, by guard node id. Overwritten at each evaluation. */
export type Observations = Map<number, Observation>;

/** A guard of the chart with the node id its observations are stored under. */
export interface GuardNode {
  id: number;
  guard: ChartGuard;
  children: GuardNode[];
}

/** The params of every leaf guard: the node id and the guard itself. */
export interface LeafParams {
  node: number;
  guard: ChartGuard;
}

/** An XState guard reference: a parameterized leaf or a combinator built by and/or/not. */
export type XGuard = { type: string; params: LeafParams } | ReturnType<typeof and>;

/** Turns a chart guard into an XState guard and its node tree, numbering nodes with `nextId`. Pure. */
export function compileGuard(guard: ChartGuard, nextId: () => number): { xstate: XGuard; node: GuardNode } {
  const id = nextId();
  switch (guard.type) {
    case "all":
    case "any": {
      const children = guard.guards.map((g) => compileGuard(g, nextId));
      const combine = guard.type === "all" ? and : or;
      return { xstate: combine(children.map((c) => c.xstate) as never), node: { id, guard, children: children.map((c) => c.node) } };
    }
    case "not": {
      const child = compileGuard(guard.guard, nextId);
      return { xstate: not(child.xstate as never) as XGuard, node: { id, guard, children: [child.node] } };
    }
    default:
      return { xstate: { type: guard.type, params: { node: id, guard } }, node: { id, guard, children: [] } };
  }
}

type LeafGuard = (args: { context: ChartContext }, params: LeafParams) => boolean;

/** The leaf guard implementations for setup(), bound to `io`; each records into `observations`. */
export function guardImplementations(io: AgentIO, observations: Observations, params?: Readonly<Record<string, ContextValue>>): Record<Exclude<ChartGuard["type"], "all" | "any" | "not">, LeafGuard> {
  const programs = new Map<number, ExprProgram>();
  const record = (node: number, passed: boolean, text: string): boolean => {
    observations.set(node, { passed, text });
    return passed;
  };
  const comparison = (node: number, subject: string, lhs: ContextValue, op: CompareOp, rhs: Operand, context: ChartContext): boolean => {
    const right = "param" in rhs ? context[rhs.param] : rhs.value;
    const passed = compare(lhs, op, right);
    return record(node, passed, `${subject} = ${format(lhs)} ${passed ? op : NEGATED[op]} ${format(right)}`);
  };
  return {
    signal: ({ context }, { node, guard: g }) => {
      if (g.type !== "signal") return false;
      const value = g.group ? evaluateAggregate(g.group.aggregate, g.group.members, io) : io.signal(g.component, g.name as SignalName);
      return comparison(node, `${g.component}.${g.name}`, value, g.op, g.rhs, context);
    },
    knob: ({ context }, { node, guard: g }) => {
      if (g.type !== "knob") return false;
      return comparison(node, `${g.component}.${g.knob}`, io.knob(g.component, g.knob), g.op, g.rhs, context);
    },
    knobVersion: ({ context }, { node, guard: g }) => {
      if (g.type !== "knobVersion") return false;
      return comparison(node, `${g.component}.${g.knob} version`, io.knobVersion(g.component, g.knob), g.op, g.rhs, context);
    },
    context: ({ context }, { node, guard: g }) => {
      if (g.type !== "context") return false;
      return comparison(node, g.key, context[g.key], g.op, g.rhs, context);
    },
    leaseHeld: (_, { node, guard: g }) => {
      if (g.type !== "leaseHeld") return false;
      const holder = io.leaseHolder(g.component, g.knob);
      const passed = g.by === "self" ? holder === io.agentId : g.by === "other" ? holder !== null && holder !== io.agentId : holder !== null;
      return record(node, passed, holder === null ? `no lease on ${g.component}.${g.knob}` : `lease on ${g.component}.${g.knob} held by ${holder}`);
    },
    intentPublished: (_, { node, guard: g }) => {
      if (g.type !== "intentPublished") return false;
      const intents = io.intents(g.component, g.knob);
      if (intents.length === 0) return record(node, false, `no intent published on ${g.component}.${g.knob}`);
      const first = intents[0];
      const more = intents.length > 1 ? ` (+${intents.length - 1} more)` : "";
      return record(node, true, `${first.actor} intends ${g.component}.${g.knob} = ${show(first.value)}${more}`);
    },
    random: (_, { node, guard: g }) => {
      if (g.type !== "random") return false;
      const r = io.random();
      const passed = r < g.p;
      return record(node, passed, `random ${r.toFixed(3)} ${passed ? "<" : ">="} ${show(g.p)}`);
    },
    cel: ({ context }, { node, guard: g }) => {
      if (g.type !== "cel") return false;
      let program = programs.get(node);
      if (!program) programs.set(node, (program = programOf(g.text, g.reads, context, params, "bool")));
      const seen = celObservation(g.text, evaluateAgentExpr(program, io, context, params));
      return record(node, seen.passed, seen.text);
    },
  };
}

const NEGATED: Record<CompareOp, CompareOp> = { ">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "==" };

/** Compares two context values; ordering operators are only meaningful on numbers. Pure. */
export function compare(lhs: ContextValue, op: CompareOp, rhs: ContextValue): boolean {
  switch (op) {
    case "==":
      return lhs === rhs;
    case "!=":
      return lhs !== rhs;
    case ">":
      return lhs > rhs;
    case ">=":
      return lhs >= rhs;
    case "<":
      return lhs < rhs;
    case "<=":
      return lhs <= rhs;
  }
}

function format(v: ContextValue): string {
  return typeof v === "number" ? show(v) : typeof v === "string" ? JSON.stringify(v) : String(v);
}
