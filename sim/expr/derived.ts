// User-defined derived signals (`derived: { saturation: "web.concurrency / web.poolSize" }` on a
// component or a group) and component health rules (`healthRule: { unhealthyWhen: <CEL bool> }`).
// A derived signal is a named CEL number expression of its owner, evaluated ON READ through the
// reader of whoever reads it, so its reads are the reader's causes. This module holds their file
// format, their resolution (names, clashes, cycles, compilation), the table every compiler of the
// scenario shares, and their evaluation. Pure apart from the reads it is given.
import { z } from "zod";
import type { CelRead, DerivedRead } from "../agents/declarative/chart.js";
import { componentKnobs } from "../model/component-knobs.js";
import { parseAggregateName, type MemberReader } from "../model/groups.js";
import { ALL_SIGNAL_NAMES, isSignalName } from "../model/signals.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";
import type { Path, Unlocated } from "../scenario/resolve-tools.js";
import type { ComponentSpec } from "../scenario/types.js";
import { scenarioCatalogue, catalogueOfReads } from "./catalogue.js";
import { asFiniteNumber, compile, evaluate, type ExprProgram, type ExprReader, type LocatedExprProblem } from "./cel.js";
import { groupReader, type ReaderGroup } from "./reader.js";
import { exprEnv, type CatalogueEntry } from "./types.js";
import { budgetProblems } from "../scenario/budgets.js";

/** Most derived signals one component or group may declare. */
export const DERIVED_MAX = 32;
const DERIVED_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** The `derived` field of a component and of a group. */
export const derivedField = z
  .record(z.string().regex(DERIVED_NAME, "a derived signal name of letters, digits and _ (at most 63), starting with a letter, such as `saturation`"), z.string())
  .refine((d) => Object.keys(d).length <= DERIVED_MAX, `at most ${DERIVED_MAX} derived signals`)
  .optional()
  .describe(`Derived signals: name -> a CEL number expression over the scenario's components and groups, e.g. \`{ saturation: "web.concurrency / web.poolSize" }\`. Read like a signal of this component or group (\`web.saturation\`), evaluated when read, and sampled as telemetry (docs/scenario-format.md#expressions-cel). At most ${DERIVED_MAX}. Default: none.`);

/** The `healthRule` field of a component. */
export const healthRuleField = z
  .strictObject({
    unhealthyWhen: z.string().describe("A CEL condition over the scenario's components, groups and derived signals, e.g. `web.saturation > 0.95`: while it holds, the component counts as unhealthy (its kind's thresholds still apply too)."),
  })
  .optional()
  .describe("A user-defined health rule: the component is unhealthy when its kind's `health` thresholds say so OR `unhealthyWhen` holds, with the same hysteresis (docs/scenario-format.md#expressions-cel). Default: none.");

type Owner = { kind: "component" | "group"; id: string; index: number; derived: Readonly<Record<string, string>> };

function ownersOf(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): Owner[] {
  const out: Owner[] = [];
  components.forEach((c, index) => {
    if (c.derived) out.push({ kind: "component", id: c.id, index, derived: c.derived });
  });
  (groups ?? []).forEach((g, index) => {
    if (g.derived) out.push({ kind: "group", id: g.id, index, derived: g.derived });
  });
  return out;
}

const key = (id: string, name: string) => `${id}\u0000${name}`;

/** Derived signals of a scenario by (owner id, name), each with its nested reads; absent keys are not derived (or failed to resolve). */
export type DerivedTable = ReadonlyMap<string, DerivedRead>;

interface Resolution {
  table: Map<string, DerivedRead>;
  problems: (Unlocated | LocatedExprProblem)[];
  /** Derived signals in scenario order: components first, then groups. */
  columns: { id: string; name: string; read: DerivedRead }[];
}

const RESOLVED = new WeakMap<readonly ComponentSpec[], Map<readonly GroupSpec[] | undefined, Resolution>>();

/** True when the scenario declares any derived signal or health rule. Pure. */
export function declaresDerived(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): boolean {
  return components.some((c) => c.derived !== undefined || c.healthRule !== undefined) || (groups ?? []).some((g) => g.derived !== undefined);
}

/**
 * Resolves every derived signal of the scenario: a name may not be a signal or knob of its owner
 * (or a group's own aggregate), an expression must compile to a number, and no derived signal may
 * depend on itself (the cycle is named). Cached per (components, groups). Pure.
 */
