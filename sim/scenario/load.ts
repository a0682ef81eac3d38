// Loads a scenario from YAML text: parse with positions (yaml + LineCounter), validate against
// the zod schema, resolve units/defaults/references, and report every problem with
// file:line:col. Isomorphic: takes text, never touches the file system.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { LineCounter, isMap, isPair, isScalar, parseDocument, type Document, type Node } from "yaml";
import { scalarSourceOffset } from "../expr/yaml-offset.js";
import type { z } from "zod";
import { scenarioSchema } from "./schema.js";
import { resolveScenario } from "./resolve.js";
import { ScenarioError, closest, formatPath, type Problem } from "./problems.js";
import type { Scenario } from "./types.js";
import { mergeVariant } from "./variants.js";
import type { Path } from "./resolve-tools.js";
import { resolveExpectations } from "../assert/resolve-expect.js";
import type { Expectation } from "../assert/expectation.js";
import { expandTemplates, usesTemplates, type Expansion } from "./templates.js";
import { badMergeSources, nodeAt, pairOf } from "./yaml-nodes.js";

/** Largest scenario file accepted, in bytes: far above any real scenario, far below harm. */
export const SCENARIO_BYTES_MAX = 1024 * 1024;
const ALIAS_COUNT_MAX = 100;
/** Syntax errors listed before the rest are summed up in one line. */
const YAML_ERRORS_SHOWN = 10;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** One runnable variant of a scenario file: the merged, resolved scenario and its expectations. */
export interface ScenarioVariant {
  /** The variant's name, or `default` for a file without `variants`. */
  name: string;
  scenario: Scenario;
  expectations: Expectation[];
  /** Expectations that can never match (unknown record type, data key): reported, never fatal. */
  warnings?: Problem[];
  /** The file's own description, when the variant replaces it with its own (the story splits its facts from the simulator's choices). */
  fileDescription?: string;
}

/** Everything in one scenario file: each variant ready to run. */
export interface ScenarioSuite {
  file: string;
  name: string;
  /** False when the file declares no `variants` (its one variant is then called `default`). */
  declaresVariants: boolean;
  variants: ScenarioVariant[];
  /** Every variant's warnings, each once, in file order. */
  warnings: Problem[];
}

/** The name of the single variant of a file without `variants`. */
export const DEFAULT_VARIANT = "default";

