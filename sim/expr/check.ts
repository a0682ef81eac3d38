// The static checker of CEL expressions in scenarios: types every node of a parsed expression
// against the environment (components and groups by id, `c['id']`, declared variables), lists
// every (id, name) the expression reads, and estimates its evaluation cost. @bufbuild/cel 0.6.1
// ships only a stub checker (constants and identifiers, not exported), so this one covers the
// subset of CEL scenarios use: scalars, lists, maps, the standard operators and functions, and
// the list/map macros. Every problem names the offset of the offending character. Pure.
import type { Constant, Expr, Expr_Call, Expr_Comprehension } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { lacksProblem, parseAggregateName } from "../model/groups.js";
import { closest } from "../scenario/problems.js";
import { T, typeName, type CatalogueEntry, type ExprEnv, type ExprType } from "./types.js";

/** A problem at `offset` (index into the expression text). */
export interface ExprProblem {
  offset: number;
  expected: string;
  found: string;
  hint?: string;
}

/** One (id, name) an expression reads, with where it is written (for observations). */
export interface ExprRead {
  id: string;
  name: string;
  /** How it is written, e.g. `web.latencyMsP95` or `c['edge-eu'].errorRate`. */
  text: string;
  start: number;
  /** End offset (exclusive) of the reference in the text; -1 when unknown. */
  end: number;
}

/** What checking found: the result type, the reads in text order, the cost estimate and the problems. */
export interface CheckResult {
  type: ExprType;
  reads: ExprRead[];
  cost: number;
  problems: ExprProblem[];
}

/** Elements assumed in a list or map whose size cannot be bounded from the text (a variable's). */
export const UNKNOWN_SIZE = 100;

interface Typed {
  t: ExprType;
  cost: number;
  /** Upper bound of the elements of a list or map value. */
  size?: number;
  /** Start offset of a reference chain (for refs and the catalogue). */
  start?: number;
}

const DYN: Typed = { t: T.dyn, cost: 1 };
const NUMERIC = new Set(["int", "uint", "double"]);
const TYPE_IDENTS = new Set(["int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type"]);
const ARITHMETIC = new Set(["_+_", "_-_", "_*_", "_/_", "_%_"]);
const ORDERING = new Set(["_<_", "_<=_", "_>_", "_>=_"]);
const OPERATOR_TEXT: Record<string, string> = { "_+_": "+", "_-_": "-", "_*_": "*", "_/_": "/", "_%_": "%", "_<_": "<", "_<=_": "<=", "_>_": ">", "_>=_": ">=", "_==_": "==", "_!=_": "!=", "_&&_": "&&", "_||_": "||", "!_": "!", "-_": "-", "@in": "in", "_[_]": "[]", "_?_:_": "?:" };
/** Functions and methods this checker types (CEL's standard library minus time, plus max/min). */
export const FUNCTIONS = ["size", "contains", "startsWith", "endsWith", "matches", "int", "uint", "double", "string", "bool", "bytes", "dyn", "type", "max", "min"] as const;
const FUNCTION_SET: ReadonlySet<string> = new Set(FUNCTIONS);

