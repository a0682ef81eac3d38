// One case of the "scenarios" fuzz target, run inside a worker thread: writes the mutated
// scenario to a scratch file and runs `crossfire validate` then `crossfire run` on it in-process
// with captured output, reporting exit codes, wall times and any NaN run printed.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../sim/cli/main.js";

/** The outcome of one CLI command: exit code, wall time, and the first lines of stderr. */
export interface CommandOutcome {
  code: number;
  wallMs: number;
  stderrHead: string;
}

/** validate's and run's outcomes, and the first stdout line of run that printed NaN, if any. */
export interface ScenarioCaseResult {
  validate: CommandOutcome;
  run: CommandOutcome & { nanLine?: string };
}

/** What the worker reports before run starts, so a run that overruns is reported with validate's verdict. */
export interface ScenarioCaseProgress {
  validateCode: number;
  validateMs: number;
}

const dir = mkdtempSync(join(tmpdir(), "crossfire-fuzz-"));
const file = join(dir, "case.yaml");

/** Runs validate then run on `text`; `progress` is called between the two. Not pure (writes a scratch file). */
export function runScenarioCase(text: string, progress: (p: ScenarioCaseProgress) => void): ScenarioCaseResult {
  writeFileSync(file, text);
  const validate = cli(["validate", file]);
  progress({ validateCode: validate.code, validateMs: validate.wallMs });
  const run = cli(["run", file]);
  const nanLine = run.stdout.split("\n").find((line) => /\bNaN\b/.test(line));
  return {
    validate: { code: validate.code, wallMs: validate.wallMs, stderrHead: head(validate.stderr) },
    run: { code: run.code, wallMs: run.wallMs, stderrHead: head(run.stderr), ...(nanLine !== undefined ? { nanLine: nanLine.slice(0, 300) } : {}) },
  };
}

function cli(args: string[]): { code: number; wallMs: number; stdout: string; stderr: string } {
  let stdout = "";
  let stderr = "";
  const started = performance.now();
  const code = runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    isTTY: false,
    cwd: dir,
    nowMs: () => performance.now(),
  });
  return { code, wallMs: performance.now() - started, stdout, stderr };
}

function head(text: string): string {
  return text.split("\n").slice(0, 12).join("\n").slice(0, 2000);
}
