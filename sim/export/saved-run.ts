// Opens a saved run file as a run view: the log, its telemetry and its scenario (re-loaded from
// the text the file embeds), so detectors, the causal graph, expectations and exports give
// exactly what they give on the live run. The whole file is checked first (run-file-check.ts):
// nothing analysed here lies outside the hash chain. Pure.
import { InputError } from "../core/errors.js";
import type { RunView } from "../detect/finding.js";
import { loadVariant, type ScenarioVariant } from "../scenario/load.js";
import type { RunFileHeader } from "./run-file.js";
import { readCheckedRunFile, type RunBounds, type RunFileCheckOptions } from "./run-file-check.js";
import { runScenario, type RunResult } from "../engine/engine.js";

export interface OpenedRun {
  header: RunFileHeader;
  variant: ScenarioVariant;
  /** With `agentStates` when an expectation needs them (re-derived by re-running, checked against the final hash). */
  view: RunView & { seed: string | number; finalHash: string };
  /** Where the saved run stopped early, if it did (a bounded run is never a pass). */
  bounds?: RunBounds;
}

/** Parses, checks and re-attaches the scenario of a version 3 run file. Throws InputError when it cannot. */
export function openRunFile(text: string, file = "<run>", options: RunFileCheckOptions = {}): OpenedRun {
  const { run, check } = readCheckedRunFile(text, file, options);
  const { header, log, telemetry } = run;
  const variant = loadVariant(header.scenarioText, `${header.scenarioFile ?? "scenario"} (embedded in ${file})`, header.variant);
  // Large runs leave telemetry out of the file: re-derive it by running the embedded scenario
  // again, which must reproduce the saved log exactly (same final hash, which binds the
  // telemetry's digest) to be trusted.
  // Agent state traces are never stored: expectations about agent states get them the same way.
  if (telemetry === undefined || needsAgentStates(variant)) {
    const rerun = rederive(variant, header, file, check.bounds, telemetry === undefined ? "the file has no telemetry" : "agent state expectations need the agents' state trace");
    return { header, variant, bounds: check.bounds, view: { scenario: variant.scenario, log, telemetry: telemetry ?? rerun.telemetry, agentStates: rerun.agentStates, seed: header.seed, finalHash: header.finalHash } };
  }
  return { header, variant, bounds: check.bounds, view: { scenario: variant.scenario, log, telemetry, seed: header.seed, finalHash: header.finalHash } };
}

/** Whether any expectation of `variant` reads agent states (directly or as a relative-timing trigger). Pure. */
function needsAgentStates(variant: ScenarioVariant): boolean {
  return variant.expectations.some((e) => e.kind === "agentState" || (e.kind === "event" && e.after?.trigger.kind === "agentState"));
}

function rederive(variant: ScenarioVariant, header: RunFileHeader, file: string, bounds: RunBounds | undefined, why: string): RunResult {
  const rerun = runScenario(variant.scenario, { seed: header.seed, ...bounds });
  if (rerun.finalHash !== header.finalHash) {
    throw new InputError(file, `a run this version of Crossfire reproduces (final hash ${header.finalHash})`, `a re-run ending at ${rerun.finalHash}`, `${why} and was written by ${header.engine ?? "a version"} that simulates differently; re-run it with this version`);
  }
  return rerun;
}
