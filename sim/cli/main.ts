// The `crossfire` command: a thin shell over sim/ and the only code that touches Node APIs
// (files, process, exit codes). `runCli` takes its I/O as arguments so tests run it in-process;
// bin/crossfire.mjs wires it to the real process. Exit codes: 0 pass, 1 an expectation failed,
// 2 bad input or usage, 3 internal error.
import { Command, CommanderError } from "commander";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { RunResult } from "../engine/engine.js";
import { verify } from "../log/chain.js";
import { parseRunFile, toRunFile } from "../export/run-file.js";
import { toJUnitXml, type JUnitSuite } from "../export/junit.js";
import { loadSuite, loadVariant, type ScenarioVariant } from "../scenario/load.js";
import { ScenarioError } from "../scenario/problems.js";
import { InputError } from "../core/errors.js";
import { runAndCheck, type Verdict } from "../assert/check.js";
import { summarizeRun } from "./summary.js";
import { expectationAnnotation, expectationLines, fileAnnotation, findingLines, problemAnnotation, testTable, type TestRow } from "./report.js";
import { NoFilesError, scenarioFiles } from "./files.js";

export const EXIT_PASS = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

/** Everything the CLI needs from its process; tests pass their own. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal: progress is shown only then. */
  isTTY: boolean;
  cwd: string;
  /** Wall-clock milliseconds, for reporting how long runs took (never used inside the simulation). */
  nowMs(): number;
}

class UsageError extends Error {}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export function runCli(argv: readonly string[], io: CliIO): number {
  let exitCode = EXIT_PASS;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const program = buildProgram(io, setExit);
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_PASS : EXIT_BAD_INPUT;
    if (e instanceof ScenarioError || e instanceof InputError || e instanceof UsageError || e instanceof NoFilesError) {
      io.stderr(`${e.message}\n`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`internal error (a Crossfire bug; please report it with the scenario and seed):\n${(e as Error).stack ?? e}\n`);
    return EXIT_INTERNAL;
  }
  return exitCode;
}

