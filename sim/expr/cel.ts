// CEL expressions in scenarios: compile a text in an environment (parse with @bufbuild/cel, check
// with ./check.ts, bound its length and estimated cost) into a program or located problems, and
// evaluate a program deterministically, reading exactly the (id, name) pairs it names through a
// reader callback (an agent's AgentIO records each read as a cause). Isomorphic: no Node APIs.
import { CelScalar, celEnv, celFunc, isCelError, isCelList, isCelMap, isCelUint, parse, plan, type CelInput, type CelValue } from "@bufbuild/cel";
import type { Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { checkExpr, MINMAX_ARGS_MAX, type ExprRead } from "./check.js";
import { typeName, type ExprEnv, type ExprType } from "./types.js";

/** Longest expression text, in characters. */
export const EXPR_TEXT_MAX = 2000;
/** Highest estimated cost (nodes evaluated, comprehension bodies counted once per element of their bounded range). */
export const EXPR_COST_MAX = 10_000;

type Path = (string | number)[];

/** A problem of an expression: its YAML path, and `offset`, the index in the expression text of the offending character. */
export interface LocatedExprProblem {
  path: Path;
  offset: number;
  expected: string;
  found: string;
  hint?: string;
}

/** What a compiled expression must produce. */
export type ExprResultKind = "bool" | "number" | "any";

/** A checked, planned expression. Immutable; evaluate it any number of times. */
export interface ExprProgram {
  readonly text: string;
  readonly type: ExprType;
  /** Every (id, name) it reads, in text order; evaluation reads exactly these. */
  readonly reads: readonly ExprRead[];
  readonly cost: number;
  /** The variables it was compiled with besides the catalogue (bound by the caller). */
  readonly variables: readonly string[];
  /** @internal the planned evaluator. */
  readonly run: (bindings: Record<string, CelInput>) => unknown;
}

/** Reads one name of a component or group (a signal, a knob, an aggregate); must be deterministic. */
export type ExprReader = (id: string, name: string) => number;

/** A read made by one evaluation, with the value read. */
export interface ExprReadValue extends ExprRead {
  value: number;
}

/** The outcome of one evaluation: a value, or why there is none (never thrown). */
export type ExprOutcome =
  | { ok: true; value: CelValue; reads: ExprReadValue[] }
  | { ok: false; error: string; reads: ExprReadValue[] };

const MINMAX = [
  ...[2, 3, 4].slice(0, MINMAX_ARGS_MAX - 1).flatMap((n) => [
    celFunc("max", Array(n).fill(CelScalar.DOUBLE), CelScalar.DOUBLE, (...xs: number[]) => xs.reduce((a, b) => (b > a || Number.isNaN(b) ? b : a))),
    celFunc("min", Array(n).fill(CelScalar.DOUBLE), CelScalar.DOUBLE, (...xs: number[]) => xs.reduce((a, b) => (b < a || Number.isNaN(b) ? b : a))),
    celFunc("max", Array(n).fill(CelScalar.INT), CelScalar.INT, (...xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a))),
    celFunc("min", Array(n).fill(CelScalar.INT), CelScalar.INT, (...xs: bigint[]) => xs.reduce((a, b) => (b < a ? b : a))),
  ]),
] as never[];

// One environment for every program: the standard library (RE2 regular expressions, no clock)
// plus max/min. Variables are bound per evaluation.
const CEL_ENV = celEnv({ funcs: MINMAX });

