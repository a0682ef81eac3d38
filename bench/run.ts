// Entry of `npm run bench`: runs the kernel, agents, 24 h scenario, causal, ui and scale
// benchmarks (each against its baseline or budget in this process) and prints a table, or JSON
// with --json. It reports; it never fails the build, so it exits 0 whatever the verdicts.
import os from "node:os";
import { runAgentsBench } from "./agents.js";
import { runCausalBench } from "./causal.js";
import { runKernelBench } from "./kernel.js";
import { formatCount, type BenchOptions, type BenchRow } from "./measure.js";
import { SCALE_DEFAULTS, resolveScaleOptions, runScaleBench, type ScaleOptions } from "./scale.js";
import { runScenario24hBench } from "./scenario-24h.js";
import { runUiBench } from "./ui.js";
import { runStartupBench } from "./startup.js";

// Each benchmark with its default repetitions: the 24 h day takes seconds per run, the kernel
// loop a fraction of one, so they get different counts for a similar total time.
const BENCHES = {
  kernel: { run: (o: BenchOptions) => runKernelBench(o), defaults: { warmups: 1, repetitions: 7 } },
  agents: { run: (o: BenchOptions) => runAgentsBench(o), defaults: { warmups: 1, repetitions: 5 } },
  scenario: { run: (o: BenchOptions) => runScenario24hBench(o), defaults: { warmups: 1, repetitions: 3 } },
  causal: { run: (o: BenchOptions) => runCausalBench(o), defaults: { warmups: 1, repetitions: 5 } },
  // Start-up of the compiled CLI (bench/startup.ts): a few hundred ms per repetition.
  startup: { run: (o: BenchOptions) => runStartupBench(o), defaults: { warmups: 1, repetitions: 9 } },
  // Browser budgets (bench/ui.ts): each repetition is one ~100 k-event run in the worker (~20 s).
  ui: { run: (o: BenchOptions) => runUiBench(o), defaults: { warmups: 0, repetitions: 1 } },
  // Scale (bench/scale.ts): one run per size, up to a minute each on today's engine; the warm-up
  // is one run of the smallest size.
  scale: { run: (o: BenchOptions, scale: Partial<ScaleOptions>) => runScaleBench(o, scale), defaults: { warmups: 1, repetitions: 1 } },
} as const;
type BenchName = keyof typeof BENCHES;

const USAGE = `usage: node dist-bench/bench/run.js [--json] [--only kernel,agents,scenario,causal,startup,ui,scale] [--repetitions N] [--warmups N] [scale options]
  --json           print the figures as JSON instead of a table
  --only LIST      run only these benchmarks (default: all)
  --repetitions N  timed repetitions per case, median reported (default: kernel 7, agents 5, scenario 3, causal 5, startup 9, ui 1, scale 1)
  --warmups N      untimed warm-up runs per case (default 1; ui 0)
scale options (--only scale):
  --scale-sizes LIST         component counts, multiples of 5 (default ${SCALE_DEFAULTS.sizes.join(",")})
  --scale-hours H            simulated hours per size (default ${SCALE_DEFAULTS.hours})
  --scale-agents-per-component R   agents per component (default ${SCALE_DEFAULTS.agentsPerComponent})
  --scale-wall-cap S         cut a run that would take longer than S wall seconds at a whole simulated minute (default ${SCALE_DEFAULTS.wallCapSeconds})
  --scale-week               run the simulated week (10,000 components, 1,000 agents, 7 d) instead of the sizes; with --scale-sizes, both`;

