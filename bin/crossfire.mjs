#!/usr/bin/env node
// Entry point of `npx crossfire`: runs the TypeScript CLI through tsx's loader and hands it the
// real process (stdout, stderr, environment, terminal, clock). Exit codes are runCli's; runCliAsync awaits asynchronous commands (sweep).
import { register } from "tsx/esm/api";

register();
const { runCliAsync } = await import("../sim/cli/main.ts");
process.exitCode = await runCliAsync(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  nowMs: () => performance.now(),
});