function resolution(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): Resolution {
  let byGroups = RESOLVED.get(components);
  if (!byGroups) RESOLVED.set(components, (byGroups = new Map()));
  const cached = byGroups.get(groups);
  if (cached) return cached;
  const problems: Resolution["problems"] = [];
  const owners = ownersOf(components, groups);
  const catalogue = scenarioCatalogue(components, groups);
  const env = exprEnv(catalogue);
  const compiled = new Map<string, { owner: Owner; name: string; path: Path; program: ExprProgram }>();
  const order: string[] = [];
  for (const owner of owners) {
    const base: Path = owner.kind === "component" ? ["components", owner.index, "derived"] : ["groups", owner.index, "derived"];
    for (const [name, text] of Object.entries(owner.derived)) {
      const path = [...base, name];
      const clash = owner.kind === "component" ? isSignalName(name) || (ALL_SIGNAL_NAMES as readonly string[]).includes(name) || Object.hasOwn(componentKnobs(components[owner.index]), name) : parseAggregateName(name) !== null;
      if (clash) {
        problems.push({ path, expected: `a derived signal name that is not already a name of ${owner.kind} ${owner.id}`, found: `${JSON.stringify(name)}, ${owner.kind === "component" ? (isSignalName(name) ? "a built-in signal" : "a knob") : "an aggregate"} of ${owner.id}`, hint: `rename it, e.g. \`${name}Derived\`` });
        continue;
      }
      const c = compile(text, env, path, "number");
      if (!c.ok) {
        problems.push(...c.problems);
        continue;
      }
      compiled.set(key(owner.id, name), { owner, name, path, program: c.program });
      order.push(key(owner.id, name));
    }
  }
  // Cycles: depth-first over derived reads; a cycle is reported once, at its first member in scenario order.
  const state = new Map<string, "visiting" | "done" | "cycle">();
  const stack: string[] = [];
  const visit = (k: string): boolean => {
    const s = state.get(k);
    if (s === "done") return true;
    if (s === "cycle") return false;
    if (s === "visiting") {
      const cycle = [...stack.slice(stack.indexOf(k)), k];
      const first = compiled.get(cycle[0])!;
      problems.push({ path: first.path, expected: "a derived signal that does not depend on itself", found: `the cycle ${cycle.map((x) => x.replace("\u0000", ".")).join(" -> ")}`, hint: "compute one of them from built-in signals, knobs or aggregates instead" });
      for (const x of cycle) state.set(x, "cycle");
      return false;
    }
    state.set(k, "visiting");
    stack.push(k);
    let ok = true;
    for (const r of compiled.get(k)!.program.reads) {
      const rk = key(r.id, r.name);
      if (compiled.has(rk) && !visit(rk)) ok = false;
    }
    stack.pop();
    if (state.get(k) === "visiting") state.set(k, ok ? "done" : "cycle");
    return ok && state.get(k) === "done";
  };
  for (const k of order) visit(k);
  // Nested reads, bottom up (acyclic now).
  const table = new Map<string, DerivedRead>();
  const groupsById = new Map((groups ?? []).map((g) => [g.id, g]));
  const build = (k: string): DerivedRead | undefined => {
    const done = table.get(k);
    if (done) return done;
    const d = compiled.get(k);
    if (!d || state.get(k) !== "done") return undefined;
    const reads: CelRead[] = [];
    let cost = d.program.cost;
    for (const r of d.program.reads) {
      const nested = compiled.has(key(r.id, r.name)) ? build(key(r.id, r.name)) : undefined;
      const group = groupsById.get(r.id);
      const aggregate = !nested && group ? parseAggregateName(r.name) : null;
      if (nested) {
        reads.push({ id: r.id, name: r.name, derived: nested });
        cost += nested.cost;
      } else if (aggregate && group) {
        reads.push({ id: r.id, name: r.name, group: { aggregate, members: [...group.members] } });
        cost += group.members.length;
      } else reads.push({ id: r.id, name: r.name });
    }
    const read: DerivedRead = { ownerKind: d.owner.kind, text: d.program.text, reads, cost };
    table.set(k, read);
    return read;
  };
  const columns: Resolution["columns"] = [];
  for (const k of order) {
    const read = build(k);
    if (read) columns.push({ id: compiled.get(k)!.owner.id, name: compiled.get(k)!.name, read });
  }
  const out = { table, problems, columns };
  byGroups.set(groups, out);
  return out;
}

