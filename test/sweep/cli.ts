// Runs `crossfire ...` in-process through runCliAsync (what bin/crossfire.mjs calls), with
// captured output: sweep's action awaits its worker pool, so it needs the async runner.
import { runCliAsync } from "../../sim/cli/main.js";
import { repoPath } from "../helpers/scenarios.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `crossfire ...args` from the repository root and resolves when it has finished. */
export async function crossfireAsync(args: string[], options: { isTTY?: boolean } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  let clock = 0;
  const code = await runCliAsync(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    isTTY: options.isTTY ?? false,
    cwd: repoPath(""),
    // A fake clock, so wall times are the same on every run.
    nowMs: () => (clock += 100),
  });
  return { code, stdout, stderr };
}
