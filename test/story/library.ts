// Runs of the library's scenarios for the story tests: each variant run once and kept, so the
// several tests reading it share one run.
import { readFileSync, readdirSync } from "node:fs";
import { runAndCheck } from "../../sim/assert/check.js";
import { loadSuite, type ScenarioVariant } from "../../sim/scenario/load.js";
import { storyOfRun } from "../../sim/story/index.js";
import type { IncidentSummary } from "../../sim/story/types.js";
import { repoPath } from "../helpers/scenarios.js";

/** Every library and example scenario file, as a repository path. */
export const LIBRARY_FILES = [
  ...readdirSync(repoPath("scenarios")).filter((f) => f.endsWith(".yaml")).sort().map((f) => `scenarios/${f}`),
  ...readdirSync(repoPath("docs/examples")).filter((f) => f.endsWith(".yaml")).sort().map((f) => `docs/examples/${f}`),
];

/** The variants of one file. */
export function variantsOf(file: string): ScenarioVariant[] {
  return loadSuite(readFileSync(repoPath(file), "utf8"), file).variants;
}

const cache = new Map<string, { run: ReturnType<typeof runAndCheck>["run"]; verdict: ReturnType<typeof runAndCheck>["verdict"]; variant: ScenarioVariant; story: IncidentSummary }>();

/** `file`'s variant `name` run (with `seed` when given) and its story, computed once. */
export function storyOf(file: string, name: string, seed?: number) {
  const key = `${file} ${name} ${seed ?? ""}`;
  let hit = cache.get(key);
  if (hit === undefined) {
    const variant = variantsOf(file).find((v) => v.name === name);
    if (variant === undefined) throw new Error(`${file} has no variant ${name}`);
    const { run, verdict } = runAndCheck(variant, seed === undefined ? {} : { seed });
    hit = { run, verdict, variant, story: storyOfRun(variant, run, verdict) };
    cache.set(key, hit);
  }
  return hit;
}

/** Every number in `value`, with its path, that is not finite. */
export function nonFiniteNumbers(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (typeof value === "string") return value.includes("NaN") || value.includes("Infinity") ? [`${path} says ${JSON.stringify(value)}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFiniteNumbers(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => nonFiniteNumbers(v, `${path}.${k}`));
  return [];
}
