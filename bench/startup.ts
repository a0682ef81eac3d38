// Start-up benchmark: wall time of the compiled CLI (dist/cli/crossfire.mjs, as installed) for
// `--version` and `--help`, against a bare `node -e ""` measured in the same rounds, so the
// ratio says what Crossfire adds to Node's own start. Target (issue 14): --help in <= 0.3 s.
// A real command (`validate` of a small file) is reported too: it loads the whole bundled CLI.
// Needs `npm run build:cli` first (npm install runs it).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { median, timeSeconds, type BenchOptions, type BenchRow } from "./measure.js";

const CLI = "dist/cli/crossfire.mjs";
const HELP_BUDGET_S = 0.3;

export function runStartupBench(options: BenchOptions): BenchRow[] {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build:cli\` first`);
  const run = (args: string[]) => () => {
    const r = spawnSync(process.execPath, args, { stdio: "ignore" });
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}`);
  };
  const cases = { node: run(["-e", ""]), version: run([CLI, "--version"]), help: run([CLI, "--help"]), validate: run([CLI, "validate", "docs/examples/first-scenario.yaml"]) };
  for (let i = 0; i < options.warmups; i++) for (const body of Object.values(cases)) body();
  const samples = { node: [] as number[], version: [] as number[], help: [] as number[], validate: [] as number[] };
  // Interleaved rounds, so drift in machine load hits all three alike.
  for (let i = 0; i < Math.max(5, options.repetitions); i++) for (const [name, body] of Object.entries(cases)) samples[name as keyof typeof samples].push(timeSeconds(body));
  const node = median(samples.node);
  const row = (name: string, key: "version" | "help" | "validate", budget: number | null): BenchRow => {
    const measured = median(samples[key]);
    return {
      name,
      measured,
      baseline: node,
      unit: "s",
      ratio: measured / node,
      target: budget === null ? "informational" : `<= ${budget} s wall`,
      pass: budget === null ? null : measured <= budget,
      samples: { measured: samples[key], baseline: samples.node },
      details: { bareNodeSeconds: Number(node.toFixed(3)), addedSeconds: Number((measured - node).toFixed(3)) },
    };
  };
  return [row("CLI start-up: crossfire --version (compiled)", "version", null), row("CLI start-up: crossfire --help (compiled)", "help", HELP_BUDGET_S), row("CLI: crossfire validate first-scenario.yaml (loads the whole CLI)", "validate", null)];
}
