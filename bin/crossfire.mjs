#!/usr/bin/env node
// Entry point of `npx crossfire`: runs the TypeScript CLI through tsx's loader and hands it the
// real process (stdout, stderr, environment, terminal, clock). Exit codes are runCli's; runCliAsync awaits asynchronous commands (sweep).
import { register } from "tsx/esm/api";

register();
// A reader that stops early (`crossfire export ... | head`) closes the pipe: not an error of
// Crossfire's, so drop the rest of the output quietly (no stack trace) and exit with the command's
// own code (0 for an export; a failed verdict still exits 1). Any other write error is a real one.
let stdoutClosed = false;
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
  stdoutClosed = true;
});
const { runCliAsync } = await import("../sim/cli/main.ts");
process.exitCode = await runCliAsync(process.argv.slice(2), {
  stdout: (text) => void (stdoutClosed || process.stdout.write(text)),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  nowMs: () => performance.now(),
});
