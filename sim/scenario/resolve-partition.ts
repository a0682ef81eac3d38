// Resolves a scenario file's `sites` and its partition faults (`effect: partition` under
// `faults`): every id in a site must be a component or an agent and in at most one site; every
// side must name known sites, sides must be disjoint and at least two. Collects problems. Pure.
import type { PartitionSpec } from "./types.js";
import type { ScenarioFile } from "./schema.js";
import { formatPath, hintFor, listed } from "./problems.js";
import type { Path, Unlocated } from "./resolve-tools.js";

type FaultFile = NonNullable<ScenarioFile["faults"]>[number];
type PartitionFile = Extract<FaultFile, { effect: "partition" }>;

/**
 * The file's sites, checked: ids must be components or agents, each in at most one site.
 * Returns undefined when the file names no sites (so a scenario without them resolves as before).
 */
export function resolveSites(sites: ScenarioFile["sites"], componentIds: readonly string[], agentIds: readonly string[], problems: Unlocated[]): Record<string, string[]> | undefined {
  if (sites === undefined) return undefined;
  const known = [...componentIds, ...agentIds];
  const knownSet = new Set(known);
  const siteOf = new Map<string, string>();
  const out: Record<string, string[]> = {};
  for (const [site, ids] of Object.entries(sites)) {
    out[site] = [...ids];
    ids.forEach((id, i) => {
      const path: Path = ["sites", site, i];
      if (!knownSet.has(id)) {
        problems.push({ path, expected: `the id of a component or an agent (${listed(known)})`, found: JSON.stringify(id), hint: hintFor(id, known) ?? "sites hold components and agents; workloads and faults have no site" });
        return;
      }
      const other = siteOf.get(id);
      if (other !== undefined) {
        problems.push({ path, expected: "an id in one site only", found: JSON.stringify(id), hint: other === site ? `it is listed twice in ${site}` : `it is already in site ${other}; a component or agent is in at most one site` });
        return;
      }
      siteOf.set(id, site);
    });
  }
  return out;
}

/**
 * The partition faults of the file's fault list, resolved (their list index is their path).
 * Each id joins the actor namespace (`actorIds`), like every fault's. Returns undefined when
 * there are none.
 */
export function resolvePartitions(
  faults: ScenarioFile["faults"],
  ctx: { ms: (text: string, path: Path) => number; problems: Unlocated[]; sites: Record<string, string[]> | undefined; actorIds: Map<string, Path>; runMs: number; runText: string },
): PartitionSpec[] | undefined {
  const out: PartitionSpec[] = [];
  (faults ?? []).forEach((f, i) => {
    if (f.effect !== "partition") return;
    out.push(resolvePartition(f, ["faults", i], ctx));
  });
  return out.length > 0 ? out : undefined;
}

function resolvePartition(
  f: PartitionFile,
  path: Path,
  ctx: { ms: (text: string, path: Path) => number; problems: Unlocated[]; sites: Record<string, string[]> | undefined; actorIds: Map<string, Path>; runMs: number; runText: string },
): PartitionSpec {
  const { problems } = ctx;
  const earlier = ctx.actorIds.get(f.id);
  if (earlier) problems.push({ path: [...path, "id"], expected: "a unique id", found: JSON.stringify(f.id), hint: `${formatPath(earlier)} already uses this id; a fault's id is the actor of its events, so it must differ from every component, workload, agent and other fault id` });
  else ctx.actorIds.set(f.id, [...path, "id"]);
  const before = problems.length;
  const startMs = ctx.ms(f.start, [...path, "start"]);
  if (problems.length === before && ctx.runMs > 0 && startMs >= ctx.runMs) problems.push({ path: [...path, "start"], expected: `a start before the end of the run (duration ${ctx.runText})`, found: JSON.stringify(f.start), hint: "a partition that starts after the run never happens" });
  let durationMs: number | undefined;
  if (f.duration !== undefined) {
    const b = problems.length;
    durationMs = ctx.ms(f.duration, [...path, "duration"]);
    if (durationMs <= 0 && problems.length === b) problems.push({ path: [...path, "duration"], expected: "a duration longer than 0ms", found: JSON.stringify(f.duration) });
  }
  const siteNames = Object.keys(ctx.sites ?? {});
  const sides = f.sides.map((side) => (typeof side === "string" ? [side] : [...side]));
  const sideOf = new Map<string, number>();
  sides.forEach((side, s) => {
    side.forEach((site, k) => {
      const at: Path = typeof f.sides[s] === "string" ? [...path, "sides", s] : [...path, "sides", s, k];
      if (ctx.sites === undefined) {
        problems.push({ path: at, expected: "a site name from the top-level `sites`", found: JSON.stringify(site), hint: "name the sites first: `sites: { us-east: [web-east, ...], us-west: [...] }`" });
        return;
      }
      if (!siteNames.includes(site)) {
        problems.push({ path: at, expected: `a site name (${listed(siteNames)})`, found: JSON.stringify(site), hint: hintFor(site, siteNames) });
        return;
      }
      const other = sideOf.get(site);
      if (other !== undefined) {
        problems.push({ path: at, expected: "sides that share no site", found: JSON.stringify(site), hint: other === s ? `${site} is listed twice on this side` : `${site} is already on side ${other}; a site is on at most one side of a partition` });
        return;
      }
      sideOf.set(site, s);
    });
  });
  return { id: f.id, startMs, ...(durationMs !== undefined ? { durationMs } : {}), effect: "partition", sides };
}
