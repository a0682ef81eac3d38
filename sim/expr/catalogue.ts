// The catalogue of what expressions may read, built from a scenario's components: every signal
// (sampled always or only when used, as guards read them) and every knob of each component.
// Groups join the catalogue as entries of kind "group" (names such as `sum.replicas`, `count`).
import { componentKnobs } from "../model/component-knobs.js";
import { ALL_SIGNAL_NAMES } from "../model/signals.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { CatalogueEntry } from "./types.js";

/**
 * One entry per component: its signals, then the knobs that are not also signals. A name that is
 * both (`replicas`) is read as the knob by agents (what they write); see docs/scenario-format.md.
 * Pure.
 */
export function componentCatalogue(components: readonly ComponentSpec[]): CatalogueEntry[] {
  return components.map((spec) => {
    const knobs = Object.keys(componentKnobs(spec)).filter((k) => !(ALL_SIGNAL_NAMES as readonly string[]).includes(k));
    return { kind: "component", id: spec.id, names: [...ALL_SIGNAL_NAMES, ...knobs] };
  });
}

/** The smallest catalogue that holds `reads` (enough to compile again an expression that compiled with them). Pure. */
export function catalogueOfReads(reads: readonly { id: string; name: string; kind?: "component" | "group" }[]): CatalogueEntry[] {
  const byId = new Map<string, { kind: "component" | "group"; names: string[] }>();
  for (const r of reads) {
    const e = byId.get(r.id) ?? { kind: r.kind ?? "component", names: [] };
    if (!e.names.includes(r.name)) e.names.push(r.name);
    byId.set(r.id, e);
  }
  return [...byId].map(([id, e]) => ({ kind: e.kind, id, names: e.names }));
}
