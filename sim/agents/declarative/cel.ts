// CEL in statechart agents: the environment their expressions are compiled in (the scenario's
// components and groups, `now`, `params`, `context`), the reader that reads through AgentIO (so every read
// is a cause), and the observation a CEL guard leaves, with the values it read written in.
import { scenarioCatalogue } from "../../expr/catalogue.js";
import { catalogueOfCelReads, celReads, derivedTable, readerFor } from "../../expr/derived.js";
import { compile, evaluate, showValue, type ExprOutcome, type ExprProgram, type ExprResultKind, type LocatedExprProblem } from "../../expr/cel.js";
import { exprEnv, recordType, T, type CatalogueEntry, type ExprEnv } from "../../expr/types.js";
import { componentKnobs } from "../../model/component-knobs.js";
import type { GroupSpec } from "../../scenario/resolve-groups.js";
import { isSignalName } from "../../model/signals.js";
import type { ComponentSpec } from "../../scenario/types.js";
import { show, type AgentIO } from "../io.js";
import type { CelRead, ContextValue } from "./chart.js";

/** The environment of a statechart agent's expressions. Pure. */
export function agentExprEnv(catalogue: readonly CatalogueEntry[], context: Readonly<Record<string, ContextValue>>, params: Readonly<Record<string, ContextValue>> | undefined): ExprEnv {
  return exprEnv(catalogue, { now: T.double, context: recordType("context", context), params: recordType("params", params ?? {}) });
}

// Catalogues by (components, groups) array: a scenario's agents compile many expressions against one.
const CATALOGUES = new WeakMap<readonly ComponentSpec[], Map<readonly GroupSpec[] | undefined, CatalogueEntry[]>>();

function catalogueFor(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): CatalogueEntry[] {
  let byGroups = CATALOGUES.get(components);
  if (!byGroups) CATALOGUES.set(components, (byGroups = new Map()));
  let catalogue = byGroups.get(groups);
  if (!catalogue) byGroups.set(groups, (catalogue = scenarioCatalogue(components, groups)));
  return catalogue;
}

/**
 * Compiles an expression of an agent at resolve time against every component and group; returns
 * the reads to store in the chart (a group read carries its aggregate and members), or the
 * problems. Pure.
 */
export function compileAgentExpr(text: string, components: readonly ComponentSpec[], context: Readonly<Record<string, ContextValue>>, params: Readonly<Record<string, ContextValue>> | undefined, path: (string | number)[], result: ExprResultKind, groups?: readonly GroupSpec[]): { reads: CelRead[]; cost: number } | { problems: LocatedExprProblem[] } {
  const compiled = compile(text, agentExprEnv(catalogueFor(components, groups), context, params), path, result);
  if (!compiled.ok) return { problems: compiled.problems };
  // Group reads carry their members and derived signals (sim/expr/derived.ts) their nested reads;
  // what they read counts into this expression's cost, so the run's CEL budget sees it.
  const withReads = celReads(compiled.program.reads, groups, derivedTable(components, groups))!;
  return { reads: withReads.reads, cost: compiled.program.cost + withReads.cost };
}

// The reads of a program that reads a group aggregate or a derived signal (readerFor resolves them).
const PROGRAM_READS = new WeakMap<ExprProgram, readonly CelRead[]>();

/** Compiles an expression the resolver accepted, against only the names it reads (no catalogue at run time). Throws on a resolver bug. */
export function programOf(text: string, reads: readonly CelRead[] | undefined, context: Readonly<Record<string, ContextValue>>, params: Readonly<Record<string, ContextValue>> | undefined, result: ExprResultKind): ExprProgram {
  const compiled = compile(text, agentExprEnv(catalogueOfCelReads(reads ?? []), context, params), [], result);
  if (!compiled.ok) throw new Error(`CEL expression ${JSON.stringify(text)} passed the resolver but does not compile: ${compiled.problems[0].expected}`);
  if (reads?.some((r) => r.group || r.derived)) PROGRAM_READS.set(compiled.program, reads);
  return compiled.program;
}

/** Reads a name through AgentIO: a knob of the component when it has one by that name, else a signal. */
export function agentReader(io: AgentIO): (id: string, name: string) => number {
  return (id, name) => {
    if (Object.hasOwn(componentKnobs(io.component(id)), name)) return io.knob(id, name);
    return isSignalName(name) ? io.signal(id, name) : NaN;
  };
}

/** Evaluates an agent's program with its context, params and the simulated time in seconds. */
export function evaluateAgentExpr(program: ExprProgram, io: AgentIO, context: Readonly<Record<string, ContextValue>>, params: Readonly<Record<string, ContextValue>> | undefined): ExprOutcome {
  const reader = readerFor(PROGRAM_READS.get(program), io, agentReader(io));
  return evaluate(program, reader, { now: io.now() / 1000, context, params: params ?? {} });
}

/**
 * The expression with each value read written after its reference, e.g.
 * `web.concurrency = 91 > 0.8 * web.poolSize = 100`; a reference whose end is unknown is listed
 * after the expression instead. Pure.
 */
export function withValues(text: string, outcome: ExprOutcome): string {
  let out = "";
  let from = 0;
  const trailing: string[] = [];
  for (const r of outcome.reads) {
    if (r.end < 0 || r.end < from) {
      trailing.push(`${r.text} = ${show(r.value)}`);
      continue;
    }
    out += `${text.slice(from, r.end)} = ${show(r.value)}`;
    from = r.end;
  }
  out += text.slice(from);
  out = out.replace(/\s+/g, " ").trim();
  return trailing.length ? `${out} (${trailing.join(", ")})` : out;
}

/** What a CEL guard observed: the expression with its values, and why it failed when it could not be evaluated. Pure. */
export function celObservation(text: string, outcome: ExprOutcome): { passed: boolean; text: string } {
  const shown = withValues(text, outcome);
  if (!outcome.ok) return { passed: false, text: `${shown} could not be evaluated (${outcome.error}), so the guard does not hold` };
  if (outcome.value === true) return { passed: true, text: shown };
  if (outcome.value === false) return { passed: false, text: `not ${shown}` };
  return { passed: false, text: `${shown} is ${showValue(outcome.value)}, not a bool, so the guard does not hold` };
}