const isIdentifier = (id: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(id);

/** Checks parsed expression `expr` of `text` in `env`; `positions` maps node ids to text offsets. Pure. */
export function checkExpr(text: string, expr: Expr, positions: Readonly<Record<string, number>>, env: ExprEnv): CheckResult {
  const problems: ExprProblem[] = [];
  const reads = new Map<string, ExprRead>();
  const scopes: Map<string, ExprType>[] = [];
  const byId = new Map(env.catalogue.map((e) => [e.id, e]));
  const at = (e: Expr): number => positions[String(e.id)] ?? 0;
  const leftmost = (e: Expr): number => leftmostOf(e, at);
  const problem = (e: Expr | number, expected: string, found: string, hint?: string): Typed => {
    problems.push({ offset: typeof e === "number" ? e : at(e), expected, found, ...(hint ? { hint } : {}) });
    return DYN;
  };

  const lookup = (name: string): ExprType | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const t = scopes[i].get(name);
      if (t) return t;
    }
    if (Object.hasOwn(env.variables, name)) return env.variables[name];
    if (name === "c") return { k: "catalogue" };
    const entry = byId.get(name);
    if (entry && isIdentifier(name)) return { k: "ref", entry, prefix: "" };
    if (TYPE_IDENTS.has(name)) return T.type;
    return undefined;
  };

  const knownNames = (): string[] => [
    ...scopes.flatMap((s) => [...s.keys()]),
    ...Object.keys(env.variables),
    "c",
    ...env.catalogue.map((e) => e.id).filter(isIdentifier),
  ];

  /** The names one level below `prefix` of `entry` (`sum`, `count` for a group; signals and knobs for a component). */
  const nextNames = (entry: CatalogueEntry, prefix: string): string[] => {
    const out = new Set<string>();
    for (const n of entry.names) {
      if (prefix !== "" && !n.startsWith(`${prefix}.`)) continue;
      const rest = prefix === "" ? n : n.slice(prefix.length + 1);
      out.add(rest.split(".")[0]);
    }
    return [...out];
  };

  /** Selecting `name` below a ref: a complete name reads a double; a prefix stays a ref. */
  const selectRef = (ref: Extract<ExprType, { k: "ref" }>, name: string, node: Expr, start: number, end: number): Typed => {
    const full = ref.prefix === "" ? name : `${ref.prefix}.${name}`;
    const { entry } = ref;
    if (entry.names.includes(full)) {
      const key = `${entry.id}\u0000${full}`;
      if (!reads.has(key)) reads.set(key, { id: entry.id, name: full, start, end, text: end > start ? text.slice(start, end) : isIdentifier(entry.id) ? `${entry.id}.${full}` : `c['${entry.id}'].${full}` });
      return { t: T.double, cost: 1 };
    }
    if (entry.names.some((n) => n.startsWith(`${full}.`))) return { t: { k: "ref", entry, prefix: full }, cost: 0, start };
    const lacking = entry.lacking?.[full];
    const agg = lacking ? parseAggregateName(full) : null;
    if (lacking && agg) return problem(node.exprKind.case === "selectExpr" ? at(node) + 1 : at(node), ...lacksArgs(lacksProblem(entry.id, agg, lacking)));
    const options = nextNames(entry, ref.prefix);
    const where = ref.prefix === "" ? `${entry.kind} ${entry.id}` : `${entry.id}.${ref.prefix}`;
    const guess = closest(name, options);
    // A select's position is its dot: point at the name after it.
    const offset = node.exprKind.case === "selectExpr" ? at(node) + 1 : at(node);
    return problem(offset, `a name of ${where} (${listed(options)})`, JSON.stringify(name), guess ? `did you mean \`${guess}\`?` : entry.kind === "group" && ref.prefix === "" ? "group aggregates are written cells.sum.replicas, cells.avg.cpuUtilization, cells.count, cells.fraction.unhealthy" : undefined);
  };

  /** Selecting component or group `id` of the catalogue `c`. */
  const selectCatalogue = (id: string, node: Expr, start: number): Typed => {
    const entry = byId.get(id);
    if (entry) return { t: { k: "ref", entry, prefix: "" }, cost: 0, start };
    const guess = closest(id, [...byId.keys()]);
    return problem(node.exprKind.case === "selectExpr" ? at(node) + 1 : node, `the id of a component or group (${listed([...byId.keys()])})`, JSON.stringify(id), guess ? `did you mean \`${guess}\`?` : undefined);
  };

  /** A value that is not a plain reference chain must not be a component, group or `c` itself. */
  const value = (e: Expr | undefined): Typed => {
    if (!e) return DYN;
    const r = check(e);
    if (r.t.k === "ref" || r.t.k === "catalogue") {
      const example = r.t.k === "ref" ? nextNames(r.t.entry, r.t.prefix)[0] : undefined;
      return problem(e, r.t.k === "ref" ? "a number: read one of its names" : "a component or group read by id, e.g. c['edge-eu'].errorRate", typeName(r.t),
        r.t.k === "ref" && example ? `e.g. ${text.slice(r.start ?? at(e), endOfRef(e))}.${example}` : undefined);
    }
    return r;
  };

  /** End offset of the text of a reference chain ending at `e` (best effort). */
  const endOfRef = (e: Expr): number => {
    const k = e.exprKind;
    if (k.case === "identExpr") return at(e) + k.value.name.length;
    if (k.case === "selectExpr") return at(e) + 1 + k.value.field.length;
    if (k.case === "callExpr" && k.value.function === "_[_]") return closingBracket(text, at(k.value.args[1]) ?? at(e));
    return at(e);
  };

  const check = (e: Expr | undefined): Typed => {
    if (!e) return DYN;
    const k = e.exprKind;
    switch (k.case) {
      case "constExpr":
        return { t: constType(k.value), cost: 1 };
      case "identExpr": {
        const t = lookup(k.value.name);
        if (t) return { t, cost: 1, start: at(e) };
        const name = k.value.name;
        const dashed = env.catalogue.find((c) => c.id.startsWith(`${name}-`));
        const guess = closest(name, knownNames());
        return problem(e, "a declared name: a component or group id, c, now, params or context", JSON.stringify(name),
          dashed ? `an id with a dash is read through the map c: c['${dashed.id}'].${dashed.names[0] ?? "name"}` : guess ? `did you mean \`${guess}\`?` : undefined);
      }
      case "selectExpr": {
        const { operand, field, testOnly } = k.value;
        if (!operand) return problem(e, "an expression before .", "nothing");
        const base = check(operand);
        const bt = base.t;
        const start = base.start ?? at(operand);
        if (testOnly && (bt.k === "ref" || bt.k === "catalogue")) return problem(e, "has() on a map or params/context", `has() on ${typeName(bt)}`, "names of components and groups are checked when the file loads; has() is not needed");
        const end = text.slice(at(e) + 1, at(e) + 1 + field.length) === field ? at(e) + 1 + field.length : -1;
        if (bt.k === "ref") return selectRef(bt, field, e, start, end);
        if (bt.k === "catalogue") return selectCatalogue(field, e, start);
        const cost = base.cost + 1;
        if (bt.k === "object") {
          if (!Object.hasOwn(bt.fields, field)) {
            if (testOnly) return { t: T.bool, cost };
            const names = Object.keys(bt.fields);
            const guess = closest(field, names);
            return problem(at(e) + 1, names.length ? `a key of ${bt.what} (${listed(names)})` : `a key of ${bt.what} (it declares none)`, JSON.stringify(field), guess ? `did you mean \`${guess}\`?` : undefined);
          }
          return { t: testOnly ? T.bool : bt.fields[field], cost };
        }
        if (bt.k === "map") return { t: testOnly ? T.bool : bt.value, cost };
        if (bt.k === "dyn") return { t: testOnly ? T.bool : T.dyn, cost };
        return problem(e, "a map or record to select a field of", `${typeName(bt)} .${field}`);
      }
      case "callExpr":
        return call(e, k.value);
      case "listExpr": {
        const elems = k.value.elements.map(value);
        return { t: { k: "list", elem: joinAll(elems.map((x) => x.t)) }, cost: 1 + sum(elems.map((x) => x.cost)), size: elems.length };
      }
      case "structExpr": {
        if (k.value.messageName !== "") return problem(e, "a map literal {key: value}", `a message ${k.value.messageName}`, "protobuf messages are not available in scenarios");
        const keys: ExprType[] = [];
        const vals: ExprType[] = [];
        let cost = 1;
        for (const entry of k.value.entries) {
          if (entry.keyKind.case !== "mapKey") return problem(e, "a map literal {key: value}", "a message field");
          const kt = value(entry.keyKind.value);
          const vt = value(entry.value!);
          keys.push(kt.t);
          vals.push(vt.t);
          cost += kt.cost + vt.cost;
        }
        return { t: { k: "map", key: joinAll(keys), value: joinAll(vals) }, cost, size: k.value.entries.length };
      }
      case "comprehensionExpr":
        return comprehension(e, k.value);
      default:
        return problem(e, "an expression", "an empty expression");
    }
  };

  const comprehension = (e: Expr, c: Expr_Comprehension): Typed => {
    const range = value(c.iterRange!);
    let iterType: ExprType = T.dyn;
    if (range.t.k === "list") iterType = range.t.elem;
    else if (range.t.k === "map") iterType = range.t.key;
    else if (range.t.k !== "dyn") return problem(c.iterRange!, "a list or a map to iterate over", typeName(range.t));
    if (c.iterVar2 !== "") return problem(e, "a macro with one variable (all, exists, exists_one, map, filter)", "a two-variable comprehension");
    const init = value(c.accuInit!);
    scopes.push(new Map([[c.accuVar, init.t], [c.iterVar, iterType]]));
    const cond = value(c.loopCondition!);
    const step = value(c.loopStep!);
    scopes.pop();
    scopes.push(new Map([[c.accuVar, join(init.t, step.t)]]));
    const result = value(c.result!);
    scopes.pop();
    const bound = range.size ?? UNKNOWN_SIZE;
    return { t: result.t, cost: range.cost + init.cost + bound * (cond.cost + step.cost) + result.cost, size: result.t.k === "list" ? bound : undefined };
  };

  const call = (e: Expr, c: Expr_Call): Typed => {
    const f = c.function;
    // Reference chains: c['edge-eu'], web['weight.web-a'], with a constant string key.
    if (f === "_[_]" && c.args.length === 2) {
      const base = check(c.args[0]);
      if (base.t.k === "ref" || base.t.k === "catalogue") {
        const keyExpr = c.args[1];
        const key = keyExpr.exprKind.case === "constExpr" && keyExpr.exprKind.value.constantKind.case === "stringValue" ? keyExpr.exprKind.value.constantKind.value : undefined;
        if (key === undefined) {
          return problem(leftmost(keyExpr), "a constant string key such as c['edge-eu']", "a computed key",
            "which components an expression reads is decided when the file loads, so the key must be written out");
        }
        const start = base.start ?? at(c.args[0]);
        if (base.t.k === "catalogue") return selectCatalogue(key, keyExpr, start);
        // A dotted name may be written in one index: web['weight.web-a'].
        let ref: Typed = { t: base.t, cost: 0, start };
        const parts = key.split(".");
        for (let i = 0; i < parts.length; i++) {
          if (ref.t.k !== "ref") return problem(keyExpr, "a name of the component or group", JSON.stringify(key));
          ref = selectRef(ref.t, parts[i], keyExpr, start, closingBracket(text, at(keyExpr)));
        }
        return ref;
      }
      const index = value(c.args[1]);
      const cost = base.cost + index.cost + 1;
      if (base.t.k === "list") {
        if (!isDyn(index.t) && index.t.k !== "int" && index.t.k !== "uint") return problem(c.args[1], "an int index into a list", typeName(index.t), index.t.k === "double" ? "write the index as a whole number, e.g. 0, or int(x)" : undefined);
        return { t: base.t.elem, cost };
      }
      if (base.t.k === "map") return { t: base.t.value, cost };
      if (base.t.k === "object") return { t: T.dyn, cost };
      if (isDyn(base.t)) return { t: T.dyn, cost };
      return problem(e, "a list or a map to index", typeName(base.t));
    }
    const target = c.target ? value(c.target) : undefined;
    const args = c.args.map(value);
    const cost = 1 + (target?.cost ?? 0) + sum(args.map((a) => a.cost));
    const ok = (t: ExprType, size?: number): Typed => ({ t, cost, ...(size !== undefined ? { size } : {}) });
    const ts = args.map((a) => a.t);
    const op = OPERATOR_TEXT[f] ?? f;

    if (f === "_&&_" || f === "_||_" || f === "!_" || f === "@not_strictly_false") {
      args.forEach((a, i) => {
        if (!isDyn(a.t) && a.t.k !== "bool") problem(c.args[i], `a bool operand of ${op}`, typeName(a.t), a.t.k === "double" || a.t.k === "int" ? "compare it, e.g. web.errorRate > 0.01" : undefined);
      });
      return ok(T.bool);
    }
    if (f === "_?_:_") {
      if (!isDyn(ts[0]) && ts[0].k !== "bool") problem(c.args[0], "a bool condition before ?", typeName(ts[0]));
      if (!compatible(ts[1], ts[2])) return problem(c.args[2], `a value of the same type as the other branch (${typeName(ts[1])})`, typeName(ts[2]), numericHint(c.args[1], ts[1], c.args[2], ts[2]));
      return ok(isDyn(ts[1]) ? ts[2] : ts[1], Math.max(args[1].size ?? 0, args[2].size ?? 0));
    }
    if (f === "-_") {
      if (isDyn(ts[0]) || ts[0].k === "int" || ts[0].k === "double") return ok(ts[0]);
      return problem(e, "an int or double to negate", typeName(ts[0]));
    }
    if (ARITHMETIC.has(f)) {
      const [a, b] = ts;
      if (isDyn(a) || isDyn(b)) return ok(isDyn(a) ? b : a, f === "_+_" ? (args[0].size ?? UNKNOWN_SIZE) + (args[1].size ?? UNKNOWN_SIZE) : undefined);
      if (a.k === b.k && NUMERIC.has(a.k)) {
        if (f === "_%_" && a.k === "double") return problem(e, "int or uint operands of %", "double % double", "CEL has no % on doubles");
        return ok(a);
      }
      if (f === "_+_" && a.k === b.k && (a.k === "string" || a.k === "bytes")) return ok(a);
      if (f === "_+_" && a.k === "list" && b.k === "list") {
        if (!compatible(a.elem, b.elem)) return problem(e, `lists of one element type (${typeName(a.elem)})`, typeName(b));
        return ok({ k: "list", elem: join(a.elem, b.elem) }, (args[0].size ?? UNKNOWN_SIZE) + (args[1].size ?? UNKNOWN_SIZE));
      }
      if (NUMERIC.has(a.k) && NUMERIC.has(b.k)) {
        const hint = numericHint(c.args[0], a, c.args[1], b);
        return problem(a.k === "double" ? c.args[1] : b.k === "double" ? c.args[0] : e, `operands of ${op} of one numeric type (signals are doubles)`, `${typeName(a)} ${op} ${typeName(b)}`, hint ?? "convert one side with int(), uint() or double()");
      }
      return problem(e, `operands of ${op} that support it (numbers${f === "_+_" ? ", strings, lists" : ""})`, `${typeName(a)} ${op} ${typeName(b)}`);
    }
    if (ORDERING.has(f)) {
      const [a, b] = ts;
      if (isDyn(a) || isDyn(b) || (NUMERIC.has(a.k) && NUMERIC.has(b.k)) || (a.k === b.k && (a.k === "string" || a.k === "bytes" || a.k === "bool"))) return ok(T.bool);
      return problem(a.k === "double" || NUMERIC.has(a.k) ? c.args[1] : e, `operands of ${op} of one comparable type (numbers, strings)`, `${typeName(a)} ${op} ${typeName(b)}`, b.k === "string" && NUMERIC.has(a.k) ? "compare a signal with a number, e.g. web.latencyMsP95 > 250.0" : undefined);
    }
    if (f === "_==_" || f === "_!=_") {
      const [a, b] = ts;
      if (a.k === "null" || b.k === "null" || compatible(a, b) || (NUMERIC.has(a.k) && NUMERIC.has(b.k))) return ok(T.bool);
      return problem(c.args[1], `a value comparable with ${typeName(a)} for ${op}`, typeName(b));
    }
    if (f === "@in") {
      const [a, b] = ts;
      if (isDyn(b)) return ok(T.bool);
      const elem = b.k === "list" ? b.elem : b.k === "map" ? b.key : undefined;
      if (!elem) return problem(c.args[1], "a list or map after in", typeName(b));
      if (!compatible(a, elem) && !(NUMERIC.has(a.k) && NUMERIC.has(elem.k))) return problem(c.args[0], `a ${typeName(elem)} to look for in ${typeName(b)}`, typeName(a));
      return ok(T.bool);
    }
    if (!FUNCTION_SET.has(f)) {
      const guess = closest(f, FUNCTIONS);
      return problem(e, `a function of the environment (${FUNCTIONS.join(", ")})`, `${f}()`, guess ? `did you mean \`${guess}\`?` : "timestamps, durations, protobuf messages and extension functions are not available in scenarios");
    }
    const all = target ? [target.t, ...ts] : ts;
    const sig = `${target ? `${typeName(target.t)}.` : ""}${f}(${ts.map(typeName).join(", ")})`;
    const bad = (expected: string, hint?: string) => problem(e, expected, sig, hint);
    switch (f) {
      case "size":
        if (all.length === 1 && (isDyn(all[0]) || ["string", "bytes", "list", "map"].includes(all[0].k))) return ok(T.int);
        return bad("size of a string, bytes, list or map");
      case "contains":
      case "startsWith":
      case "endsWith":
      case "matches":
        if (all.length === 2 && all.every((t) => isDyn(t) || t.k === "string")) return ok(T.bool);
        return bad(`${f} on strings, e.g. 'abc'.${f}('b')`);
      case "int":
      case "uint":
      case "double":
        if (!target && args.length === 1 && (isDyn(ts[0]) || NUMERIC.has(ts[0].k) || ts[0].k === "string")) return ok(T[f]);
        return bad(`${f}() of a number or string`);
      case "string":
        if (!target && args.length === 1 && (isDyn(ts[0]) || ["string", "bool", "int", "uint", "double", "bytes"].includes(ts[0].k))) return ok(T.string);
        return bad("string() of a scalar");
      case "bool":
        if (!target && args.length === 1 && (isDyn(ts[0]) || ts[0].k === "bool" || ts[0].k === "string")) return ok(T.bool);
        return bad("bool() of a bool or string");
      case "bytes":
        if (!target && args.length === 1 && (isDyn(ts[0]) || ts[0].k === "bytes" || ts[0].k === "string")) return ok(T.bytes);
        return bad("bytes() of a string");
      case "dyn":
        if (!target && args.length === 1) return ok(T.dyn);
        return bad("dyn() of one value");
      case "type":
        if (!target && args.length === 1) return ok(T.type);
        return bad("type() of one value");
      case "max":
      case "min": {
        if (target || args.length < 2 || args.length > MINMAX_ARGS_MAX) return bad(`${f}(a, b) with 2 to ${MINMAX_ARGS_MAX} numbers of one type`);
        const kinds = new Set(ts.filter((t) => !isDyn(t)).map((t) => t.k));
        if ([...kinds].every((k) => k === "double" || k === "int") && kinds.size <= 1) return ok(kinds.has("int") ? T.int : T.double);
        const intArg = c.args.find((a, i) => ts[i].k === "int");
        const literal = intArg && literalText(intArg);
        return bad(`${f}() of numbers of one type (signals are doubles)`, literal !== undefined ? `write ${literal}.0 for a double` : "convert with double(x)");
      }
    }
    return bad("a known function");
  };

  const root = check(expr);
  if (root.t.k === "ref" || root.t.k === "catalogue") value(expr);
  const ordered = [...reads.values()].sort((a, b) => a.start - b.start);
  return { type: root.t, reads: ordered, cost: root.cost, problems };

  /** The hint for int-vs-double arithmetic: a literal `2` should be written `2.0`. */
  function numericHint(ea: Expr, a: ExprType, eb: Expr, b: ExprType): string | undefined {
    for (const [ex, t, other] of [[ea, a, b], [eb, b, a]] as const) {
      if (t.k === "int" && other.k === "double") {
        const lit = literalText(ex);
        if (lit !== undefined) return `CEL has no int-double arithmetic and signals are doubles: write ${lit}.0`;
        return "CEL has no int-double arithmetic and signals are doubles: convert with double(...)";
      }
    }
    return undefined;
  }

  function literalText(ex: Expr): string | undefined {
    const k = ex.exprKind;
    if (k.case === "constExpr" && k.value.constantKind.case === "int64Value") return String(k.value.constantKind.value);
    return undefined;
  }
}

