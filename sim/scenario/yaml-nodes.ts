// Finding the YAML node a path of the parsed value came from, through aliases (`*name`) and merge
// keys (`<<: *name`), so a problem in a merged or aliased value points at the text that wrote it;
// and checking that every merge key merges mappings. Pure over a parsed yaml Document.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair } from "yaml";
import type { Path } from "./resolve-tools.js";

/** Most aliases followed while looking one path up: anchors cannot loop, but stay bounded. */
const ALIAS_HOPS_MAX = 64;

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (key.value === "<<" || (typeof key.value === "symbol" && key.value.description === "<<"));
}

function deref(doc: Document, node: unknown): unknown {
  let n = node;
  for (let hops = 0; isAlias(n) && hops < ALIAS_HOPS_MAX; hops++) n = n.resolve(doc);
  return n;
}

/**
 * The pair of mapping `map` whose key is `key`: its own pair, or else the pair it merges in with
 * `<<` (the first merge source that has the key, as YAML merge keys take it). Pure.
 */
export function pairOf(doc: Document, map: unknown, key: string | number, hops = 0): Pair | undefined {
  const m = deref(doc, map);
  if (!isMap(m) || hops > ALIAS_HOPS_MAX) return undefined;
  const own = m.items.find((it) => isPair(it) && isScalar(it.key) && !isMergeKey(it.key) && it.key.value === key);
  if (own) return own as Pair;
  for (const it of m.items) {
    if (!isPair(it) || !isMergeKey(it.key)) continue;
    const value = deref(doc, it.value);
    const sources = isSeq(value) ? value.items : [value];
    for (const source of sources) {
      const found = pairOf(doc, source, key, hops + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** The node at `path` (following aliases and merge keys), or undefined when there is none. Pure. */
export function nodeAt(doc: Document, path: Path): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    node = deref(doc, node);
    if (isMap(node)) {
      node = pairOf(doc, node, segment)?.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
    } else {
      return undefined;
    }
    if (node === undefined || node === null) return undefined;
  }
  const n = deref(doc, node);
  return n && typeof n === "object" && "range" in (n as object) ? (n as Node) : undefined;
}

/**
 * Merge keys whose value is not a mapping, an alias of one, or a list of those: the yaml library
 * would throw "Merge sources must be maps" without saying where. Returns each with the path of the
 * mapping holding it and the offset of its value. Pure.
 */
export function badMergeSources(doc: Document): { path: Path; offset?: number; found: string }[] {
  const found: { path: Path; offset?: number; found: string }[] = [];
  const describe = (n: unknown) => (isSeq(n) ? "a list" : isScalar(n) ? JSON.stringify(n.value) : n === null || n === undefined ? "nothing" : "a value that is not a mapping");
  const walk = (node: unknown, path: Path) => {
    if (isMap(node)) {
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (isMergeKey(item.key)) {
          const value = deref(doc, item.value);
          const sources = isSeq(value) ? value.items.map((s) => deref(doc, s)) : [value];
          const bad = sources.find((s) => !isMap(s));
          const what = sources.length === 0 ? "an empty list" : isSeq(value) ? `a list holding ${describe(bad)}` : describe(bad);
          if (bad !== undefined || sources.length === 0) found.push({ path: [...path, "<<"], offset: (item.value as Node | null)?.range?.[0] ?? (item.key as Node).range?.[0], found: what });
          continue;
        }
        const key = isScalar(item.key) ? (item.key.value as string | number) : undefined;
        walk(item.value, key === undefined ? path : [...path, key]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => walk(it, [...path, i]));
    }
  };
  walk(doc.contents, []);
  return found;
}