function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command()
    .name("crossfire")
    .description("Replay outages caused by automation racing automation: a deterministic multi-agent infrastructure simulator.")
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError()
    .addHelpText("after", "\nExit codes: 0 pass, 1 an expectation failed, 2 bad input or usage, 3 internal error.\nRun `crossfire <command> --help` for a command's options and examples.");

  program
    .command("run")
    .description("run one scenario variant and print what happened: events, findings, expectations, final hash")
    .argument("<scenario>", "scenario YAML file")
    .option("--variant <name>", "which variant to run (default: the first one the file declares)")
    .option("--seed <seed>", "override the scenario's seed")
    .option("--out <file>", "write the hash-chained event log as NDJSON (written atomically)")
    .option("--max-events <n>", "stop after this many queue events (reported, and a failed verdict)")
    .option("--json", "print one JSON object instead of text")
    .option("--quiet", "print nothing but errors (the exit code still says pass or fail)")
    .addHelpText("after", "\nExamples:\n  crossfire run scenarios/cost-vs-performance.yaml\n  crossfire run scenarios/cost-vs-performance.yaml --variant coordinated --seed 7 --out run.ndjson\n  crossfire run scenarios/cost-vs-performance.yaml --json | jq '.findings[].kind'")
    .action((file: string, opts: { variant?: string; seed?: string; out?: string; json?: boolean; quiet?: boolean; maxEvents?: string }) => {
      const variant = loadVariant(readText(file, io.cwd), file, opts.variant);
      const maxEvents = opts.maxEvents === undefined ? undefined : Number(opts.maxEvents);
      if (maxEvents !== undefined && !(Number.isInteger(maxEvents) && maxEvents > 0)) throw new UsageError(`--max-events: expected a positive whole number, found ${JSON.stringify(opts.maxEvents)}`);
      const started = io.nowMs();
      const { run, verdict } = runAndCheck(variant, { seed: parseSeed(opts.seed), maxEvents });
      const wallMs = io.nowMs() - started;
      if (opts.out) writeAtomically(resolvePath(io.cwd, opts.out), toRunFile({ scenario: variant.scenario.name, seed: run.seed, events: run.log.length, finalHash: run.finalHash }, run.log));
      if (opts.json) {
        io.stdout(`${JSON.stringify(runJson(file, variant, run, verdict, wallMs))}\n`);
      } else if (!opts.quiet) {
        const lines = summarizeRun(run, wallMs);
        const hashLine = lines.pop()!;
        lines.push(...findingLines(verdict.findings), "", ...expectationLines(verdict.expectations, file));
        if (verdict.incomplete) lines.push(`FAIL  ${verdict.incomplete}`);
        lines.push("", hashLine);
        if (variant.scenario.variant) lines[0] = `${lines[0]}  variant ${variant.name}`;
        io.stdout(`${lines.join("\n")}\n`);
        if (opts.out) io.stdout(`wrote ${opts.out}\n`);
      }
      setExit(verdict.passed ? EXIT_PASS : EXIT_FAILED);
    });

  program
    .command("test")
    .description("run every variant of every scenario and check its expectations; prints a pass/fail table")
    .argument("[paths...]", "scenario files, directories (every .yaml below) or globs; default: scenarios/")
    .option("--junit <file>", "write JUnit XML: a testsuite per scenario variant, a testcase per expectation")
    .option("--bail", "stop at the first failing variant")
    .option("--json", "print one JSON object with every variant's verdict instead of the table")
    .option("--quiet", "print only failures and the totals")
    .addHelpText("after", "\nWith GITHUB_ACTIONS=true, failures are also printed as ::error annotations at the expectation's line.\n\nExamples:\n  crossfire test\n  crossfire test scenarios/ --junit reports/crossfire.xml\n  crossfire test 'scenarios/**/*dns*.yaml' --bail")
    .action((paths: string[], opts: { junit?: string; bail?: boolean; json?: boolean; quiet?: boolean }) => {
      const files = scenarioFiles(paths, io.cwd);
      const github = io.env.GITHUB_ACTIONS === "true";
      const rows: TestRow[] = [];
      const suites: JUnitSuite[] = [];
      const outcomes: object[] = [];
      const annotations: string[] = [];
      const progress = io.isTTY && !opts.json && !opts.quiet;
      let stop = false;
      for (const [n, file] of files.entries()) {
        if (stop) break;
        const started = io.nowMs();
        let suite;
        try {
          suite = loadSuite(readText(file, io.cwd), file);
        } catch (e) {
          if (!(e instanceof ScenarioError || e instanceof UsageError)) throw e;
          setExit(EXIT_BAD_INPUT);
          const seconds = (io.nowMs() - started) / 1000;
          rows.push({ status: "ERROR", label: file, file, passed: 0, total: 0, seconds, details: e.message.split("\n").slice(1) });
          suites.push({ name: file, file, seconds, cases: [], error: { message: e.message.split("\n")[0], detail: e.message } });
          outcomes.push({ file, error: e.message });
          if (github) annotations.push(...(e instanceof ScenarioError ? e.problems.map((p) => problemAnnotation(file, p)) : [fileAnnotation(file, "crossfire: cannot read", e.message)]));
          if (opts.bail) stop = true;
          continue;
        }
        for (const variant of suite.variants) {
          const label = suite.declaresVariants ? `${suite.name} [${variant.name}]` : suite.name;
          if (progress) io.stderr(`\r\x1b[K[${n + 1}/${files.length}] ${label} ...`);
          const t0 = io.nowMs();
          const { run, verdict } = runAndCheck(variant);
          const seconds = (io.nowMs() - t0) / 1000;
          const failed = verdict.expectations.filter((r) => !r.passed);
          const details = [
            ...failed.flatMap((r) => [`FAIL ${r.name}  (${file}:${r.line}:${r.col})`, `     expected ${r.expected}; observed ${r.observed}`]),
            ...(verdict.incomplete ? [`FAIL ${verdict.incomplete}`] : []),
          ];
          rows.push({ status: verdict.passed ? "PASS" : "FAIL", label, file, passed: verdict.expectations.length - failed.length, total: verdict.expectations.length, seconds, details });
          suites.push({ name: label, file, seconds, cases: verdict.expectations, incomplete: verdict.incomplete, properties: { seed: String(run.seed), finalHash: run.finalHash, events: String(run.log.length) } });
          outcomes.push(runJson(file, variant, run, verdict, seconds * 1000));
          if (github) {
            annotations.push(...failed.map((r) => expectationAnnotation(file, variant.name, r)));
            if (verdict.incomplete) annotations.push(fileAnnotation(file, `crossfire [${variant.name}]: run incomplete`, verdict.incomplete));
          }
          if (!verdict.passed) {
            setExit(EXIT_FAILED);
            if (opts.bail) {
              stop = true;
              break;
            }
          }
        }
      }
      if (progress) io.stderr("\r\x1b[K");
      if (opts.junit) writeAtomically(resolvePath(io.cwd, opts.junit), toJUnitXml(suites));
      if (opts.json) {
        io.stdout(`${JSON.stringify({ passed: rows.every((r) => r.status === "PASS"), variants: outcomes })}\n`);
      } else {
        const shown = opts.quiet ? rows.filter((r) => r.status !== "PASS") : rows;
        const table = testTable(rows);
        io.stdout(`${(opts.quiet ? [...testTable(shown).slice(0, -1), table[table.length - 1]] : table).join("\n")}\n`);
        if (stop) io.stdout("stopped at the first failure (--bail)\n");
        if (opts.junit) io.stdout(`wrote ${opts.junit}\n`);
      }
      for (const a of annotations) io.stdout(`${a}\n`);
    });

  program
    .command("validate")
    .description("check scenario files against the schema and their references, without running them")
    .argument("<files...>", "scenario files, directories or globs")
    .addHelpText("after", "\nExamples:\n  crossfire validate scenarios/\n  crossfire validate my-scenario.yaml")
    .action((paths: string[]) => {
      for (const file of scenarioFiles(paths, io.cwd)) {
        try {
          const suite = loadSuite(readText(file, io.cwd), file);
          const expectations = suite.variants.reduce((n, v) => n + v.expectations.length, 0);
          io.stdout(`ok  ${file}: ${suite.variants.length} variant${suite.variants.length === 1 ? "" : "s"} (${suite.variants.map((v) => v.name).join(", ")}), ${expectations} expectations\n`);
        } catch (e) {
          if (!(e instanceof ScenarioError || e instanceof UsageError)) throw e;
          io.stderr(`${e.message}\n`);
          setExit(EXIT_BAD_INPUT);
        }
      }
    });

  program
    .command("verify")
    .description("check the hash chain of a saved run file and name the first bad record")
    .argument("<run>", "run file written by `crossfire run --out`")
    .addHelpText("after", "\nExample:\n  crossfire run scenarios/cost-vs-performance.yaml --out run.ndjson && crossfire verify run.ndjson")
    .action((file: string) => {
      const { header, log } = parseRunFile(readText(file, io.cwd), file);
      const result = verify(log);
      if (!result.ok) {
        io.stdout(`${file}:${result.firstBadSeq + 2}: record #${result.firstBadSeq} does not verify: ${result.reason}\n`);
        setExit(EXIT_FAILED);
        return;
      }
      if (result.headHash !== header.finalHash) {
        io.stdout(`${file}: chain verifies but ends at ${result.headHash}, not the header's finalHash ${header.finalHash} (records missing at the end?)\n`);
        setExit(EXIT_FAILED);
        return;
      }
      io.stdout(`${file}: ${result.count} records verify; final hash ${result.headHash}\n`);
    });

  return program;
}

