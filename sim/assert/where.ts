// CEL predicates over log records (`where:` on event expectations and inline event matchers):
// compiled in the `event` environment (sim/expr/policy-env.ts), checked for data keys the record
// type never carries, and evaluated on the run's records after the run. Pure; no part of the
// simulation, so no hash changes.
import { compile, evaluate, type ExprProgram, type LocatedExprProblem } from "../expr/cel.js";
import { eventEnv } from "../expr/policy-env.js";
import type { EventRecord } from "../log/record.js";

/** Compiles a `where` predicate (at YAML `path`) into a program, or located problems. Pure. */
export function compileWhere(text: string, path: (string | number)[]): { ok: true; program: ExprProgram } | { ok: false; problems: LocatedExprProblem[] } {
  return compile(text, eventEnv(), path, "bool");
}

/** The data keys a predicate names (`event.data.to`, `event.data['to']`), each with its offset in the text. Pure. */
export function whereDataKeys(text: string): { key: string; offset: number }[] {
  const out: { key: string; offset: number }[] = [];
  const re = /\bevent\s*\.\s*data\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_]*)|\[\s*(?:'([^']*)'|"([^"]*)")\s*\])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const key = m[1] ?? m[2] ?? m[3];
    out.push({ key, offset: m.index + m[0].lastIndexOf(key) });
  }
  return out;
}

const programs = new Map<string, ExprProgram | null>();

/**
 * True when `record` satisfies the predicate `text`: it evaluates to true. A runtime error (a data
 * key the record does not carry, an int overflow) or a non-bool is no match. Pure (programs are
 * cached by text).
 */
export function recordMatchesWhere(text: string, record: Pick<EventRecord, "t" | "type" | "actor" | "target" | "seq" | "data">): boolean {
  let program = programs.get(text);
  if (program === undefined) {
    const compiled = compileWhere(text, []);
    program = compiled.ok ? compiled.program : null;
    programs.set(text, program);
  }
  if (program === null) return false;
  const event = { t: record.t / 1000, type: record.type, actor: record.actor, target: record.target ?? "", seq: record.seq, data: record.data };
  const outcome = evaluate(program, () => NaN, { event });
  return outcome.ok && outcome.value === true;
}