function lacksArgs(p: { expected: string; found: string; hint: string }): [string, string, string] {
  return [p.expected, p.found, p.hint];
}

/** The smallest offset of any node of `e` (where its text starts). */
function leftmostOf(e: Expr, at: (e: Expr) => number): number {
  let min = at(e);
  const visit = (x: Expr | undefined) => {
    if (x) min = Math.min(min, leftmostOf(x, at));
  };
  const k = e.exprKind;
  if (k.case === "callExpr") {
    visit(k.value.target);
    k.value.args.forEach(visit);
  } else if (k.case === "selectExpr") visit(k.value.operand);
  else if (k.case === "listExpr") k.value.elements.forEach(visit);
  return min;
}

/** Most arguments of max() and min(). */
export const MINMAX_ARGS_MAX = 4;

function constType(c: Constant): ExprType {
  switch (c.constantKind.case) {
    case "boolValue":
      return T.bool;
    case "int64Value":
      return T.int;
    case "uint64Value":
      return T.uint;
    case "doubleValue":
      return T.double;
    case "stringValue":
      return T.string;
    case "bytesValue":
      return T.bytes;
    case "nullValue":
      return T.null;
    default:
      return T.dyn;
  }
}

function isDyn(t: ExprType): boolean {
  return t.k === "dyn";
}

