// Runs the `crossfire` CLI in-process with captured output: the same runCli the binary calls.
import { runCli } from "../../sim/cli/main.js";
import { repoPath } from "./scenarios.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `crossfire ...args` from the repository root. */
export function crossfire(args: string[], options: { env?: Record<string, string>; isTTY?: boolean; cwd?: string } = {}): CliResult {
  let stdout = "";
  let stderr = "";
  let clock = 0;
  const code = runCli(args, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    cwd: options.cwd ?? repoPath(""),
    // A fake clock: wall times in output are then the same on every run.
    nowMs: () => (clock += 100),
    // A fixed Unix time: `export --format otlp --epoch now` is then the same on every run.
    unixMs: () => Date.UTC(2026, 0, 1),
  });
  return { code, stdout, stderr };
}