const isIdentifier = (id: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(id);

/**
 * Compiles expression `text` (found at YAML `path`) in `env`: parses it, type-checks it, lists
 * its reads and checks its length and cost. Returns the program, or every problem found, each
 * with the offset of the offending character in `text`. Pure.
 */
export function compile(text: string, env: ExprEnv, path: Path, result: ExprResultKind = "any"): { ok: true; program: ExprProgram } | { ok: false; problems: LocatedExprProblem[] } {
  const fail = (problems: Omit<LocatedExprProblem, "path">[]) => ({ ok: false as const, problems: problems.map((p) => ({ path, ...p })) });
  if (text.length > EXPR_TEXT_MAX) return fail([{ offset: EXPR_TEXT_MAX, expected: `an expression of at most ${EXPR_TEXT_MAX} characters`, found: `${text.length} characters`, hint: "split it into derived signals" }]);
  if (text.trim() === "") return fail([{ offset: 0, expected: "a CEL expression such as web.latencyMsP95 > 250.0", found: "an empty expression" }]);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (e) {
    return fail([syntaxProblem(text, e)]);
  }
  const positions: Record<string, number> = {};
  for (const [id, pos] of Object.entries(parsed.sourceInfo?.positions ?? {})) positions[id] = Number(pos);
  const checked = checkExpr(text, parsed.expr as Expr, positions, env);
  const problems = [...checked.problems];
  if (problems.length === 0 && checked.cost > EXPR_COST_MAX) {
    problems.push({ offset: 0, expected: `an expression of estimated cost at most ${EXPR_COST_MAX}`, found: `estimated cost ${checked.cost}`, hint: "a macro (all, exists, map, filter) costs its body once per element; iterate over shorter lists or nest fewer macros" });
  }
  if (problems.length === 0 && result !== "any") {
    const t = checked.type;
    const fits = t.k === "dyn" || (result === "bool" ? t.k === "bool" : t.k === "double" || t.k === "int" || t.k === "uint");
    if (!fits) problems.push({ offset: 0, expected: result === "bool" ? "a condition (an expression of type bool), e.g. web.latencyMsP95 > 250.0" : "a number (an expression of type double or int)", found: `an expression of type ${typeName(t)}` });
  }
  if (problems.length > 0) return fail(problems);
  const run = plan(CEL_ENV, parsed) as (b: Record<string, CelInput>) => unknown;
  return { ok: true, program: Object.freeze({ text, type: checked.type, reads: checked.reads, cost: checked.cost, variables: Object.keys(env.variables), run }) };
}

/**
 * Evaluates `program`: reads each of its (id, name) pairs once through `read`, binds them (ids
 * that are CEL identifiers as variables, every id under `c`) with `bindings` (values for the
 * environment's variables; plain objects become CEL maps), and runs it. Never throws: a CEL
 * runtime error (no such key, int overflow, division of ints by zero) is an outcome. Deterministic.
 */
export function evaluate(program: ExprProgram, read: ExprReader, bindings: Record<string, unknown> = {}): ExprOutcome {
  const reads: ExprReadValue[] = [];
  const roots = new Map<string, Map<string, unknown>>();
  try {
    for (const r of program.reads) {
      const value = read(r.id, r.name);
      reads.push({ ...r, value });
      let node = roots.get(r.id);
      if (!node) roots.set(r.id, (node = new Map()));
      // `weight.web-a` is bound at every level, so web.weight['web-a'] and web['weight.web-a'] both read it.
      const parts = r.name.split(".");
      for (let i = 0; i < parts.length - 1; i++) {
        node.set(parts.slice(i).join("."), value);
        let next = node.get(parts[i]) as Map<string, unknown> | undefined;
        if (!(next instanceof Map)) node.set(parts[i], (next = new Map()));
        node = next;
      }
      node.set(parts[parts.length - 1], value);
    }
    const vars: Record<string, CelInput> = { c: roots as unknown as CelInput };
    for (const [id, node] of roots) if (isIdentifier(id) && id !== "c" && !program.variables.includes(id)) vars[id] = node as unknown as CelInput;
    for (const [name, v] of Object.entries(bindings)) vars[name] = toInput(v);
    const value = program.run(vars);
    if (isCelError(value)) return { ok: false, error: value.message, reads };
    return { ok: true, value: value as CelValue, reads };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e), reads };
  }
}

/** The number a numeric outcome holds (ints and uints converted), or undefined when it is not a finite number. Pure. */
export function asFiniteNumber(value: CelValue): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "bigint" ? Number(value) : isCelUint(value) ? Number(value.value) : undefined;
  return n !== undefined && Number.isFinite(n) ? n : undefined;
}

/** A CEL value as text for observations and messages. Pure. */
export function showValue(value: CelValue): string {
  if (typeof value === "bigint") return String(value);
  if (isCelUint(value)) return `${value.value}u`;
  if (typeof value === "string") return JSON.stringify(value);
  if (isCelList(value)) return `[${[...value].map((v) => showValue(v as CelValue)).join(", ")}]`;
  if (isCelMap(value)) return "{...}";
  return String(value);
}

function toInput(v: unknown): CelInput {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype) {
    return new Map(Object.entries(v).map(([k, x]) => [k, toInput(x)])) as unknown as CelInput;
  }
  if (Array.isArray(v)) return v.map(toInput) as unknown as CelInput;
  return v as CelInput;
}

/** The parser's error as a problem at the character it stopped at. */
function syntaxProblem(text: string, e: unknown): Omit<LocatedExprProblem, "path"> {
  const err = e as { location?: { start?: { offset?: number } }; expected?: { type?: string; value?: string; description?: string }[]; found?: string | null };
  const offset = Math.min(err.location?.start?.offset ?? 0, text.length);
  const expected = [...new Set((err.expected ?? []).map((x) => (x.type === "end" ? "the end of the expression" : x.type === "literal" ? `\`${x.value}\`` : x.description ?? x.value ?? x.type ?? "")).filter((x) => x !== ""))];
  const found = err.found === null || err.found === undefined ? "the end of the expression" : `\`${err.found}\``;
  const single = text[offset] === "=" && text[offset + 1] !== "=" && !"=!<>".includes(text[offset - 1] ?? "");
  const hint = single ? "compare with == (a single = is not a CEL operator)" : err.found === null || err.found === undefined ? "the expression ends too early: an operator needs an operand on each side, and brackets must close" : undefined;
  return { offset, expected: expected.length ? `CEL syntax: ${shortList(expected)}` : "CEL syntax", found, ...(hint ? { hint } : {}) };
}

function shortList(items: string[]): string {
  return items.length <= 6 ? items.join(", ") : `${items.slice(0, 6).join(", ")}, ...`;
}