/** Whether values of `a` and `b` may meet (same type, up to dyn). */
function compatible(a: ExprType, b: ExprType): boolean {
  if (isDyn(a) || isDyn(b)) return true;
  if (a.k === "list" && b.k === "list") return compatible(a.elem, b.elem);
  if (a.k === "map" && b.k === "map") return compatible(a.key, b.key) && compatible(a.value, b.value);
  if (a.k === "object" || b.k === "object") return (a.k === "object" || a.k === "map") && (b.k === "object" || b.k === "map");
  if (a.k === "null" || b.k === "null") return true;
  return a.k === b.k;
}

/** The common type of `a` and `b`: the type when they agree, dyn otherwise. */
function join(a: ExprType, b: ExprType): ExprType {
  if (isDyn(a)) return b;
  if (isDyn(b)) return a;
  if (a.k === "list" && b.k === "list") return { k: "list", elem: join(a.elem, b.elem) };
  if (a.k === "map" && b.k === "map") return { k: "map", key: join(a.key, b.key), value: join(a.value, b.value) };
  return a.k === b.k ? a : T.dyn;
}

function joinAll(ts: ExprType[]): ExprType {
  if (ts.length === 0) return T.dyn;
  let t = ts[0];
  for (const u of ts.slice(1)) t = join(t, u);
  return t;
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}

function listed(items: readonly string[], max = 12): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")}, ... (${items.length} in all)`;
}

/** Offset just after the `]` closing an index whose key starts at `from` (a string literal); -1 when not found. */
function closingBracket(text: string, from: number): number {
  const quote = text[from];
  let i = from;
  if (quote === "'" || quote === '"') {
    i++;
    while (i < text.length && text[i] !== quote) i += text[i] === "\\" ? 2 : 1;
    i++;
  }
  while (i < text.length && /\s/.test(text[i])) i++;
  return text[i] === "]" ? i + 1 : -1;
}