/** Parses and validates scenario text with all its variants. Throws ScenarioError listing every problem of every variant. */
export function loadSuite(text: string, file = "<scenario>"): ScenarioSuite {
  const { doc, raw: written, at } = parseYaml(text, file);
  // Templates expand before validation and the variant merge (sim/scenario/templates.ts).
  const templated = usesTemplates(written);
  const whole = templated ? expandTemplates(written) : undefined;
  const place = (expansion: Expansion | undefined, p: Unlocated) => placeProblem(doc, at, expansion, p);
  if (whole && whole.problems.length > 0) throw new ScenarioError(file, whole.problems.map((p) => locate(doc, at, p)));
  const raw = whole ? whole.value : written;
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, oncePerTemplate(parsed.error.issues.map((issue) => place(whole, fromZodIssue(issue, (path) => valueAt(raw, path))))));
  const declared = Object.keys(parsed.data.variants ?? {});
  const sourceSha256 = bytesToHex(sha256(utf8ToBytes(text)));
  const names = declared.length > 0 ? declared : [DEFAULT_VARIANT];
  const problems = new Map<string, Problem>();
  const warnings = new Map<string, Problem>();
  const variants: ScenarioVariant[] = [];
  for (const name of names) {
    const own = templated && declared.length > 0 && variantDefinesDefinitions(written, name) ? expandTemplates(written, name) : whole;
    if (own && own !== whole && own.problems.length > 0) {
      for (const p of own.problems) problems.set(`${formatPath(p.path)}:${p.expected}:${p.found}`, locate(doc, at, p));
      continue;
    }
    const rawOfVariant = own ? own.value : raw;
    const merged = declared.length > 0 ? mergeVariant(rawOfVariant, name) : { value: rawOfVariant, sourceOf: (path: Path) => path };
    const located = (p: Unlocated) => place(own, { ...p, path: merged.sourceOf(p.path) });
    const found = (list: Problem[]) => {
      for (const p of oncePerTemplate(list)) problems.set(problemKey(p), p);
    };
    // A misspelt id would otherwise surface as a confusing "kind: expected ..." on a new item.
    const incomplete = declared.length > 0 ? incompleteNewItems(rawOfVariant, name) : [];
    if (incomplete.length > 0) {
      found(incomplete.map((p) => place(own, p)));
      continue;
    }
    const variantParsed = declared.length > 0 ? scenarioSchema.safeParse(merged.value) : parsed;
    if (!variantParsed.success) {
      found(variantParsed.error.issues.map((issue) => located(fromZodIssue(issue, (path) => valueAt(merged.value, path)))));
      continue;
    }
    const resolved = resolveScenario(variantParsed.data);
    if ("problems" in resolved) {
      found(resolved.problems.map(located));
      continue;
    }
    const expect = resolveExpectations(variantParsed.data.expect ?? [], resolved.scenario);
    found(expect.problems.map(located));
    const variantWarnings = expect.warnings.map(located);
    for (const w of variantWarnings) warnings.set(`${w.line}:${w.col}:${formatPath(w.path)}:${w.expected}:${w.found}`, w);
    const expectations = expect.expectations.map(({ path, ...e }) => {
      const { line, col } = place(own, { path: merged.sourceOf(path), expected: "", found: "" });
      return { ...e, line, col } as Expectation;
    });
    const scenario = Object.freeze({ ...resolved.scenario, ...(declared.length > 0 ? { variant: name } : {}), sourceSha256 });
    const fileDescription = parsed.data.description;
    const ownDescription = typeof fileDescription === "string" && fileDescription !== scenario.description ? { fileDescription } : {};
    variants.push({ name, scenario, expectations, ...(variantWarnings.length > 0 ? { warnings: variantWarnings } : {}), ...ownDescription });
  }
  if (problems.size > 0) throw new ScenarioError(file, [...problems.values()]);
  const warned = [...warnings.values()].sort((a, b) => a.line - b.line || a.col - b.col);
  return { file, name: parsed.data.name, declaresVariants: declared.length > 0, variants, warnings: warned };
}

/**
 * Loads one variant (default: the first declared, or the file itself when it has none). An
 * unknown variant name is a ScenarioError pointing at `variants:` with a "did you mean" hint.
 */
export function loadVariant(text: string, file = "<scenario>", variant?: string): ScenarioVariant {
  const suite = loadSuite(text, file);
  if (variant === undefined) return suite.variants[0];
  const found = suite.variants.find((v) => v.name === variant);
  if (found) return found;
  const names = suite.variants.map((v) => v.name);
  const guess = closest(variant, names);
  const { doc, at } = parseYaml(text, file);
  const variantsKey = isMap(doc.contents) ? doc.contents.items.find((it) => isScalar(it.key) && it.key.value === "variants")?.key : undefined;
  const where = at((variantsKey as Node | undefined)?.range?.[0]);
  throw new ScenarioError(file, [
    {
      path: ["variants"],
      expected: suite.declaresVariants ? `a variant of this scenario (${names.join(", ")})` : "no variant: this scenario declares no `variants`",
      found: JSON.stringify(variant),
      hint: guess && suite.declaresVariants ? `did you mean \`${guess}\`?` : suite.declaresVariants ? "variant names are case-sensitive" : "leave out --variant, or add a `variants:` section",
      line: suite.declaresVariants ? where.line : 1,
      col: suite.declaresVariants ? where.col : 1,
    },
  ]);
}

