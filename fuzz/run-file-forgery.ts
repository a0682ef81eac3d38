// The "run-files" fuzz target: forged run files (hostile values in every field, records added,
// removed and reordered, telemetry dropped or damaged, the chain recomputed most of the time) fed
// to the real CLI in-process. `verify` refuses them or every analysis command works and writes
// only the structure its generator writes.
import fc from "fast-check";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAndCheck } from "../sim/assert/check.js";
import { runCli } from "../sim/cli/main.js";
import { toRunFile } from "../sim/export/run-file.js";
import { loadSuite } from "../sim/scenario/load.js";
import { dotProblems, jsonLinesProblems, reportProblems, reportShape, shivizProblems, terminalProblems, type ReportShape } from "./export-structure.js";
import { applyForgery, forgery, splitRunFile, type Forgery, type RunFileParts } from "./run-file-forger.js";
import type { FuzzFailure, FuzzOptions, FuzzReport, FuzzTarget } from "./target.js";

/** Small library runs (few events, little telemetry) the forgeries start from, so a case costs milliseconds. */
const BASES: readonly { file: string; variant: string }[] = [
  { file: "docs/examples/first-scenario.yaml", variant: "brownout" },
  { file: "scenarios/retry-storm.yaml", variant: "blind" },
  { file: "scenarios/hpa-vpa-thrash.yaml", variant: "blind" },
  { file: "scenarios/cost-vs-performance.yaml", variant: "blind" },
  { file: "scenarios/azure-front-door-lkg.yaml", variant: "validated" },
];

/** A case slower than this is a failure: analysis of a small file must not hang on forged numbers. */
const CASE_MS_MAX = 20_000;
/** How much of a failing input a report shows. */
const INPUT_CHARS_MAX = 4000;

interface Base {
  /** The honest run file's name in the work directory. */
  name: string;
  parts: RunFileParts;
}

interface Fixture {
  dir: string;
  bases: Base[];
  report: ReportShape;
}

let fixture: Fixture | undefined;

/** Honest run files written once per process, with the shape of their HTML reports. */
function honestFixture(): Fixture {
  if (fixture) return fixture;
  const dir = mkdtempSync(join(tmpdir(), "crossfire-fuzz-run-files-"));
  const bases: Base[] = [];
  const reports: string[] = [];
  BASES.forEach(({ file, variant }, i) => {
    const text = readFileSync(fileURLToPath(new URL(`../${file}`, import.meta.url)), "utf8");
    const v = loadSuite(text, file).variants.find((x) => x.name === variant);
    if (!v) throw new Error(`run-files fuzz target: ${file} has no variant ${variant}; update BASES in fuzz/run-file-forgery.ts`);
    const { run } = runAndCheck(v);
    const runFile = toRunFile({ scenario: run.scenario.name, variant: v.name, seed: run.seed, finalHash: run.finalHash, scenarioText: text, scenarioFile: file }, run.log, run.telemetry);
    const name = `honest-${i}.ndjson`;
    writeFileSync(join(dir, name), runFile);
    bases.push({ name, parts: splitRunFile(runFile) });
    const html = cli(dir, ["export", name, "--format", "html"]);
    if (html.code !== 0) throw new Error(`run-files fuzz target: the honest report of ${file} [${variant}] exits ${html.code}: ${html.stderr}`);
    reports.push(html.stdout);
  });
  fixture = { dir, bases, report: reportShape(reports) };
  return fixture;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `crossfire ...args` in-process in `cwd`; an exception that escapes runCli is exit "thrown". */
function cli(cwd: string, args: string[]): CliResult {
  let stdout = "";
  let stderr = "";
  let clock = 0;
  try {
    const code = runCli(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, isTTY: false, cwd, nowMs: () => (clock += 100) });
    return { code, stdout, stderr };
  } catch (e) {
    return { code: -1, stdout, stderr: `${stderr}thrown: ${(e as Error).stack ?? e}` };
  }
}

/** Exit codes seen per command, for the coverage line a batch logs (how many forgeries got past verify). */
type Coverage = Map<string, number>;

