// Templates in a scenario file: `definitions` (named values shared by all variants) and
// `forEach` list items that expand in place, with `${...}` substitution in their `each`. Runs on
// the parsed YAML before validation and the variant merge, and remembers where every generated
// value came from, so a problem in a generated item is reported at the template line that wrote
// it and names the instance. Bounded by the budgets below. Pure.
import { closest } from "./problems.js";
import type { Path, Unlocated } from "./resolve-tools.js";
import { TemplateExprError, describeValue, evaluate, substitute, type TemplateScope } from "./template-expr.js";

/** Most items all the `forEach` templates of one expansion may generate together. */
export const TEMPLATE_ITEMS_MAX = 10_000;
/** Most numbers one `range` may give. */
export const TEMPLATE_RANGE_MAX = 10_000;
/** Deepest nesting of `forEach` inside the `each` of another `forEach`. */
export const TEMPLATE_DEPTH_MAX = 4;
/** Most values (scalars, lists and mappings) the expanded scenario may hold that templates wrote. */
export const TEMPLATE_VALUES_MAX = 250_000;

/** Where a value of the expanded scenario came from in the file. */
export interface TemplateSource {
  /** Its path in the file (inside the template's `each` for a generated value). */
  path: Path;
  /** Set when the value is (inside) an item a `forEach` generated. */
  instance?: TemplateInstance;
}

/** One item a `forEach` generated (for nested templates, the outermost one). */
export interface TemplateInstance {
  /** Its path in the expanded scenario, e.g. `["components", 4]`. */
  generated: Path;
  /** The path of the `forEach` item in the file. */
  template: Path;
  /** The loop variables it was generated with, e.g. `index=4, item="eu"`. */
  bindings: string;
}

/** A scenario with its templates expanded, and the map back to the file. */
export interface Expansion {
  value: Record<string, unknown>;
  /** Where the value at `path` of `value` came from in the file. */
  sourceOf(path: Path): TemplateSource;
  /** Problems with the templates themselves, at their paths in the file. */
  problems: Unlocated[];
}

type Json = Record<string, unknown>;
const TEMPLATE_KEYS = ["forEach", "as", "index", "each"];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function isPlainObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** True when `v` is a list item that is a template: a mapping with a `forEach` key. Pure. */
export function isTemplate(v: unknown): v is Json {
  return isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, "forEach");
}

/** True when the parsed file uses `definitions` or a `forEach` anywhere: only then is it expanded. Pure. */
export function usesTemplates(raw: Json): boolean {
  return raw.definitions !== undefined || hasTemplate(raw, new WeakSet()) || (isPlainObject(raw.variants) && Object.values(raw.variants).some((v) => isPlainObject(v) && v.definitions !== undefined));
}

function hasTemplate(v: unknown, seen: WeakSet<object>): boolean {
  if (v === null || typeof v !== "object" || seen.has(v)) return false;
  seen.add(v);
  if (Array.isArray(v)) return v.some((item) => isTemplate(item) || hasTemplate(item, seen));
  return Object.values(v).some((x) => hasTemplate(x, seen));
}

class BudgetExceeded extends Error {}

interface Context {
  /** Loop variables in scope, innermost last; null outside any template (no substitution there). */
  vars: Map<string, unknown> | null;
  defs: Json;
  depth: number;
  instance?: TemplateInstance;
  bindings: string;
  /** The path being written in the expanded scenario. */
  out: Path;
}

/**
 * Expands the templates of a parsed scenario file for one variant (or for the file as a whole
 * when `variant` is undefined): `definitions` entries are the top-level ones, replaced entry by
 * entry by the variant's own `variants.<v>.definitions`; each variant's section is expanded with
 * its own definitions. `definitions` are dropped from the result. Pure.
 */