/** Parses and validates one variant of scenario text (see loadVariant). Returns a frozen Scenario. */
export function loadScenario(text: string, file = "<scenario>", variant?: string): Scenario {
  return loadVariant(text, file, variant).scenario;
}

/**
 * The scenario file with its templates expanded and `definitions` dropped: with `variant`, that
 * variant merged into the base (no `variants`, its `expect` appended), which is what the engine
 * runs; without, the whole file with every variant's overrides. Validates the file first.
 * Throws ScenarioError (also when a whole file is asked for whose variant replaces definitions:
 * that variant's base differs, so it has to be expanded on its own).
 */
export function expandedScenario(text: string, file = "<scenario>", variant?: string): Record<string, unknown> {
  if (variant === undefined) loadSuite(text, file);
  else loadVariant(text, file, variant);
  const { doc, raw, at } = parseYaml(text, file);
  const templated = usesTemplates(raw);
  if (variant === undefined) {
    const own = Object.keys((raw.variants as Record<string, unknown> | undefined) ?? {}).filter((name) => variantDefinesDefinitions(raw, name));
    if (own.length > 0) {
      throw new ScenarioError(file, own.map((name) => locate(doc, at, { path: ["variants", name, "definitions"], expected: "a variant to expand on its own", found: `variant \`${name}\` replaces definitions, so its base differs from the other variants'`, hint: `expand it with \`--variant ${name}\`` })));
    }
    return templated ? expandTemplates(raw).value : raw;
  }
  const expanded = templated ? expandTemplates(raw, variant).value : raw;
  if (expanded.variants === undefined) return expanded;
  return mergeVariant(expanded, variant).value;
}