/** The problems of one forged case (empty when the property holds). */
function checkCase(plan: Forgery, coverage: Coverage): { problems: string[]; text: string } {
  const { dir, bases, report } = honestFixture();
  const base = bases[plan.base % bases.length];
  const text = applyForgery(base.parts, plan);
  const file = "forged.ndjson";
  writeFileSync(join(dir, file), text);
  const problems: string[] = [];
  /** Runs a command and checks its exit code is one of `allowed`; returns its result. */
  const run = (args: string[], allowed: readonly number[]): CliResult => {
    const r = cli(dir, args);
    const key = `${args[0]}${args[0] === "export" ? ` ${args.slice(2).join(" ").replace(/\d+/g, "N")}` : ""} ${r.code}`;
    coverage.set(key, (coverage.get(key) ?? 0) + 1);
    if (!allowed.includes(r.code)) {
      const detail = r.stderr.split("\n").slice(0, 4).join(" | ").slice(0, 600);
      problems.push(`crossfire ${args.join(" ")} exits ${r.code}, expected ${allowed.join(" or ")}: ${detail}`);
    }
    problems.push(...terminalProblems(r.stderr).map((p) => `crossfire ${args.join(" ")} stderr: ${p}`));
    return r;
  };

  const verified = run(["verify", file], [0, 1, 2]);
  problems.push(...terminalProblems(verified.stdout).map((p) => `verify stdout: ${p}`));
  if (verified.code !== 0) {
    // What verify refuses, analysis refuses too (it opens files through the same checks).
    run(["export", file, "--format", "shiviz"], [2]);
    return { problems, text };
  }
  const records = text.split("\n").length - 3;
  const seq = String(plan.explainSeq % Math.max(1, records));
  const explained = run(["explain", file, seq], [0, 1, 2]);
  if (explained.code === 0) problems.push(...terminalProblems(explained.stdout).map((p) => `explain stdout: ${p}`));
  const compared = run(["compare", file, base.name], [0, 1, 2]);
  if (compared.code === 0) problems.push(...terminalProblems(compared.stdout).map((p) => `compare stdout: ${p}`));
  const html = run(["export", file, "--format", "html"], [0, 1, 2]);
  if (html.code === 0) problems.push(...reportProblems(html.stdout, report).map((p) => `html: ${p}`));
  const dot = run(["export", file, "--format", "dot"], [0, 1, 2]);
  if (dot.code === 0) problems.push(...dotProblems(dot.stdout).map((p) => `dot: ${p}`));
  const neighbourhood = run(["export", file, "--format", "dot", "--event", seq], [0, 1, 2]);
  if (neighbourhood.code === 0) problems.push(...dotProblems(neighbourhood.stdout).map((p) => `dot --event ${seq}: ${p}`));
  const shiviz = run(["export", file, "--format", "shiviz"], [0, 1, 2]);
  if (shiviz.code === 0) problems.push(...shivizProblems(shiviz.stdout).map((p) => `shiviz: ${p}`));
  const otlp = run(["export", file, "--format", "otlp"], [0, 1, 2]);
  if (otlp.code === 0) problems.push(...jsonLinesProblems(otlp.stdout).map((p) => `otlp: ${p}`));
  return { problems, text };
}

/** The plan a case seed stands for: one fast-check sample, so a case reproduces alone. */
export function forgeryOfCase(caseSeed: number): Forgery {
  return fc.sample(forgery, { seed: caseSeed, numRuns: 1 })[0];
}

/** The forged run-file text of a case (for reproducing a failure by hand). */
export function forgedRunFileOfCase(caseSeed: number): string {
  const { bases } = honestFixture();
  const plan = forgeryOfCase(caseSeed);
  return applyForgery(bases[plan.base % bases.length].parts, plan);
}

function elide(text: string): string {
  return text.length > INPUT_CHARS_MAX ? `${text.slice(0, INPUT_CHARS_MAX / 2)} ... (${text.length - INPUT_CHARS_MAX} characters) ... ${text.slice(-INPUT_CHARS_MAX / 2)}` : text;
}

/** Case seeds of a batch, drawn deterministically from its seed (splitmix32: distinct, unbiased, unlike fc.sample of integers). */
function caseSeeds(seed: number, cases: number): number[] {
  const seeds: number[] = [];
  let state = seed | 0;
  for (let i = 0; i < cases; i++) {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    seeds.push((z ^ (z >>> 16)) >>> 1);
  }
  return seeds;
}

export const runFileForgery: FuzzTarget = {
  name: "run-files",
  property: "a forged run file is refused by verify (exit 1 or 2), or explain, compare and every export exit 0-2 and write only their generator's structure (HTML elements, attributes and scripts; DOT outside strings; ShiViz and OTLP lines)",
  async run(options: FuzzOptions): Promise<FuzzReport> {
    honestFixture();
    const seeds = options.caseSeed !== undefined ? [options.caseSeed] : caseSeeds(options.seed, options.cases);
    const failures: FuzzFailure[] = [];
    const coverage: Coverage = new Map();
    let tried = 0;
    for (const caseSeed of seeds) {
      if (options.caseSeed === undefined && options.deadlineMs !== undefined && Date.now() > options.deadlineMs) break;
      const plan = forgeryOfCase(caseSeed);
      const started = Date.now();
      let result: { problems: string[]; text: string };
      try {
        result = checkCase(plan, coverage);
      } catch (e) {
        result = { problems: [`the fuzz harness threw: ${(e as Error).stack ?? e}`], text: "" };
      }
      const elapsedMs = Date.now() - started;
      if (elapsedMs > CASE_MS_MAX) result.problems.push(`took ${elapsedMs} ms (budget ${CASE_MS_MAX} ms)`);
      tried++;
      if (result.problems.length > 0) {
        failures.push({ caseSeed, what: result.problems.join("; ").slice(0, 2000), input: elide(`plan ${JSON.stringify(plan)}\nfile ${result.text}`) });
        options.log?.(`run-files: case-seed=${caseSeed} FAILED: ${result.problems[0].slice(0, 300)}`);
      }
      if (options.log && tried % 100 === 0) options.log(`run-files: ${tried} cases, ${failures.length} failures`);
    }
    options.log?.(`run-files: exit codes ${[...coverage].sort().map(([k, n]) => `${k}: ${n}`).join(", ")}`);
    return { target: "run-files", seed: options.seed, tried, failures };
  },
};
