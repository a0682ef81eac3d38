#!/usr/bin/env node
// Entry point of `npx crossfire`: runs the TypeScript CLI through tsx's loader and hands it the
// real process (stdout, stderr, environment, terminal, clock). Exit codes are runCli's.
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../sim/cli/main.ts");
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  isTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
  nowMs: () => performance.now(),
});