/** YAML text -> document with positions and its plain value, after the checks that protect the parser. */
function parseYaml(text: string, file: string): { doc: Document; raw: Record<string, unknown>; at: (offset: number | undefined) => { line: number; col: number } } {
  const fail = (problems: Problem[]): never => {
    throw new ScenarioError(file, problems);
  };
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so only long texts need encoding to count bytes.
  const bytes = text.length * 3 > SCENARIO_BYTES_MAX ? new TextEncoder().encode(text).length : text.length;
  if (bytes > SCENARIO_BYTES_MAX) {
    fail([{ path: [], expected: `a file of at most ${SCENARIO_BYTES_MAX} bytes`, found: `${bytes} bytes`, hint: "split the scenario or generate it programmatically", line: 1, col: 1 }]);
  }
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) {
    fail([{ path: [], expected: "a scenario with at least name, seed, duration and components", found: "an empty file", hint: "see scenarios/cost-vs-performance.yaml for a complete example", line: 1, col: 1 }]);
  }
  const lineCounter = new LineCounter();
  // resolveKnownTags: false: YAML 1.1 tags such as !!binary or !!set would otherwise build
  // buffers and sets; a scenario is plain data, so only the core schema's tags are allowed.
  // merge: true: YAML merge keys (`<<: *defaults`) copy a mapping's fields into another.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, resolveKnownTags: false, merge: true });
  SOURCES.set(doc, text);
  const at = (offset: number | undefined) => (offset === undefined ? { line: 0, col: 0 } : lineCounter.linePos(offset));
  if (doc.errors.length > 0) {
    // One mistake can derail the parser for the rest of the file: the first few errors say it.
    const shown = doc.errors.slice(0, YAML_ERRORS_SHOWN).map((e) =>
      // The parser recurses per level of nesting and gives up by overflowing its stack; say what
      // that means for the file rather than repeating the engine's message.
      /Maximum call stack/.test(e.message)
        ? { path: [], expected: "valid YAML nested a few levels deep", found: "nesting too deep for the parser (hundreds of levels)", hint: "scenario files need only a few levels; look for a run of unclosed `[` or `{`, or runaway indentation", ...at(e.pos[0]) }
        : { path: [], expected: "valid YAML", found: e.message.split("\n")[0], hint: yamlHint(e.code, e.message), ...at(e.pos[0]) },
    );
    const rest = doc.errors.length - shown.length;
    const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
    const runFile = firstLine.startsWith("{") && firstLine.includes('"crossfire-run/');
    if (runFile) fail([{ path: [], expected: "a scenario (YAML)", found: "a run file (crossfire-run NDJSON)", hint: "run files are read by `crossfire verify`, `compare`, `explain` and `export`", line: 1, col: 1 }]);
    if (rest > 0) shown.push({ path: [], expected: "valid YAML", found: `${rest} more syntax errors after these`, hint: "fix the first error; the rest often follow from it", ...at(doc.errors[YAML_ERRORS_SHOWN].pos[0]) });
    fail(shown);
  }
  const tagged = findUnknownTags(doc);
  if (tagged.length > 0) {
    // Point at the tag itself: the library's warning about it starts there, just before the node.
    const tagStarts = doc.warnings.filter((w) => w.code === "TAG_RESOLVE_FAILED").map((w) => w.pos[0]);
    const tagAt = (offset: number | undefined) => {
      if (offset === undefined) return undefined;
      const before = tagStarts.filter((p) => p <= offset);
      return before.length > 0 ? Math.max(...before) : offset;
    };
    fail(tagged.map((t) => ({ path: t.path, expected: `a plain value (the only tags allowed are ${CORE_TAGS_SHOWN})`, found: `the tag ${t.tag}`, hint: "remove the tag: a scenario is plain data (quote a value that starts with `!`)", ...at(tagAt(t.offset)) })));
  }
  const forbidden = findForbiddenKeys(doc);
  if (forbidden.length > 0) {
    fail(forbidden.map((f) => ({ path: f.path, expected: "an ordinary key", found: JSON.stringify(f.key), hint: "keys such as __proto__ are refused because they can alter objects", ...at(f.offset) })));
  }
  const badMerges = badMergeSources(doc);
  if (badMerges.length > 0) {
    fail(badMerges.map((m) => ({ path: m.path, expected: "a mapping to merge (`<<: *anchor` of a mapping, or a list of them)", found: m.found, hint: "a merge key `<<` copies the fields of a mapping; to reuse a list or a value, write the alias itself as the value (`sites: *sites`)", ...at(m.offset) })));
  }
  keepBigIntegerSeeds(doc);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: ALIAS_COUNT_MAX });
  } catch (e) {
    fail([{ path: [], expected: `YAML with at most ${ALIAS_COUNT_MAX} alias expansions`, found: (e as Error).message, hint: "anchors and aliases that expand exponentially (a 'billion laughs') are refused", line: 1, col: 1 }]);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    fail([{ path: [], expected: "a mapping with name, seed, duration and components", found: Array.isArray(raw) ? "a list" : JSON.stringify(raw), line: 1, col: 1 }]);
  }
  return { doc, raw: raw as Record<string, unknown>, at };
}

/**
 * Items a variant adds to an id-list that lack their kind: almost always a misspelt id of an
 * item the author meant to change, so say which ids exist.
 */
