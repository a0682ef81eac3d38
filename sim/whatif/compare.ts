// Two runs side by side: findings, expectations, key signals and cost, the first divergence in
// meaning and where their hash chains part. Works on live runs and on saved ones alike (it reads
// run views). Pure.
import type { ExpectationResult } from "../assert/expectation.js";
import { totalCost } from "../assert/evaluate.js";
import { latencyQuantile, loadWeightedMean } from "../assert/series.js";
import type { Finding, RunView } from "../detect/finding.js";
import { divergenceOf, type HiddenDifference, type MeaningDivergence } from "./divergence.js";

/** One side of a comparison. */
export interface RunSide {
  label: string;
  view: RunView;
  finalHash: string;
  findings: readonly Finding[];
  expectations?: readonly ExpectationResult[];
}

/** One component's key signals over a run. */
export interface ComponentFigures {
  component: string;
  availability: number;
  latencyP95Ms: number;
  replicasMax: number;
  cost: number;
}

/** One side's figures as compare shows them. */
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

/** Two runs compared: each side's figures and how their logs differ (see divergenceOf). */
export interface Comparison {
  a: SideFigures;
  b: SideFigures;
  /** The first divergence in meaning (records aligned by what they are about), or null when the logs mean the same. */
  divergence: MeaningDivergence | null;
  /** Differences only in fields outside the meaning before that divergence: counted, the first few kept. */
  hidden: { count: number; first: HiddenDifference[] };
  /** The first seq whose record hash differs ("the chains diverge at #N"), or null when the logs are identical. */
  chainDivergence: number | null;
}

/** Compares two runs. Pure. */
export function compareRuns(a: RunSide, b: RunSide): Comparison {
  return {
    a: figures(a),
    b: figures(b),
    ...divergenceOf(a.view.log, b.view.log, { a: a.label, b: b.label }),
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
