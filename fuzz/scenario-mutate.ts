// Generates one mutated scenario text from a case seed: a library scenario with one to three
// edits — numbers and durations replaced by edge values, keys deleted, duplicated or added,
// ids renamed, strings replaced by long, unicode or markup text, sections dropped, values
// nested, YAML tags added, list items cloned, lines cut. Deterministic for a seed.
import fc from "fast-check";
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from "yaml";

/** A library scenario the mutations start from. */
export interface CorpusFile {
  name: string;
  text: string;
}

/** A generated case: the file it came from, the edits made (one line each) and the resulting text. */
export interface MutatedScenario {
  base: string;
  edits: string[];
  text: string;
}

/** Values a number, duration or rate is replaced with: bounds, non-finite spellings, tiny and huge. */
export const EDGE_VALUES: readonly unknown[] = [
  0, -1, 1, 0.5, 2, 1e308, -1e308, 1e-308, 2e9, 9007199254740993, 1e21, NaN, Infinity, -Infinity,
  "NaN", "Infinity", "-0", "", " ", null, true, "0", "1e308",
  "0ms", "1ms", "0s", "-1s", "1.5ms", "0.001ms", "2ms", "10ms", "100000000d", "365d", "9999999999999999999h", "106751991167d", "1h0ms",
  "0/s", "1/h", "1e308/s", "2000000000/s", "1000000000/ms", `${"9".repeat(320)}/ms`, "0.0000001/s", "NaN/s",
];

/** Strings a string value is replaced with: long, unicode, markup, YAML-looking. */
export const EDGE_STRINGS: readonly string[] = [
  "x".repeat(10_000), "ü💥\u202e\u0000名前", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'&<>", "a".repeat(65),
  "__proto__", "constructor", "toString", "${{ env }}", "--help", "../../etc/passwd", "web.replicas", "*", "",
];

/** YAML tags put on a node. */
const TAGS = ["!evil", "!!binary", "!!str", "!!int", "!!float", "!!map", "!!seq", "!!timestamp", "!!null", "!"];

type Edit =
  | { op: "edgeValue"; pick: number; value: number }
  | { op: "edgeString"; pick: number; value: number }
  | { op: "deleteKey"; pick: number }
  | { op: "addKey"; pick: number; key: number; value: number }
  | { op: "renameId"; pick: number; to: number }
  | { op: "dropSection"; section: number }
  | { op: "nest"; pick: number; depth: number; asList: boolean }
  | { op: "tag"; pick: number; tag: number }
  | { op: "cloneItem"; pick: number; times: number }
  | { op: "swapValues"; a: number; b: number }
  | { op: "duplicateLine"; pick: number }
  | { op: "deleteLine"; pick: number }
  | { op: "truncate"; at: number };

const SECTIONS = ["components", "workload", "agents", "faults", "coordination", "expect", "variants", "step", "duration", "sampleEvery", "seed", "detectors", "name"];

