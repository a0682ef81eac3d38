// One seed of a sweep: run a variant with the seed overridden, check it, and keep only what the
// sweep aggregates (pass/fail, final hash, finding counts, failed expectation names).
import { runAndCheck } from "../assert/check.js";
import { FINDING_KINDS } from "../detect/finding.js";
import { loadVariant, type ScenarioVariant } from "../scenario/load.js";
import { systemHealth } from "../story/system-health.js";
import { storyComponents } from "../story/of-run.js";
import type { SystemState } from "../story/types.js";

/** What one seed of a sweep showed; plain data, so it crosses a worker boundary unchanged. */
export interface SeedResult {
  seed: number;
  /** Every expectation held and the run reached its duration. */
  passed: boolean;
  finalHash: string;
  /** How many findings of each kind the run produced; kinds with none are left out. */
  findings: Record<string, number>;
  /** Names of the expectations that failed, in the order the scenario declares them. */
  failedExpectations: string[];
  /** Why the run counts as failed though no expectation failed (it stopped early), if so. */
  incomplete?: string;
  /** How the simulated system fared (sim/story): apart from whether the expectations held. */
  system?: SystemState;
}

/** Runs `variant` with `seed` and returns its SeedResult. Deterministic: same inputs, same result. */
export function runSeed(variant: ScenarioVariant, seed: number): SeedResult {
  const { run, verdict } = runAndCheck(variant, { seed });
  const counts = new Map<string, number>();
  for (const f of verdict.findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  // Keys in a fixed order (the known kinds first), so the JSON of a result never depends on
  // the order in which detectors happened to report.
  const known: readonly string[] = FINDING_KINDS;
  const kinds = [...known.filter((k) => counts.has(k)), ...[...counts.keys()].filter((k) => !known.includes(k)).sort()];
  const findings: Record<string, number> = {};
  for (const k of kinds) findings[k] = counts.get(k)!;
  return {
    seed,
    passed: verdict.passed,
    finalHash: run.finalHash,
    findings,
    failedExpectations: verdict.expectations.filter((e) => !e.passed).map((e) => e.name),
    ...(verdict.incomplete !== undefined ? { incomplete: verdict.incomplete } : {}),
    // Only the health (no causal graph, no phases): a sweep of hundreds of seeds stays fast.
    system: systemHealth({ log: run.log, telemetry: run.telemetry, components: storyComponents(variant.scenario.components) }).state,
  };
}

/** A batch of seeds for one worker: the scenario travels as text so the worker parses it itself. */
export interface SeedsTask {
  scenarioText: string;
  file: string;
  /** The variant's name as the suite lists it (`default` for a file without variants). */
  variant: string;
  seeds: number[];
}

/**
 * A task handler for a worker (a Node worker thread or a browser Web Worker): runs each seed of
 * a task and returns the results in the task's order. It keeps the last parsed scenario, so a
 * sweep that sends one seed per task parses its scenario once per worker, not once per seed.
 */
export function createSeedsTaskHandler(): (task: SeedsTask) => SeedResult[] {
  let cached: { key: string; variant: ScenarioVariant } | undefined;
  return (task) => {
    const key = `${task.file}\u0000${task.variant}\u0000${task.scenarioText}`;
    if (cached?.key !== key) cached = { key, variant: loadVariant(task.scenarioText, task.file, task.variant) };
    const variant = cached.variant;
    return task.seeds.map((seed) => runSeed(variant, seed));
  };
}