export function expandTemplates(raw: Json, variant?: string): Expansion {
  const problems: Unlocated[] = [];
  const seenProblems = new Set<string>();
  const problem = (p: Unlocated) => {
    const key = `${p.path.join("\u0000")}|${p.expected}|${p.found}`;
    if (seenProblems.has(key)) return;
    seenProblems.add(key);
    problems.push(p);
  };
  const keySources = new WeakMap<object, Map<string | number, TemplateSource>>();
  let items = 0;
  let values = 0;
  const copies = new WeakMap<object, number>();

  const definitionsAt = (value: unknown, path: Path): Json => {
    if (value === undefined) return {};
    if (!isPlainObject(value)) {
      problem({ path, expected: "a mapping of named values (`definitions: { sites: [a, b], ... }`)", found: describeValue(value) });
      return {};
    }
    for (const name of Object.keys(value)) {
      if (!IDENTIFIER.test(name)) problem({ path: [...path, name], expected: "a definitions name of letters, digits and _ (it is used in `${...}`, where `-` subtracts)", found: JSON.stringify(name), hint: `e.g. \`${name.replace(/[^A-Za-z0-9_]/g, "_")}\`` });
    }
    return value;
  };
  const baseDefs = definitionsAt(raw.definitions, ["definitions"]);
  const variants = isPlainObject(raw.variants) ? raw.variants : {};
  const defsOf = (name: string | undefined): Json => {
    const section = name === undefined ? undefined : variants[name];
    if (!isPlainObject(section) || section.definitions === undefined) return baseDefs;
    return { ...baseDefs, ...definitionsAt(section.definitions, ["variants", name as string, "definitions"]) };
  };

  const count = (n: number, path: Path) => {
    values += n;
    if (values > TEMPLATE_VALUES_MAX) {
      problem({ path, expected: `templates that write at most ${TEMPLATE_VALUES_MAX} values in all (TEMPLATE_VALUES_MAX)`, found: "more", hint: "a small file may not generate a huge one: generate fewer or smaller items" });
      throw new BudgetExceeded();
    }
  };
  const sizeOf = (v: unknown): number => {
    if (v === null || typeof v !== "object") return 1;
    const known = copies.get(v);
    if (known !== undefined) return known;
    let n = 1;
    for (const x of Array.isArray(v) ? v : Object.values(v)) n += sizeOf(x);
    copies.set(v, n);
    return n;
  };
  const scopeOf = (ctx: Context): TemplateScope => ({
    get: (name) => (ctx.vars?.has(name) ? ctx.vars.get(name) : ctx.defs[name]),
    has: (name) => ctx.vars?.has(name) === true || Object.prototype.hasOwnProperty.call(ctx.defs, name),
    names: () => [...new Set([...(ctx.vars?.keys() ?? []), ...Object.keys(ctx.defs)])],
  });
  const substituted = (text: string, path: Path, ctx: Context): unknown => {
    try {
      const v = substitute(text, scopeOf(ctx));
      count(sizeOf(v), path);
      return v;
    } catch (e) {
      if (!(e instanceof TemplateExprError)) throw e;
      problem({ path, expected: e.expected, found: e.found, hint: e.hint });
      return text;
    }
  };

  const expandValue = (v: unknown, path: Path, ctx: Context): unknown => {
    if (ctx.vars === null && !hasTemplate(v, new WeakSet()) && !isTemplate(v)) return v;
    if (Array.isArray(v)) return expandList(v, path, ctx);
    if (isPlainObject(v)) {
      count(1, path);
      const out: Json = {};
      const sources = new Map<string | number, TemplateSource>();
      for (const [k, x] of Object.entries(v)) {
        let key = k;
        if (ctx.vars !== null && k.includes("${")) {
          const s = substituted(k, [...path, k], ctx);
          if (typeof s !== "string" && typeof s !== "number") {
            problem({ path: [...path, k], expected: "a key that is text or a number", found: describeValue(s) });
            continue;
          }
          key = String(s);
          if (FORBIDDEN_KEYS.has(key)) {
            problem({ path: [...path, k], expected: "an ordinary key", found: JSON.stringify(key), hint: "keys such as __proto__ are refused because they can alter objects" });
            continue;
          }
        }
        out[key] = expandValue(x, [...path, k], { ...ctx, out: [...ctx.out, key] });
        sources.set(key, { path: [...path, k], instance: ctx.instance });
      }
      keySources.set(out, sources);
      return out;
    }
    if (typeof v === "string" && ctx.vars !== null && v.includes("${")) return substituted(v, path, ctx);
    count(1, path);
    return v;
  };

  const expandList = (list: unknown[], path: Path, ctx: Context): unknown[] => {
    count(1, path);
    const out: unknown[] = [];
    const sources = new Map<string | number, TemplateSource>();
    list.forEach((item, i) => {
      if (isTemplate(item)) {
        expandTemplate(item, [...path, i], ctx, out, sources);
        return;
      }
      const at = out.length;
      out.push(expandValue(item, [...path, i], { ...ctx, out: [...ctx.out, at] }));
      sources.set(at, { path: [...path, i], instance: ctx.instance });
    });
    keySources.set(out, sources);
    return out;
  };

  const expandTemplate = (t: Json, path: Path, ctx: Context, out: unknown[], sources: Map<string | number, TemplateSource>) => {
    for (const key of Object.keys(t)) {
      if (TEMPLATE_KEYS.includes(key)) continue;
      const guess = closest(key, TEMPLATE_KEYS);
      problem({ path: [...path, key], expected: "a template key (forEach, as, index, each)", found: `unknown key \`${key}\``, hint: guess ? `did you mean \`${guess}\`?` : "a forEach item is `{ forEach: <list>, as: item, index: index, each: <item or items> }`; the generated item's fields go under `each`" });
    }
    if (ctx.depth + 1 > TEMPLATE_DEPTH_MAX) {
      problem({ path: [...path, "forEach"], expected: `forEach nested at most ${TEMPLATE_DEPTH_MAX} deep (TEMPLATE_DEPTH_MAX)`, found: `a forEach at depth ${ctx.depth + 1}`, hint: "flatten the loops: iterate over a `range` and compute with `/` and `%`" });
      return;
    }
    if (t.each === undefined) {
      problem({ path: [...path, "each"], expected: "`each`: the item (or list of items) to generate for every value", found: "nothing (this field is required)", hint: "e.g. `{ forEach: sites, as: site, each: { id: \"${site}-web\", kind: service } }`" });
      return;
    }
    const names: Record<"as" | "index", string> = { as: "item", index: "index" };
    for (const key of ["as", "index"] as const) {
      const name = t[key];
      if (name === undefined) continue;
      if (typeof name !== "string" || !IDENTIFIER.test(name)) {
        problem({ path: [...path, key], expected: "a variable name of letters, digits and _", found: describeValue(name) });
        return;
      }
      names[key] = name;
    }
    if (names.as === names.index) {
      problem({ path: [...path, "index"], expected: `an index variable named differently from \`as\` (${names.as})`, found: JSON.stringify(names.index) });
      return;
    }
    const values = listOf(t.forEach, [...path, "forEach"], ctx);
    if (values === undefined) return;
    const bodies: { body: unknown; path: Path }[] = Array.isArray(t.each) ? t.each.map((body, k) => ({ body, path: [...path, "each", k] })) : [{ body: t.each, path: [...path, "each"] }];
    values.forEach((value, n) => {
      // Every iteration counts, so loops that generate nothing (`each: []`) stay bounded too.
      count(1, [...path, "forEach"]);
      const vars = new Map(ctx.vars ?? []);
      vars.set(names.as, value);
      vars.set(names.index, n);
      const mine = `${names.index}=${n}, ${names.as}=${shortValue(value)}`;
      const bindings = ctx.bindings ? `${ctx.bindings}, ${mine}` : mine;
      const inner: Context = { ...ctx, vars, depth: ctx.depth + 1, bindings };
      for (const { body, path: bodyPath } of bodies) {
        if (isTemplate(body)) {
          expandTemplate(body, bodyPath, inner, out, sources);
          continue;
        }
        items += 1;
        if (items > TEMPLATE_ITEMS_MAX) {
          problem({ path: [...path, "forEach"], expected: `templates that generate at most ${TEMPLATE_ITEMS_MAX} items in all (TEMPLATE_ITEMS_MAX)`, found: "more", hint: "a small file may not generate a huge one: iterate over fewer values" });
          throw new BudgetExceeded();
        }
        const at = out.length;
        const generated = [...ctx.out, at];
        const instance = ctx.instance ?? { generated, template: path, bindings };
        out.push(expandValue(body, bodyPath, { ...inner, instance, out: generated }));
        sources.set(at, { path: bodyPath, instance });
      }
    });
  };

  /** The values a `forEach` iterates over, or undefined after reporting why there are none. */
  const listOf = (spec: unknown, path: Path, ctx: Context): unknown[] | undefined => {
    const scoped: Context = { ...ctx, vars: ctx.vars ?? new Map() };
    if (Array.isArray(spec)) return expandList(spec, path, scoped);
    if (typeof spec === "string") {
      const text = /^\$\{[^{}]*\}$/.test(spec.trim()) ? spec.trim().slice(2, -1) : spec;
      let value: unknown;
      try {
        value = evaluate(text, scopeOf(scoped));
      } catch (e) {
        if (!(e instanceof TemplateExprError)) throw e;
        problem({ path, expected: `a list: a list literal, the name of a \`definitions\` list, or \`{ range: N }\`; ${e.expected}`, found: e.found, hint: e.hint });
        return undefined;
      }
      if (!Array.isArray(value)) {
        problem({ path, expected: "a list to iterate over", found: `${spec} is ${describeValue(value)}`, hint: isPlainObject(value) ? "iterate over a list; a mapping's entries are not iterated" : "use `{ range: N }` to count" });
        return undefined;
      }
      return value;
    }
    if (isPlainObject(spec) && spec.range !== undefined && Object.keys(spec).length === 1) {
      const bound = (v: unknown, at: Path): number | undefined => {
        const n = typeof v === "string" && ctx.vars !== null ? substituted(v, at, ctx) : v;
        if (typeof n === "number" && Number.isSafeInteger(n)) return n;
        problem({ path: at, expected: "a whole number", found: describeValue(n) });
        return undefined;
      };
      let from = 0;
      let to: number;
      if (Array.isArray(spec.range) && spec.range.length === 2) {
        const a = bound(spec.range[0], [...path, "range", 0]);
        const b = bound(spec.range[1], [...path, "range", 1]);
        if (a === undefined || b === undefined) return undefined;
        from = a;
        to = b;
      } else if (!Array.isArray(spec.range)) {
        const n = bound(spec.range, [...path, "range"]);
        if (n === undefined) return undefined;
        if (n < 0) {
          problem({ path: [...path, "range"], expected: "a count of 0 or more", found: String(n) });
          return undefined;
        }
        to = n - 1;
      } else {
        problem({ path: [...path, "range"], expected: "`N` (0 to N-1) or `[from, to]` (both included)", found: describeValue(spec.range) });
        return undefined;
      }
      const size = to - from + 1;
      if (size > TEMPLATE_RANGE_MAX) {
        problem({ path: [...path, "range"], expected: `a range of at most ${TEMPLATE_RANGE_MAX} numbers (TEMPLATE_RANGE_MAX)`, found: `${size} numbers`, hint: "a small file may not generate a huge one" });
        return undefined;
      }
      count(Math.max(0, size), [...path, "range"]);
      return Array.from({ length: Math.max(0, size) }, (_, k) => from + k);
    }
    problem({ path, expected: "a list to iterate over: a list literal, the name of a `definitions` list, or `{ range: N }` / `{ range: [from, to] }`", found: describeValue(spec), hint: typeof spec === "number" ? `to count, write \`{ range: ${spec} }\`` : undefined });
    return undefined;
  };

  const result: Json = {};
  const sources = new Map<string | number, TemplateSource>();
  const root = (defs: Json, out: Path): Context => ({ vars: null, defs, depth: 0, bindings: "", out });
  try {
    for (const [k, v] of Object.entries(raw)) {
      if (k === "definitions") continue;
      if (k === "variants" && isPlainObject(v)) {
        const outVariants: Json = {};
        const variantSources = new Map<string | number, TemplateSource>();
        for (const [name, section] of Object.entries(v)) {
          variantSources.set(name, { path: ["variants", name] });
          if (!isPlainObject(section)) {
            outVariants[name] = section;
            continue;
          }
          const outSection: Json = {};
          const sectionSources = new Map<string | number, TemplateSource>();
          const defs = variant === undefined || variant === name ? defsOf(name) : baseDefs;
          for (const [sk, sv] of Object.entries(section)) {
            if (sk === "definitions") continue;
            outSection[sk] = expandValue(sv, ["variants", name, sk], root(defs, ["variants", name, sk]));
            sectionSources.set(sk, { path: ["variants", name, sk] });
          }
          keySources.set(outSection, sectionSources);
          outVariants[name] = outSection;
        }
        keySources.set(outVariants, variantSources);
        result[k] = outVariants;
      } else {
        result[k] = expandValue(v, [k], root(defsOf(variant), [k]));
      }
      sources.set(k, { path: [k] });
    }
  } catch (e) {
    if (!(e instanceof BudgetExceeded)) throw e;
  }
  keySources.set(result, sources);

  return {
    value: result,
    problems,
    sourceOf(path: Path): TemplateSource {
      let source: TemplateSource = { path: [] };
      let node: unknown = result;
      for (const segment of path) {
        const known = node !== null && typeof node === "object" ? keySources.get(node)?.get(segment) : undefined;
        source = known ?? { path: [...source.path, segment], instance: source.instance };
        node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[segment] : undefined;
      }
      return source;
    },
  };
}

function shortValue(v: unknown): string {
  if (isPlainObject(v) && (typeof v.id === "string" || typeof v.name === "string")) return `{${typeof v.id === "string" ? "id" : "name"}: ${String(v.id ?? v.name)}, ...}`;
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}
