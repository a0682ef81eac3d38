// Variants: a scenario file's named overrides (e.g. `blind` and `coordinated`) merged into its
// base. Mappings merge deeply; lists of items with an `id` merge by id (`remove: true` drops
// one, a new id is appended); other lists are replaced. The merge remembers where every merged
// value came from, so a problem found in the merged scenario is reported at the line of the
// variant (or base) text that caused it. Pure.
import type { Path } from "./resolve-tools.js";

/** A merged value plus the means to map a path in it back to a path in the file. */
export interface Merged {
  value: Record<string, unknown>;
  /** The path in the file the value at `path` (in the merged object) came from. */
  sourceOf(path: Path): Path;
}

type Json = Record<string, unknown>;

/** Fields of a variant that are not overrides of scenario fields. */
const VARIANT_ONLY = new Set(["expect"]);

/**
 * Merges variant `name` of `file` (the parsed YAML of the whole file) into the base. The top-level
 * `expect` and the variant's `expect` are concatenated; `variants` is dropped.
 */
export function mergeVariant(file: Json, name: string): Merged {
  // Which file path each key of a merged container came from; containers copied unchanged
  // from one source are not in the map and keep their source's relative paths.
  const keySources = new WeakMap<object, Map<string | number, Path>>();
  const variant = ((file.variants as Json | undefined)?.[name] ?? {}) as Json;
  const variantPath: Path = ["variants", name];

  const base: Json = {};
  const sources = new Map<string | number, Path>();
  for (const [k, v] of Object.entries(file)) {
    if (k === "variants") continue;
    base[k] = v;
    sources.set(k, [k]);
  }
  for (const [k, v] of Object.entries(variant)) {
    if (VARIANT_ONLY.has(k)) continue;
    if (k === "description") {
      base.description = v;
      sources.set(k, [...variantPath, k]);
      continue;
    }
    const merged = mergeValue(base[k], v, [k], [...variantPath, k], keySources);
    base[k] = merged.value;
    sources.set(k, merged.source);
  }
  const topExpect = Array.isArray(file.expect) ? file.expect : [];
  const variantExpect = Array.isArray(variant.expect) ? variant.expect : [];
  if (topExpect.length + variantExpect.length > 0) {
    const expect = [...topExpect, ...variantExpect];
    const expectSources = new Map<string | number, Path>();
    topExpect.forEach((_, i) => expectSources.set(i, ["expect", i]));
    variantExpect.forEach((_, i) => expectSources.set(topExpect.length + i, [...variantPath, "expect", i]));
    keySources.set(expect, expectSources);
    base.expect = expect;
    sources.set("expect", ["expect"]);
  }
  keySources.set(base, sources);

  return {
    value: base,
    sourceOf(path: Path): Path {
      let source: Path = [];
      let node: unknown = base;
      for (const segment of path) {
        const known = node !== null && typeof node === "object" ? keySources.get(node)?.get(segment) : undefined;
        source = known ?? [...source, segment];
        node = node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[segment] : undefined;
      }
      return source;
    },
  };
}

function isPlainObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isIdList(v: unknown): v is Json[] {
  return Array.isArray(v) && v.every((item) => isPlainObject(item) && typeof item.id === "string");
}

/** Merges `override` (at `overridePath` in the file) into `base` (at `basePath`). */
function mergeValue(base: unknown, override: unknown, basePath: Path, overridePath: Path, keySources: WeakMap<object, Map<string | number, Path>>): { value: unknown; source: Path } {
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: Json = {};
    const sources = new Map<string | number, Path>();
    for (const [k, v] of Object.entries(base)) {
      out[k] = v;
      sources.set(k, [...basePath, k]);
    }
    for (const [k, v] of Object.entries(override)) {
      const merged = mergeValue(out[k], v, [...basePath, k], [...overridePath, k], keySources);
      out[k] = merged.value;
      sources.set(k, merged.source);
    }
    keySources.set(out, sources);
    return { value: out, source: basePath };
  }
  if (isIdList(base) && isIdList(override)) {
    const out: Json[] = [];
    const sources = new Map<string | number, Path>();
    const removed = new Set(override.filter((o) => o.remove === true).map((o) => o.id as string));
    base.forEach((item, i) => {
      if (removed.has(item.id as string)) return;
      const j = override.findIndex((o) => o.id === item.id);
      if (j < 0) {
        sources.set(out.length, [...basePath, i]);
        out.push(item);
        return;
      }
      const { id: _id, ...fields } = override[j];
      const merged = mergeValue(item, fields, [...basePath, i], [...overridePath, j], keySources);
      sources.set(out.length, [...basePath, i]);
      out.push(merged.value as Json);
    });
    override.forEach((o, j) => {
      if (o.remove === true || base.some((b) => b.id === o.id)) return;
      sources.set(out.length, [...overridePath, j]);
      out.push(o);
    });
    keySources.set(out, sources);
    return { value: out, source: basePath };
  }
  return { value: override, source: overridePath };
}