function incompleteNewItems(raw: Record<string, unknown>, variant: string): Unlocated[] {
  const problems: Unlocated[] = [];
  const overrides = (raw.variants as Record<string, Record<string, unknown>>)[variant] ?? {};
  for (const [list, required] of [["components", "kind"], ["agents", "kind"], ["faults", "effect"], ["workload", "target"]] as const) {
    const items = overrides[list];
    if (!Array.isArray(items)) continue;
    const baseIds = (Array.isArray(raw[list]) ? (raw[list] as { id?: unknown }[]) : []).map((b) => String(b.id));
    items.forEach((item: Record<string, unknown>, j) => {
      if (baseIds.includes(String(item.id)) || item[required] !== undefined || item.remove === true) return;
      const guess = closest(String(item.id), baseIds);
      problems.push({ path: ["variants", variant, list, j, "id"], expected: `the id of an item in \`${list}\` to change (${baseIds.join(", ")}), or a complete new item with \`${required}\``, found: JSON.stringify(item.id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
    });
    items.forEach((item: Record<string, unknown>, j) => {
      if (item.remove === true && !baseIds.includes(String(item.id))) {
        const guess = closest(String(item.id), baseIds);
        problems.push({ path: ["variants", variant, list, j, "id"], expected: `the id of an item in \`${list}\` to remove (${baseIds.join(", ")})`, found: JSON.stringify(item.id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
      }
    });
  }
  return problems;
}

type Unlocated = Omit<Problem, "line" | "col">;

/** Faults used to be written `{ kind: agentCrash, agent, at, restartAfter }`; say how to rewrite one. */
const OLD_FAULT_FORM_HINT = "faults are written `{ id, start, duration, target, effect }`, e.g. `{ id: crash, start: 5m, duration: 2m, target: enactor, effect: agentCrash }` (`kind`, `agent`, `at` and `restartAfter` are the old form)";

function fromZodIssue(issue: z.core.$ZodIssue, valueAt: (path: (string | number)[]) => unknown): Unlocated {
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const found = describe(valueAt(path));
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0];
      const guess = closest(key, KNOWN_KEYS);
      // A key valid elsewhere (`within` inside `after:`) is its own closest match: say it does not belong here.
      const hint = guess === key ? `\`${key}\` is not a field here; see docs/scenario-format.md for where it goes` : guess ? `did you mean \`${guess}\`?` : "see docs/scenario-format.md for the fields";
      return { path: [...path, key], expected: "a known key", found: `unknown key \`${key}\``, hint };
    }
    case "custom": {
      const params = (issue.params ?? {}) as { expected?: string; found?: string; hint?: string };
      return { path, expected: params.expected ?? issue.message, found: params.found ?? found, hint: params.hint };
    }
    case "invalid_type":
      return { path, expected: friendlyType(issue.expected), found: valueAt(path) === undefined ? "nothing (this field is required)" : found };
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (options) {
        const value = valueAt(path);
        const oldFaultForm = path[0] === "faults" && path[path.length - 1] === "effect" && value === undefined && (valueAt(path.slice(0, -1)) as { kind?: unknown } | undefined)?.kind !== undefined;
        const guess = typeof value === "string" ? hint(value, options.map(String)) : oldFaultForm ? OLD_FAULT_FORM_HINT : undefined;
        return { path, expected: `one of ${options.map((o) => JSON.stringify(o)).join(", ")}`, found, hint: guess };
      }
      const expected = [...new Set(issue.errors.flatMap((branch) => branch.filter((e) => e.path.length === 0 && e.code === "invalid_type").map((e) => friendlyType((e as { expected: string }).expected))))];
      return { path, expected: expected.length ? expected.join(" or ") : issue.message, found };
    }
    case "invalid_value":
      return { path, expected: `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`, found, hint: typeof valueAt(path) === "string" ? hint(valueAt(path) as string, issue.values.map(String)) : undefined };
    default:
      return { path, expected: issue.message.replace(/^(Invalid input|Too small|Too big|Invalid string): expected /, "").replace(/^Too small: /, "").replace(/^number to be ([<>]=?)\s*/, "a number $1 "), found };
  }
}

function friendlyType(type: string): string {
  const names: Record<string, string> = { number: "a number", int: "a whole number", string: "a string", array: "a list", object: "a mapping", boolean: "true or false" };
  return names[type] ?? type;
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function hint(word: string, options: string[]): string | undefined {
  const c = closest(word, options);
  return c ? `did you mean \`${c}\`?` : undefined;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "a list";
  if (value && typeof value === "object") return "a mapping";
  return String(value);
}

/** The source text of each parsed document, for problems located inside a scalar (`offset`). */
const SOURCES = new WeakMap<Document, string>();

/**
 * Attaches the line and column of the YAML node at the problem's path (or its nearest parent),
 * following aliases and merge keys to the text that wrote the value.
 */
function locate(doc: Document, at: (offset: number | undefined) => { line: number; col: number }, p: Unlocated): Problem {
  if (p.offset !== undefined) {
    const node = nodeAt(doc, p.path);
    const source = SOURCES.get(doc);
    if (isScalar(node) && node.range && source !== undefined) return { ...p, ...at(scalarSourceOffset(source, node, p.offset)) };
  }
  for (let n = p.path.length; n >= 0; n--) {
    const prefix = p.path.slice(0, n);
    if (n > 0 && n < p.path.length + 1) {
      const parent = nodeAt(doc, prefix.slice(0, -1));
      if (isMap(parent)) {
        const pair = pairOf(doc, parent, prefix[n - 1]);
        if (pair) {
          const node = (n === p.path.length && p.found.startsWith("unknown key") ? pair.key : pair.value ?? pair.key) as Node | null;
          if (node?.range) return { ...p, ...at(node.range[0]) };
        }
      }
    }
    const node = (n === 0 ? doc.contents : nodeAt(doc, prefix)) as Node | undefined;
    if (node && typeof node === "object" && "range" in node && node.range) return { ...p, ...at(node.range[0]) };
  }
  return { ...p, line: 1, col: 1 };
}

/**
 * Locates a problem at a path of the expanded scenario: at the file text that wrote the value and,
 * inside an item a template generated, naming that item (its id, the template's line, the loop
 * variables). Without templates this is `locate`.
 */
function placeProblem(doc: Document, at: (offset: number | undefined) => { line: number; col: number }, expansion: Expansion | undefined, p: Unlocated): Problem {
  if (!expansion) return locate(doc, at, p);
  const source = expansion.sourceOf(p.path);
  const located = locate(doc, at, { ...p, path: source.path });
  const instance = source.instance;
  if (!instance) return located;
  const generated = valueAt(expansion.value, instance.generated) as { id?: unknown } | undefined;
  const id = generated && typeof generated === "object" && typeof generated.id === "string" ? `${generated.id}, ` : "";
  const templateLine = locate(doc, at, { path: instance.template, expected: "", found: "" }).line;
  return { ...located, path: p.path, generated: { prefix: instance.generated.length, note: `${id}from forEach at line ${templateLine} with ${instance.bindings}` } };
}

/** The key two reports of one mistake share: the same mistake in every item a template generated is one key. Pure. */
function problemKey(p: Problem): string {
  return `${p.line}:${p.col}:${formatPath(p.generated ? p.path.slice(p.generated.prefix) : p.path)}:${p.expected}:${p.found}`;
}

/** `list` without repeats of one mistake (see problemKey), keeping the first report of each. Pure. */
function oncePerTemplate(list: Problem[]): Problem[] {
  const seen = new Set<string>();
  return list.filter((p) => !seen.has(problemKey(p)) && seen.add(problemKey(p)) !== undefined);
}

/** True when variant `name` of the parsed file has its own `definitions`. Pure. */
function variantDefinesDefinitions(raw: Record<string, unknown>, name: string): boolean {
  const section = (raw.variants as Record<string, unknown> | undefined)?.[name];
  return section !== null && typeof section === "object" && (section as Record<string, unknown>).definitions !== undefined;
}

/**
 * Makes the scenario's and each variant's integer `seed:` beyond Number.MAX_SAFE_INTEGER the
 * string of its digits: YAML reads it as a number, which rounds it (99999999999999999999 and
 * 100000000000000000000 would be one seed), and a seed is only used as text anyway. Safe integers
 * stay numbers, so ordinary seeds keep their hashes. Mutates `doc`'s scalar nodes.
 */
function keepBigIntegerSeeds(doc: Document): void {
  const seedOf = (map: unknown) => {
    if (!isMap(map)) return;
    const node = map.get("seed", true);
    if (!isScalar(node) || typeof node.value !== "number" || Number.isSafeInteger(node.value) || !Number.isInteger(node.value)) return;
    const digits = typeof node.source === "string" ? node.source : "";
    // Decimal literals only: a hexadecimal or exponent form is left to the schema, which refuses it.
    if (/^[-+]?\d+$/.test(digits)) node.value = BigInt(digits).toString();
  };
  seedOf(doc.contents);
  const variants = isMap(doc.contents) ? doc.contents.get("variants", true) : undefined;
  if (isMap(variants)) for (const pair of variants.items) seedOf(pair.value);
}

const CORE_TAG_PREFIX = "tag:yaml.org,2002:";
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `${CORE_TAG_PREFIX}${t}`));
const CORE_TAGS_SHOWN = [...CORE_TAGS].map((t) => `!!${t.slice(CORE_TAG_PREFIX.length)}`).join(", ");

/**
 * Keys and values carrying a tag outside the YAML core schema (`!evil`, `!!binary`): the yaml
 * library only warns about them and reads the untagged value, so a file could mean something
 * other than what it says. Returns each with its YAML path and offset. Pure.
 */
function findUnknownTags(doc: Document): { tag: string; path: (string | number)[]; offset?: number }[] {
  const found: { tag: string; path: (string | number)[]; offset?: number }[] = [];
  const check = (node: unknown, path: (string | number)[]) => {
    const tag = (node as Node | null)?.tag;
    if (typeof tag === "string" && !CORE_TAGS.has(tag)) {
      found.push({ tag: tag.startsWith(CORE_TAG_PREFIX) ? `!!${tag.slice(CORE_TAG_PREFIX.length)}` : tag, path, offset: (node as Node).range?.[0] });
    }
  };
  const walk = (node: unknown, path: (string | number)[]) => {
    check(node, path);
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        const at = key === undefined ? path : [...path, key];
        check(item.key, at);
        walk(item.value, at);
      }
    } else if (node && typeof node === "object" && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
      (node as { items: unknown[] }).items.forEach((it, i) => walk(it, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return found;
}

function findForbiddenKeys(doc: Document): { key: string; path: (string | number)[]; offset?: number }[] {
  const found: { key: string; path: (string | number)[]; offset?: number }[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = isScalar(item.key) ? String(item.key.value) : undefined;
        if (key !== undefined && FORBIDDEN_KEYS.has(key)) found.push({ key, path: [...path, key], offset: (item.key as Node).range?.[0] });
        walk(item.value, key === undefined ? path : [...path, key]);
      }
    } else if (node && typeof node === "object" && "items" in node && Array.isArray((node as { items: unknown[] }).items)) {
      (node as { items: unknown[] }).items.forEach((it, i) => walk(it, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return found;
}

function yamlHint(code: string, message: string): string | undefined {
  if (/end with a [\]}]/.test(message)) return `an earlier \`${message.includes("]") ? "[" : "{"}\` may be missing its closing \`${message.includes("]") ? "]" : "}"}\` (the parser notices only here)`;
  switch (code) {
    case "DUPLICATE_KEY":
      return "each key may appear once per mapping";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "check the indentation: nested fields need more spaces than their parent";
    case "TAB_AS_INDENT":
      return "YAML indentation must use spaces, not tabs";
    default:
      return undefined;
  }
}

/** Every key the schema knows, for "did you mean" hints on unknown keys. */
const KNOWN_KEYS: string[] = collectKeys(scenarioSchema);

function collectKeys(schema: unknown, into = new Set<string>(), seen = new Set<unknown>()): string[] {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [...into];
  seen.add(schema);
  const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
  if (def) {
    const shape = def.shape as Record<string, unknown> | undefined;
    if (shape) for (const [k, v] of Object.entries(shape)) {
      into.add(k);
      collectKeys(v, into, seen);
    }
    for (const key of ["options", "element", "innerType", "valueType", "in", "out", "left", "right"]) {
      const v = def[key];
      if (Array.isArray(v)) v.forEach((o) => collectKeys(o, into, seen));
      else if (v) collectKeys(v, into, seen);
    }
  }
  return [...into];
}
