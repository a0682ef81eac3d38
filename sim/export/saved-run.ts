// Opens a saved run file as a run view: the log (verified), its telemetry and its scenario
// (re-loaded from the text the file embeds), so detectors, the causal graph, expectations and
// exports give exactly what they give on the live run. Pure.
import { InputError } from "../core/errors.js";
import type { RunView } from "../detect/finding.js";
import { verify } from "../log/chain.js";
import { loadVariant, type ScenarioVariant } from "../scenario/load.js";
import { parseRunFile, RUN_FILE_FORMAT, type RunFileHeader } from "./run-file.js";
import { runScenario } from "../engine/engine.js";
import type { Telemetry } from "../engine/telemetry.js";

export interface OpenedRun {
  header: RunFileHeader;
  variant: ScenarioVariant;
  view: RunView & { seed: string | number; finalHash: string };
}

/** Parses, verifies and re-attaches the scenario of a version 2 run file. Throws InputError when it cannot. */
export function openRunFile(text: string, file = "<run>"): OpenedRun {
  const { header, log, telemetry } = parseRunFile(text, file);
  if (header.format !== RUN_FILE_FORMAT || header.scenarioText === undefined) {
    throw new InputError(file, `a ${RUN_FILE_FORMAT} run file with its scenario`, `a ${header.format} file without one`, "re-run the scenario with `crossfire run <scenario> --out <file>` to write one");
  }
  const check = verify(log);
  if (!check.ok) throw new InputError(`${file}:${check.firstBadSeq + 2}`, "records whose hash chain verifies", `record #${check.firstBadSeq} does not (${check.reason})`, "run `crossfire verify` on the file; it was changed after it was written");
  if (check.headHash !== header.finalHash) throw new InputError(file, `records ending at the header's finalHash ${header.finalHash}`, `a chain ending at ${check.headHash}`, "records are missing at the end of the file");
  const variant = loadVariant(header.scenarioText, `${header.scenarioFile ?? "scenario"} (embedded in ${file})`, header.variant);
  // Large runs leave telemetry out of the file: re-derive it by running the embedded scenario
  // again, which must reproduce the saved log exactly (same final hash) to be trusted.
  const signals = telemetry ?? rederiveTelemetry(variant, header, file);
  return { header, variant, view: { scenario: variant.scenario, log, telemetry: signals, seed: header.seed, finalHash: header.finalHash } };
}

function rederiveTelemetry(variant: ScenarioVariant, header: RunFileHeader, file: string): Telemetry {
  const rerun = runScenario(variant.scenario, { seed: header.seed });
  if (rerun.finalHash !== header.finalHash) {
    throw new InputError(file, `a run this version of Crossfire reproduces (final hash ${header.finalHash})`, `a re-run ending at ${rerun.finalHash}`, "the file has no telemetry and was written by a version that simulates differently; re-run it with this version");
  }
  return rerun.telemetry;
}