const pick = fc.nat({ max: 1_000_000 });
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ op: fc.constant("edgeValue" as const), pick, value: fc.nat({ max: EDGE_VALUES.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("edgeString" as const), pick, value: fc.nat({ max: EDGE_STRINGS.length - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant("deleteKey" as const), pick }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("addKey" as const), pick, key: pick, value: fc.nat({ max: EDGE_VALUES.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("renameId" as const), pick, to: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dropSection" as const), section: fc.nat({ max: SECTIONS.length - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("nest" as const), pick, depth: fc.integer({ min: 1, max: 40 }), asList: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("tag" as const), pick, tag: fc.nat({ max: TAGS.length - 1 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("cloneItem" as const), pick, times: fc.constantFrom(1, 2, 10, 200) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("swapValues" as const), a: pick, b: pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("duplicateLine" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("deleteLine" as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("truncate" as const), at: pick }) },
);

const caseArb = fc.record({ base: pick, edits: fc.array(editArb, { minLength: 1, maxLength: 3 }) });

/** The mutated scenario of `caseSeed` over `corpus`. Deterministic: the same seed and corpus give the same text. */
export function mutateScenario(corpus: readonly CorpusFile[], caseSeed: number): MutatedScenario {
  const [c] = fc.sample(caseArb, { seed: caseSeed, numRuns: 1 });
  const base = corpus[c.base % corpus.length];
  const doc = parseDocument(base.text);
  const keys = corpusKeys(corpus);
  const notes: string[] = [];
  // Tree edits first, on the parsed document; line edits after, on its text.
  for (const e of c.edits.filter((x) => !isLineEdit(x))) {
    try {
      notes.push(applyTreeEdit(doc, e, keys));
    } catch (error) {
      // An edit the yaml library cannot make (say, cloning an alias) is skipped, and said so.
      notes.push(`${e.op} not made: ${(error as Error).message}`);
    }
  }
  let text = doc.toString({ lineWidth: 0 });
  for (const e of c.edits.filter(isLineEdit)) {
    const lines = text.split("\n");
    const at = (n: number) => n % Math.max(1, lines.length);
    if (e.op === "duplicateLine") {
      const i = at(e.pick);
      lines.splice(i, 0, lines[i]);
      notes.push(`duplicate line ${i + 1}: ${lines[i].trim().slice(0, 80)}`);
    } else if (e.op === "deleteLine") {
      const i = at(e.pick);
      notes.push(`delete line ${i + 1}: ${lines[i].trim().slice(0, 80)}`);
      lines.splice(i, 1);
    } else {
      const cut = e.at % Math.max(1, text.length);
      notes.push(`truncate at character ${cut}`);
      lines.splice(0, lines.length, text.slice(0, cut));
    }
    text = lines.join("\n");
  }
  return { base: base.name, edits: notes, text };
}

function isLineEdit(e: Edit): e is Extract<Edit, { op: "duplicateLine" | "deleteLine" | "truncate" }> {
  return e.op === "duplicateLine" || e.op === "deleteLine" || e.op === "truncate";
}

/** A place a value sits: its container and how to read and replace it there. */
interface Slot {
  path: string;
  key?: string;
  get(): unknown;
  set(node: unknown): void;
  pair?: Pair;
  parent: YAMLMap | YAMLSeq;
}

function slots(doc: Document): Slot[] {
  const out: Slot[] = [];
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const item of node.items) {
        const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
        const p = `${path}.${key}`;
        out.push({ path: p, key, get: () => item.value, set: (v) => void (item.value = v), pair: item, parent: node });
        walk(item.value, p);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = `${path}[${i}]`;
        out.push({ path: p, get: () => node.items[i], set: (v) => void (node.items[i] = v), parent: node });
        walk(item, p);
      });
    }
  };
  walk(doc.contents, "");
  return out;
}

function scalarText(v: unknown): string {
  return isScalar(v) ? JSON.stringify(v.value) : isMap(v) ? "{...}" : isSeq(v) ? "[...]" : String(v);
}

