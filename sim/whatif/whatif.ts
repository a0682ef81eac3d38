// Counterfactual runs: the same scenario and seed run again with interventions, compared with the
// original. Deterministic runs make the comparison exact: the logs are identical up to the point
// where the intervention takes effect (checked here by hash), so every difference after it is
// attributable to the intervention alone; the comparison names the first one in meaning. Pure.
import { checkRun, type Verdict } from "../assert/check.js";
import { formatTime } from "../core/units.js";
import { InputError } from "../core/errors.js";
import { runScenario, type RunResult } from "../engine/engine.js";
import { describeIntervention, type Intervention } from "../engine/interventions.js";
import type { ScenarioVariant } from "../scenario/load.js";
import { compareRuns, type Comparison } from "./compare.js";
import { storyOfRun } from "../story/of-run.js";
import type { IncidentSummary } from "../story/types.js";
import { whatIfOutcomeLines } from "./outcome.js";

/** A what-if: both runs with their verdicts, the interventions, their comparison and the prefix check. */
export interface WhatIf {
  original: { run: RunResult; verdict: Verdict };
  altered: { run: RunResult; verdict: Verdict };
  interventions: readonly Intervention[];
  /** Both runs compared; `comparison.divergence` is the first difference in meaning the intervention made. */
  comparison: Comparison;
  /** Where the intervention took effect in the log: the first seq whose hash differs (null: it changed nothing). */
  chainDivergence: number | null;
  /** The sentence that says the prefix check held. */
  prefix: string;
  /** Both runs' stories (sim/story), and what the outcome means in words (whatIfOutcomeLines). */
  stories: { original: IncidentSummary; altered: IncidentSummary };
  outcome: string[];
}

/** Runs `variant` as is and with `interventions`; checks the prefix and compares. Throws InputError on an intervention that cannot apply. */
export function whatIf(variant: ScenarioVariant, interventions: readonly Intervention[], seed?: string | number): WhatIf {
  const run = runScenario(variant.scenario, { seed });
  for (const i of interventions) checkApplies(i, run, variant);
  const altered = runScenario(variant.scenario, { seed, interventions });
  const original = { run, verdict: checkRun(variant, run) };
  const after = { run: altered, verdict: checkRun(variant, altered) };
  const comparison = compareRuns(
    { label: "original", view: run, finalHash: run.finalHash, findings: original.verdict.findings, expectations: original.verdict.expectations },
    { label: "what if", view: altered, finalHash: altered.finalHash, findings: after.verdict.findings, expectations: after.verdict.expectations },
  );
  const divergence = comparison.chainDivergence;
  // The earliest point each intervention may change the log: a block at its seq, a mute or a
  // policy at the first record at or after its time. Diverging earlier would be a bug.
  const earliest = Math.min(...interventions.map((i) => (i.kind === "block" ? i.seq : firstSeqAtOrAfter(run, i.fromMs))));
  if (divergence !== null && divergence < earliest) {
    throw new Error(`what-if runs diverge at #${divergence}, before the earliest intervention point #${earliest}: a determinism bug (seed=${run.seed})`);
  }
  const prefix =
    divergence === null
      ? `the intervention changed nothing: both logs end at ${run.finalHash}`
      : divergence === 0
        ? "the runs differ from the first record"
        : `identical up to #${divergence - 1} (hash ${run.log[divergence - 1].hash.slice(0, 12)} in both); they diverge at #${divergence}, where the intervention takes effect`;
  const stories = { original: storyOfRun(variant, run, original.verdict), altered: storyOfRun(variant, altered, after.verdict) };
  const outcome = whatIfOutcomeLines(stories.original, stories.altered, variant.scenario.variant === undefined ? undefined : variant.name);
  return { original, altered: after, interventions, comparison, chainDivergence: divergence, prefix, stories, outcome };
}

function firstSeqAtOrAfter(run: RunResult, tMs: number): number {
  const i = run.log.findIndex((r) => r.t >= tMs);
  return i < 0 ? run.log.length : i;
}

const COMMAND_TYPES = new Set(["document.put", "document.deleted"]);

function checkApplies(i: Intervention, run: RunResult, variant: ScenarioVariant): void {
  const agents = variant.scenario.agents.map((a) => a.id);
  if (i.kind === "block") {
    const r = run.log[i.seq];
    const isCommand = r !== undefined && agents.includes(r.actor) && (COMMAND_TYPES.has(r.type) || (typeof r.data.knob === "string" && typeof r.data.to === "number"));
    if (!isCommand) {
      throw new InputError("--block", "the seq of an applied agent command (a knob change or document write) in this run", r ? `#${i.seq} is ${r.type} by ${r.actor}` : `#${i.seq}, but the run has ${run.log.length} records`, "list the commands with `crossfire run <scenario>`; their #seq is the first column");
    }
  } else if (i.kind === "mute" && !agents.includes(i.agent)) {
    throw new InputError("--mute", `an agent of the scenario (${agents.join(", ")})`, JSON.stringify(i.agent));
  }
  if (i.kind !== "block" && i.fromMs > variant.scenario.durationMs) {
    throw new InputError(i.kind === "mute" ? "--mute" : "--policy", `a time within the run (${formatTime(variant.scenario.durationMs)})`, formatTime(i.fromMs));
  }
}

export { describeIntervention };