/** The problems of the scenario's derived signals (clashes, compile errors, cycles). Pure. */
export function derivedProblems(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): (Unlocated | LocatedExprProblem)[] {
  if (!declaresDerived(components, groups)) return [];
  return [...resolution(components, groups).problems, ...healthRuleResolution(components, groups).problems];
}

/** The derived signals that resolved, by (id, name). Pure. */
export function derivedTable(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): DerivedTable {
  return declaresDerived(components, groups) ? resolution(components, groups).table : EMPTY;
}
const EMPTY: DerivedTable = new Map();

/** The derived signal `name` of `id`, or undefined. Pure. */
export function derivedOf(table: DerivedTable, id: string, name: string): DerivedRead | undefined {
  return table.size === 0 ? undefined : table.get(key(id, name));
}

/** Every resolved derived signal in scenario order (components, then groups): the telemetry columns. Pure. */
export function derivedColumns(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): { id: string; name: string; read: DerivedRead }[] {
  return declaresDerived(components, groups) ? resolution(components, groups).columns : [];
}

/**
 * The size problem of the side telemetry when the scenario has derived signals: (groups and
 * components with derived signals) x (group aggregates and derived names) per sample, checked
 * like the components' telemetry (sim/scenario/budgets.ts). Pure.
 */
export function derivedBudgetProblems(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined, durationMs: number, stepMs: number, sampleEveryMs: number): Unlocated[] {
  const columns = derivedColumns(components, groups);
  if (columns.length === 0) return [];
  const ids = new Set([...(groups ?? []).map((g) => g.id), ...columns.map((d) => d.id)]);
  const names = new Set([...(groups ?? []).flatMap((g) => g.sampled), ...columns.map((d) => d.name)]);
  return budgetProblems(durationMs, stepMs, sampleEveryMs, ids.size, names.size)
    .filter((b) => b.field === "sampleEvery")
    .map((b) => ({ path: ["sampleEvery"], expected: `telemetry of group aggregates and derived signals ${b.expected.replace("telemetry ", "").replace("components", "groups and components with derived signals").replace("signals x", "names x")}`, found: b.found, hint: b.hint }));
}

/** A resolved health rule: its component's index and its condition as a DerivedRead (bool). */
export interface HealthRule {
  index: number;
  component: string;
  rule: DerivedRead;
}

const RULES = new WeakMap<readonly ComponentSpec[], Map<readonly GroupSpec[] | undefined, { rules: HealthRule[]; problems: LocatedExprProblem[] }>>();

function healthRuleResolution(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): { rules: HealthRule[]; problems: LocatedExprProblem[] } {
  let byGroups = RULES.get(components);
  if (!byGroups) RULES.set(components, (byGroups = new Map()));
  const cached = byGroups.get(groups);
  if (cached) return cached;
  const out: { rules: HealthRule[]; problems: LocatedExprProblem[] } = { rules: [], problems: [] };
  const env = exprEnv(scenarioCatalogue(components, groups));
  const table = derivedTable(components, groups);
  components.forEach((c, index) => {
    if (!c.healthRule) return;
    const compiled = compile(c.healthRule.unhealthyWhen, env, ["components", index, "healthRule", "unhealthyWhen"], "bool");
    if (!compiled.ok) {
      out.problems.push(...compiled.problems);
      return;
    }
    const rule = readOf(compiled.program, "component", components, groups, table);
    if (rule) out.rules.push({ index, component: c.id, rule });
  });
  byGroups.set(groups, out);
  return out;
}

/** The health rules that resolved, in scenario order. Pure. */
export function healthRules(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): HealthRule[] {
  return components.some((c) => c.healthRule !== undefined) ? healthRuleResolution(components, groups).rules : [];
}

/** `program`'s reads with groups and derived signals filled in, as a DerivedRead; undefined when it reads a derived signal that did not resolve. Pure. */
function readOf(program: ExprProgram, ownerKind: "component" | "group", components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined, table: DerivedTable): DerivedRead | undefined {
  const reads = celReads(program.reads, groups, table);
  if (!reads) return undefined;
  return { ownerKind, text: program.text, reads: reads.reads, cost: program.cost + reads.cost };
}

/**
 * The CelReads of an expression's (id, name) reads: a group aggregate carries its members, a
 * derived signal its nested DerivedRead; `cost` is what they add to the expression's own cost
 * (member reads, nested expressions). Undefined when a read names a declared derived signal that
 * did not resolve (its problem is reported where it is declared). Pure.
 */