/** The `--json` shape of one run: the fields CI scripts and other tools read. */
function runJson(file: string, variant: ScenarioVariant, run: RunResult, verdict: Verdict, wallMs: number) {
  return {
    scenario: variant.scenario.name,
    variant: variant.name,
    file,
    seed: run.seed,
    finalHash: run.finalHash,
    events: run.log.length,
    stopReason: run.stopReason,
    passed: verdict.passed,
    ...(verdict.incomplete ? { incomplete: verdict.incomplete } : {}),
    findings: verdict.findings.map((f) => ({ kind: f.kind, severity: f.severity, subjects: f.subjects, actors: f.actors, components: f.components, knob: f.knob, from: f.from, to: f.to, witnesses: f.witnesses, rootCauses: f.rootCauses, metrics: f.metrics, explanation: f.explanation })),
    expectations: verdict.expectations.map((e) => ({ name: e.name, kind: e.kind, passed: e.passed, observed: e.observed, expected: e.expected, line: e.line, col: e.col })),
    stats: run.stats,
    wallMs: Math.round(wallMs),
  };
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith("/") ? file : `${cwd}/${file}`;
}

function readText(file: string, cwd: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolvePath(cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read (${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (e as Error).message})`);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`${file}:1:1: expected UTF-8 text, found bytes that are not UTF-8; hint: is this a binary file?`);
  }
}

/** Writes through a temporary file and renames, so a failed run never leaves half a file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function parseSeed(text: string | undefined): string | number | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}