function applyTreeEdit(doc: Document, e: Edit, keys: readonly string[]): string {
  const all = slots(doc);
  if (all.length === 0) return "no edit (empty document)";
  const scalars = all.filter((s) => isScalar(s.get()));
  const choose = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
  switch (e.op) {
    case "edgeValue": {
      // Prefer numbers, durations and rates: that is where budgets and arithmetic break.
      const numeric = scalars.filter((s) => {
        const v = (s.get() as { value: unknown }).value;
        return typeof v === "number" || (typeof v === "string" && /^\d/.test(v));
      });
      const s = choose(numeric.length > 0 ? numeric : scalars, e.pick);
      if (!s) return "no edit";
      const value = EDGE_VALUES[e.value];
      const was = scalarText(s.get());
      s.set(doc.createNode(value));
      return `${s.path}: ${was} -> ${describe(value)}`;
    }
    case "edgeString": {
      const strings = scalars.filter((s) => typeof (s.get() as { value: unknown }).value === "string");
      const s = choose(strings, e.pick);
      if (!s) return "no edit";
      const was = scalarText(s.get());
      s.set(doc.createNode(EDGE_STRINGS[e.value]));
      return `${s.path}: ${was.slice(0, 60)} -> ${describe(EDGE_STRINGS[e.value])}`;
    }
    case "deleteKey": {
      const s = choose(all.filter((x) => x.pair), e.pick);
      if (!s) return "no edit";
      (s.parent as YAMLMap).items.splice((s.parent as YAMLMap).items.indexOf(s.pair!), 1);
      return `delete ${s.path}`;
    }
    case "addKey": {
      const maps = [doc.contents, ...all.map((s) => s.get())].filter((n): n is YAMLMap => isMap(n));
      const m = choose(maps, e.pick);
      if (!m) return "no edit";
      const key = keys[e.key % keys.length];
      const value = EDGE_VALUES[e.value];
      // Setting a key the map already has replaces its value, as an edit of that field would.
      m.set(key, doc.createNode(value));
      return `set ${key}: ${describe(value)} in a map with keys ${m.items.map((i) => String(isScalar(i.key) ? i.key.value : i.key)).slice(0, 6).join(", ")}`;
    }
    case "renameId": {
      // Renaming a definition leaves its references dangling; renaming a reference points it nowhere.
      const strings = scalars.filter((s) => typeof (s.get() as { value: unknown }).value === "string" && /^[A-Za-z][\w-]*$/.test(String((s.get() as { value: unknown }).value)));
      const s = choose(strings, e.pick);
      if (!s) return "no edit";
      const was = String((s.get() as { value: unknown }).value);
      const ids = strings.map((x) => String((x.get() as { value: unknown }).value));
      const to = e.to % 3 === 0 ? `${was}x` : e.to % 3 === 1 ? was.toUpperCase() : ids[e.to % ids.length];
      s.set(doc.createNode(to));
      return `${s.path}: ${JSON.stringify(was)} -> ${JSON.stringify(to)}`;
    }
    case "dropSection": {
      const key = SECTIONS[e.section];
      const root = doc.contents;
      if (isMap(root)) root.delete(key);
      return `drop section ${key}`;
    }
    case "nest": {
      const s = choose(all, e.pick);
      if (!s) return "no edit";
      let node: unknown = s.get();
      for (let i = 0; i < e.depth; i++) node = e.asList ? doc.createNode([node]) : doc.createNode({ value: node });
      s.set(node);
      return `nest ${s.path} ${e.depth} deep in ${e.asList ? "lists" : "maps"}`;
    }
    case "tag": {
      const s = choose(all, e.pick);
      const node = s?.get() as Node | undefined;
      if (!s || !node || typeof node !== "object" || !("tag" in node)) return "no edit";
      node.tag = TAGS[e.tag];
      return `tag ${s.path} ${TAGS[e.tag]}`;
    }
    case "cloneItem": {
      const seqs = all.filter((s) => isSeq(s.get()) && (s.get() as YAMLSeq).items.length > 0);
      const s = choose(seqs, e.pick);
      if (!s) return "no edit";
      const seq = s.get() as YAMLSeq;
      const item = seq.items[e.pick % seq.items.length] as Node;
      for (let i = 0; i < e.times; i++) seq.items.push(doc.createNode(JSON.parse(JSON.stringify(item.toJSON?.() ?? item))));
      return `clone ${s.path}[${e.pick % seq.items.length}] ${e.times} times`;
    }
    case "swapValues": {
      const a = choose(scalars, e.a);
      const b = choose(scalars, e.b);
      if (!a || !b) return "no edit";
      const va = a.get();
      const vb = b.get();
      a.set(doc.createNode((vb as { value: unknown }).value));
      b.set(doc.createNode((va as { value: unknown }).value));
      return `swap ${a.path} and ${b.path}`;
    }
    default:
      return "no edit";
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 40 ? `${JSON.stringify(value.slice(0, 20))}... (${value.length} characters)` : JSON.stringify(value);
  return String(value);
}

const keysCache = new WeakMap<readonly CorpusFile[], string[]>();

/** Every map key the corpus uses, sorted: added keys are then names the format knows. */
function corpusKeys(corpus: readonly CorpusFile[]): string[] {
  const cached = keysCache.get(corpus);
  if (cached) return cached;
  const keys = new Set<string>();
  for (const f of corpus) for (const s of slots(parseDocument(f.text))) if (s.key !== undefined) keys.add(s.key);
  // Fields the library does not set but the format has: where budgets matter most.
  for (const k of ["evaluationPeriod", "probeInterval", "replicasMax", "replicasMin", "capacityPerReplica", "maxQueue", "cpuPerRequest", "cpuRequest", "sampleEvery", "callsPerRequest", "timeout", "retries", "backoff"]) keys.add(k);
  const list = [...keys].sort();
  keysCache.set(corpus, list);
  return list;
}