export function celReads(reads: readonly { id: string; name: string }[], groups: readonly GroupSpec[] | undefined, table: DerivedTable): { reads: CelRead[]; cost: number } | undefined {
  const out: CelRead[] = [];
  let cost = 0;
  for (const r of reads) {
    const derived = derivedOf(table, r.id, r.name);
    const group = groups?.find((g) => g.id === r.id);
    const aggregate = !derived && group ? parseAggregateName(r.name) : null;
    if (derived) {
      out.push({ id: r.id, name: r.name, derived });
      cost += derived.cost;
    } else if (aggregate && group) {
      out.push({ id: r.id, name: r.name, group: { aggregate, members: [...group.members] } });
      cost += group.members.length;
    } else out.push({ id: r.id, name: r.name });
  }
  return { reads: out, cost };
}

// ---- evaluation ----

/** The catalogue of only what `reads` name (a group read or a group's derived signal names a group): what a resolved expression is compiled again against at run time. Pure. */
export function catalogueOfCelReads(reads: readonly CelRead[]): CatalogueEntry[] {
  return catalogueOfReads(reads.map((r) => ({ id: r.id, name: r.name, kind: r.group || r.derived?.ownerKind === "group" ? "group" : "component" })));
}

const PROGRAMS = new WeakMap<DerivedRead, ExprProgram>();

/** The program of a resolved DerivedRead (compiled once against only the names it reads). Throws on a resolver bug. */
export function derivedProgram(d: DerivedRead, result: "number" | "bool" = "number"): ExprProgram {
  let p = PROGRAMS.get(d);
  if (p) return p;
  const compiled = compile(d.text, exprEnv(catalogueOfCelReads(d.reads)), [], result);
  if (!compiled.ok) throw new Error(`derived expression ${JSON.stringify(d.text)} passed the resolver but does not compile: ${compiled.problems[0].expected}`);
  PROGRAMS.set(d, (p = compiled.program));
  return p;
}

/**
 * A reader for an expression with `reads`: group aggregates through `members` (groupReader),
 * derived signals by evaluating them through the same readers (so their reads are the caller's
 * reads, and causes), anything else through `base`. Deterministic.
 */
export function readerFor(reads: readonly CelRead[] | undefined, members: MemberReader, base: ExprReader): ExprReader {
  if (!reads || reads.length === 0) return base;
  const groups: ReaderGroup[] = [];
  const derived = new Map<string, DerivedRead>();
  for (const r of reads) {
    if (r.group && !groups.some((g) => g.id === r.id)) groups.push({ id: r.id, members: r.group.members });
    if (r.derived) derived.set(key(r.id, r.name), r.derived);
  }
  const inner = groupReader(groups, members, base);
  if (derived.size === 0) return inner;
  return (id, name) => {
    const d = derived.get(key(id, name));
    return d ? evaluateDerived(d, members, base) : inner(id, name);
  };
}

/** The value of derived signal `d`, reading through `members` and `base`; NaN when it cannot be evaluated or is not a finite number. */
export function evaluateDerived(d: DerivedRead, members: MemberReader, base: ExprReader): number {
  const outcome = evaluate(derivedProgram(d), readerFor(d.reads, members, base));
  if (!outcome.ok) return NaN;
  return asFiniteNumber(outcome.value) ?? NaN;
}

/** Whether health rule `d` holds, reading through `members` and `base`; false when it cannot be evaluated (a rule only ever makes a component less healthy). */
export function ruleHolds(d: DerivedRead, members: MemberReader, base: ExprReader): boolean {
  const outcome = evaluate(derivedProgram(d, "bool"), readerFor(d.reads, members, base));
  return outcome.ok && outcome.value === true;
}

/** A base reader over a world-like reader: a knob when the component has one by that name, else a signal, else NaN. */
export function knobFirstReader(read: MemberReader & { spec(id: string): ComponentSpec }): ExprReader {
  const knobs = new Map<string, Readonly<Record<string, number>>>();
  return (id, name) => {
    let k = knobs.get(id);
    if (!k) knobs.set(id, (k = componentKnobs(read.spec(id))));
    if (Object.hasOwn(k, name)) return read.knob(id, name);
    return isSignalName(name) ? read.signal(id, name) : NaN;
  };
}
