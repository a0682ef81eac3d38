// The `crossfire` process: hands runCliAsync the real process (stdout, stderr, environment,
// terminal, clock). Compiled to dist/cli/crossfire.mjs for the installed package; run from source
// through tsx by bin/crossfire.mjs in this repository. Exit codes are runCli's.
import { runCliAsync } from "./main.js";

// A reader that stops early (`crossfire export ... | head`) closes the pipe: not an error of
// Crossfire's, so drop the rest of the output quietly (no stack trace) and exit with the command's
// own code (0 for an export; a failed verdict still exits 1). Any other write error is a real one.
let stdoutClosed = false;
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code !== "EPIPE") throw e;
  stdoutClosed = true;
});

process.exitCode = await runCliAsync(process.argv.slice(2), {
  stdout: (text) => void (stdoutClosed || process.stdout.write(text)),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  nowMs: () => performance.now(),
  unixMs: () => Date.now(),
});