interface Args {
  json: boolean;
  only: BenchName[];
  options: Partial<BenchOptions>;
  scale: Partial<ScaleOptions>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, only: Object.keys(BENCHES) as BenchName[], options: {}, scale: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === "--json") args.json = true;
    else if (a === "--only") {
      const names = value().split(",");
      for (const n of names) if (!(n in BENCHES)) usage(`unknown benchmark ${JSON.stringify(n)}; choose from ${Object.keys(BENCHES).join(", ")}`);
      args.only = names as BenchName[];
    } else if (a === "--repetitions") args.options.repetitions = positiveInt(a, value());
    else if (a === "--warmups") args.options.warmups = positiveInt(a, value(), 0);
    else if (a === "--scale-sizes") args.scale.sizes = value().split(",").map((t) => positiveInt(a, t, 10));
    else if (a === "--scale-hours") args.scale.hours = positiveNumber(a, value());
    else if (a === "--scale-agents-per-component") args.scale.agentsPerComponent = positiveNumber(a, value(), true);
    else if (a === "--scale-wall-cap") args.scale.wallCapSeconds = positiveNumber(a, value());
    else if (a === "--scale-week") args.scale.week = true;
    else if (a === "--help" || a === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else usage(`unknown argument ${JSON.stringify(a)}`);
  }
  // --scale-week alone runs just the week (it is long); with --scale-sizes it runs after them.
  if (args.scale.week && args.scale.sizes === undefined) args.scale.series = false;
  for (const n of args.scale.sizes ?? []) if (n % 5 !== 0) usage(`--scale-sizes: each size is a multiple of 5 (shards of 5 components), got ${n}; try ${Math.round(n / 5) * 5}`);
  return args;
}

function positiveInt(flag: string, text: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) usage(`${flag} must be a whole number >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

function positiveNumber(flag: string, text: string, allowZero = false): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || (n === 0 && !allowZero)) usage(`${flag} must be a number ${allowZero ? ">= 0" : "> 0"}, got ${JSON.stringify(text)}`);
  return n;
}

function usage(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function formatFigure(value: number, unit: string): string {
  if (unit.startsWith("s")) return `${value.toFixed(2)} ${unit}`;
  return Number.isInteger(value) && Math.abs(value) < 1000 ? `${value} ${unit}` : `${formatCount(value)} ${unit}`;
}

function table(rows: BenchRow[]): string {
  const header = ["benchmark", "measured", "baseline", "ratio", "target", "verdict"];
  const body = rows.map((r) => [
    r.name,
    formatFigure(r.measured, r.unit),
    r.baseline === null ? "-" : formatFigure(r.baseline, r.unit),
    r.ratio === null ? "-" : `${r.ratio.toFixed(2)}x`,
    r.target,
    r.pass === null ? "-" : r.pass ? "PASS" : "MISS",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => b[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === 0 || c === 4 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...body.map(line)].join("\n");
}

function environment(): Record<string, string | number> {
  const cpus = os.cpus();
  return { node: process.version, platform: `${process.platform}-${process.arch}`, cpu: cpus[0]?.model ?? "unknown", cores: cpus.length };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const env = environment();
  const rows: BenchRow[] = [];
  const used: Record<string, BenchOptions & Partial<ScaleOptions>> = {};
  if (!args.json) {
    console.log(`crossfire bench: node ${env.node}, ${env.cores} x ${env.cpu}`);
    console.log("Each case: warm-up, then repetitions interleaved with its baseline; medians reported.");
    console.log("ratio = baseline rate / measured rate (slowdown, 1.00x = as fast); for absolute budgets, measured / budget.\n");
  }
  for (const name of args.only) {
    const options = { ...BENCHES[name].defaults, ...args.options };
    used[name] = name === "scale" ? { ...options, ...resolveScaleOptions(args.scale) } : options;
    if (!args.json) console.log(`running ${name} (warm-ups ${options.warmups}, repetitions ${options.repetitions})...`);
    rows.push(...(await BENCHES[name].run(options, args.scale)));
  }
  if (args.json) {
    console.log(JSON.stringify({ environment: env, options: used, rows }, null, 2));
    return;
  }
  console.log(`\n${table(rows)}\n`);
  for (const r of rows) {
    console.log(`${r.name}:`);
    for (const [k, v] of Object.entries(r.details)) console.log(`  ${k}: ${v}`);
  }
}

await main();
