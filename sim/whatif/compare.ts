// Two runs side by side: findings, expectations, key signals and cost, and the first event where
// their hash chains diverge. Works on live runs and on saved ones alike (it reads run views). Pure.
import type { ExpectationResult } from "../assert/expectation.js";
import { totalCost } from "../assert/evaluate.js";
import { latencyQuantile, loadWeightedMean } from "../assert/series.js";
import type { Finding, RunView } from "../detect/finding.js";
import type { EventRecord } from "../log/record.js";

/** One side of a comparison. */
export interface RunSide {
  label: string;
  view: RunView;
  finalHash: string;
  findings: readonly Finding[];
  expectations?: readonly ExpectationResult[];
}

export interface ComponentFigures {
  component: string;
  availability: number;
  latencyP95Ms: number;
  replicasMax: number;
  cost: number;
}

export interface SideFigures {
  label: string;
  finalHash: string;
  events: number;
  findings: Record<string, number>;
  expectationsPassed: number;
  expectationsTotal: number;
  rejected: number;
  cost: number;
  components: ComponentFigures[];
}

export interface Comparison {
  a: SideFigures;
  b: SideFigures;
  /** The first seq whose record differs (by hash), or null when the logs are identical. */
  divergence: number | null;
  /** The two records at the divergence (either may be missing when one log is a prefix of the other). */
  divergent?: { a?: EventRecord; b?: EventRecord };
}

/** The first seq at which the two hash chains differ, or null when they are identical. Pure. */
export function firstDivergence(a: readonly EventRecord[], b: readonly EventRecord[]): number | null {
  const n = Math.min(a.length, b.length);
  // Chained hashes: equal hashes at k mean equal records 0..k, so binary search would do; a
  // linear scan keeps it obvious and is cheap next to running the simulation.
  for (let i = 0; i < n; i++) if (a[i].hash !== b[i].hash) return i;
  return a.length === b.length ? null : n;
}

/** Compares two runs. Pure. */
export function compareRuns(a: RunSide, b: RunSide): Comparison {
  const divergence = firstDivergence(a.view.log, b.view.log);
  return {
    a: figures(a),
    b: figures(b),
    divergence,
    ...(divergence === null ? {} : { divergent: { a: a.view.log[divergence], b: b.view.log[divergence] } }),
  };
}

function figures(side: RunSide): SideFigures {
  const { view } = side;
  const t = view.telemetry;
  const findings: Record<string, number> = {};
  for (const f of side.findings) findings[f.kind] = (findings[f.kind] ?? 0) + 1;
  const components: ComponentFigures[] = [];
  for (const c of view.scenario.components) {
    if (!t.componentIds.includes(c.id)) continue;
    const load = t.series(c.id, "loadRps");
    const cost = totalCost(view, c.id);
    if (!load.some((x) => x > 0) && cost === 0) continue;
    components.push({
      component: c.id,
      availability: 1 - loadWeightedMean(t.series(c.id, "errorRate"), load, 0, t.count),
      latencyP95Ms: latencyQuantile(t.series(c.id, "latencyMsP50"), t.series(c.id, "latencyMsP95"), t.series(c.id, "latencyMsP99"), load, 0, t.count, 0.95),
      replicasMax: Math.max(0, ...t.series(c.id, "replicas")),
      cost,
    });
  }
  return {
    label: side.label,
    finalHash: side.finalHash,
    events: view.log.length,
    findings,
    expectationsPassed: side.expectations?.filter((e) => e.passed).length ?? 0,
    expectationsTotal: side.expectations?.length ?? 0,
    rejected: view.log.filter((r) => r.type === "command.rejected").length,
    cost: totalCost(view, undefined),
    components,
  };
}
