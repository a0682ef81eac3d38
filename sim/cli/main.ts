// The `crossfire` command: a thin shell over sim/ and the only code that touches Node APIs
// (files, process, exit codes). `runCli` takes its I/O as arguments so tests run it in-process;
// bin/crossfire.mjs wires it to the real process. Exit codes: 0 pass, 1 an expectation failed,
// 2 bad input or usage, 3 internal error.
import { Command, CommanderError } from "commander";
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ed25519 } from "@noble/curves/ed25519.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { tooLargeProblem } from "../core/file-size.js";
import type { RunResult } from "../engine/engine.js";
import { parseRunFile, toRunFile } from "../export/run-file.js";
import { toJUnitXml, type JUnitSuite } from "../export/junit.js";
import { loadSuite, loadVariant, type ScenarioSuite, type ScenarioVariant } from "../scenario/load.js";
import { ScenarioError, formatPath } from "../scenario/problems.js";
import { expandToYaml } from "../scenario/expand.js";
import { InputError } from "../core/errors.js";
import { checkRun, runAndCheck, type Verdict } from "../assert/check.js";
import { summarizeRun } from "./summary.js";
import { expectationAnnotation, expectationLines, fileAnnotation, findingLines, problemAnnotation, testTable, vacuousLines, warningAnnotation, warningText, type TestRow } from "./report.js";
import { NoFilesError, scenarioFiles } from "./files.js";
import { comparisonLines } from "./compare-report.js";
import { explainLines } from "./explain.js";
import { NoSuchSignalError, selectColumns, telemetryCsv, telemetryJson } from "../export/telemetry-table.js";
import { otlpEpochEndingAt, toOtlpJsonLines } from "../export/otlp.js";
import { toShiVizLog } from "../export/shiviz.js";
import { seedFromText } from "../core/seed.js";
import { causalGraphDot, neighbourhoodDot } from "../export/dot.js";
import { buildCausalGraph, neighbourhoodLayout } from "../causal/index.js";
import { compareRuns, type RunSide } from "../whatif/compare.js";
import { whatIf } from "../whatif/whatif.js";
import { describeIntervention, type Intervention } from "../engine/interventions.js";
import { openRunFile } from "../export/saved-run.js";
import { checkRunFile } from "../export/run-file-check.js";
import { keyFingerprint, keyPairPem, parsePublicKey, parseSecretKey, signFinalHash } from "../export/signing.js";
import { formatTime, parseDuration } from "../core/units.js";
import { registerSweep } from "./sweep.js";
import { registerServe } from "./serve.js";
import { htmlReportOf } from "./html-report-of.js";
import { markdownSummary, type SummaryRow } from "./step-summary.js";
import { findingCounts, slug, uniqueName } from "./test-outputs.js";
import { packageVersion } from "./version.js";
import { terminalText } from "./terminal-text.js";
import { storyOfRun } from "../story/of-run.js";
import { storyLines, systemWords } from "./story-lines.js";

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
  /** Unix time in ms, for `export --format otlp --epoch now` (absent: the process's clock). */
  unixMs?(): number;
}

export class UsageError extends Error {}

/**
 * Runs the command line `argv` (without node and the script) and returns the exit code. Every
 * command but `sweep` completes synchronously here; the binary uses runCliAsync.
 */
export function runCli(argv: readonly string[], io: CliIO): number {
  let exitCode = EXIT_PASS;
  const program = buildProgram(io, (code) => (exitCode = Math.max(exitCode, code)));
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    return failureExitCode(e, io);
  }
  return exitCode;
}

/** runCli with commander's parseAsync, so asynchronous actions (`sweep` waits for worker threads) finish first. */
export async function runCliAsync(argv: readonly string[], io: CliIO): Promise<number> {
  let exitCode = EXIT_PASS;
  const program = buildProgram(io, (code) => (exitCode = Math.max(exitCode, code)));
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    return failureExitCode(e, io);
  }
  return exitCode;
}

/** The exit code for what a command threw, after saying what went wrong: 2 for bad input or usage, 3 for a bug. */
function failureExitCode(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_PASS : EXIT_BAD_INPUT;
  if (e instanceof ScenarioError || e instanceof InputError || e instanceof UsageError || e instanceof NoFilesError) {
    io.stderr(`${terminalText(e.message)}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stderr(`internal error (a Crossfire bug; please report it with the scenario and seed):\n${(e as Error).stack ?? e}\n`);
  return EXIT_INTERNAL;
}

/** The `crossfire` program with every command; runCli parses it synchronously, runCliAsync with parseAsync. */
export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command()
    .name("crossfire")
    .description("Replay outages caused by automation racing automation: a deterministic multi-agent infrastructure simulator.")
    .version(packageVersion(), "-V, --version", "print Crossfire's version")
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
    .option("--sign <private-key>", "sign the run file's final hash with this Ed25519 key (PEM or hex; needs --out)")
    .option("--json", "print one JSON object instead of text")
    .option("--quiet", "print nothing but errors (the exit code still says pass or fail)")
    .addHelpText("after", "\nExamples:\n  crossfire run scenarios/cost-vs-performance.yaml\n  crossfire run scenarios/cost-vs-performance.yaml --variant coordinated --seed 7 --out run.ndjson\n  crossfire run scenarios/cost-vs-performance.yaml --out run.ndjson --sign ci-key.pem\n  crossfire run scenarios/cost-vs-performance.yaml --json | jq '.findings[].kind'")
    .action((file: string, opts: { variant?: string; seed?: string; out?: string; sign?: string; json?: boolean; quiet?: boolean; maxEvents?: string }) => {
      if (opts.sign !== undefined && opts.out === undefined) throw new UsageError("--sign: signs the run file, so it needs --out <file>");
      // The key is read before the run, so a bad key fails in a second, not after a long run.
      const secretKey = opts.sign === undefined ? undefined : readKey(opts.sign, io.cwd, parseSecretKey);
      const text = readText(file, io.cwd);
      const variant = loadVariant(text, file, opts.variant);
      for (const w of variant.warnings ?? []) io.stderr(`${warningText(file, w)}\n`);
      const maxEvents = parseMaxEvents(opts.maxEvents);
      const started = io.nowMs();
      const { run, verdict } = runAndCheck(variant, { seed: parseSeed(opts.seed), maxEvents });
      const wallMs = io.nowMs() - started;
      const signature = secretKey === undefined ? undefined : signFinalHash(run.finalHash, secretKey);
      if (opts.out) writeAtomically(resolvePath(io.cwd, opts.out), toRunFile({ scenario: variant.scenario.name, variant: variant.scenario.variant, seed: run.seed, finalHash: run.finalHash, scenarioText: text, scenarioFile: file, signature }, run.log, run.telemetry));
      if (opts.json) {
        io.stdout(`${JSON.stringify(runJson(file, variant, run, verdict, wallMs))}\n`);
      } else if (!opts.quiet) {
        const lines = summarizeRun(run, wallMs);
        const hashLine = lines.pop()!;
        lines.push(...findingLines(verdict.findings), "", ...expectationLines(verdict.expectations, file));
        if (verdict.incomplete) lines.push(`FAIL  ${verdict.incomplete}`);
        lines.push("", hashLine);
        if (variant.scenario.variant) lines[0] = `${lines[0]}  variant ${variant.name}`;
        // The story first: what happened and what the verdict means, then the detail behind it.
        lines.unshift(...storyLines(storyOfRun(variant, run, verdict)), "");
        io.stdout(`${terminalText(lines.join("\n"))}\n`);
        if (opts.out) io.stdout(`wrote ${opts.out}${signature ? ` (signed by key ${keyFingerprint(hexToBytes(signature.publicKey))})` : ""}\n`);
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
    .option("--max-events <n>", "stop each run after this many queue events (a run cut short fails)")
    .option("--reports <dir>", "write an HTML report per scenario variant into this directory")
    .option("--summary <file>", "append a Markdown table of the verdicts and findings (e.g. \"$GITHUB_STEP_SUMMARY\")")
    .addHelpText("after", "\nWith GITHUB_ACTIONS=true, failures are also printed as ::error annotations at the expectation's line.\n\nExamples:\n  crossfire test\n  crossfire test scenarios/ --junit reports/crossfire.xml\n  crossfire test scenarios/ --reports reports/ --summary \"$GITHUB_STEP_SUMMARY\"\n  crossfire test 'scenarios/**/*dns*.yaml' --bail")
    .action((paths: string[], opts: { junit?: string; bail?: boolean; json?: boolean; quiet?: boolean; maxEvents?: string; reports?: string; summary?: string }) => {
      const maxEvents = parseMaxEvents(opts.maxEvents);
      const reportsDir = opts.reports === undefined ? undefined : resolvePath(io.cwd, opts.reports);
      if (reportsDir) mkdirSync(reportsDir, { recursive: true });
      const reportNames = new Set<string>();
      const summaryRows: SummaryRow[] = [];
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
          summaryRows.push({ row: rows[rows.length - 1], findings: [] });
          if (github) annotations.push(...(e instanceof ScenarioError ? e.problems.map((p) => problemAnnotation(file, p)) : [fileAnnotation(file, "crossfire: cannot read", e.message)]));
          if (opts.bail) stop = true;
          continue;
        }
        for (const w of suite.warnings) {
          io.stderr(`${warningText(file, w)}\n`);
          if (github) annotations.push(warningAnnotation(file, `crossfire: expectation can never match (${formatPath(w.path)})`, w.line, w.col, `expected ${w.expected}, found ${w.found}${w.hint ? `; hint: ${w.hint}` : ""}`));
        }
        for (const variant of suite.variants) {
          const label = suite.declaresVariants ? `${suite.name} [${variant.name}]` : suite.name;
          if (progress) io.stderr(`\r\x1b[K[${n + 1}/${files.length}] ${label} ...`);
          const t0 = io.nowMs();
          const { run, verdict } = runAndCheck(variant, { maxEvents });
          const seconds = (io.nowMs() - t0) / 1000;
          const failed = verdict.expectations.filter((r) => !r.passed);
          const details = [
            ...failed.flatMap((r) => [`FAIL ${r.name}  (${file}:${r.line}:${r.col})`, `     expected ${r.expected}; observed ${r.observed}`]),
            ...(verdict.incomplete ? [`FAIL ${verdict.incomplete}`] : []),
            ...vacuousLines(verdict.expectations, file),
          ];
          const story = storyOfRun(variant, run, verdict);
          rows.push({ status: verdict.passed ? "PASS" : "FAIL", label, file, passed: verdict.expectations.length - failed.length, total: verdict.expectations.length, seconds, details, verdict: story.verdict.text, system: story.system.state, systemWords: systemWords(story.system) });
          suites.push({ name: label, file, seconds, cases: verdict.expectations, incomplete: verdict.incomplete, verdict: story.verdict.text, system: systemWords(story.system), properties: { seed: String(run.seed), finalHash: run.finalHash, events: String(run.log.length), verdict: story.verdict.text, system: story.system.text } });
          outcomes.push(runJson(file, variant, run, verdict, seconds * 1000, story));
          let report: string | undefined;
          if (reportsDir) {
            report = uniqueName(`${slug(suite.name)}${suite.declaresVariants ? `-${slug(variant.name)}` : ""}`, reportNames, ".html");
            writeAtomically(join(reportsDir, report), htmlReportOf(run, { variant: variant.scenario.variant, seed: run.seed, finalHash: run.finalHash, scenarioFile: file, scenarioText: suite.variants.length > 0 ? readText(file, io.cwd) : undefined, fileDescription: variant.fileDescription }, verdict.findings, verdict.expectations));
          }
          summaryRows.push({ row: rows[rows.length - 1], findings: findingCounts(verdict.findings), finalHash: run.finalHash, report: report && opts.reports ? join(opts.reports, report) : undefined });
          if (github) {
            annotations.push(...failed.map((r) => expectationAnnotation(file, variant.name, r)));
            annotations.push(...verdict.expectations.filter((r) => r.passed && r.vacuous !== undefined).map((r) => warningAnnotation(file, `crossfire [${variant.name}]: vacuous pass: ${r.name}`, r.line, r.col, `passed (vacuous: ${r.vacuous})`)));
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
      if (opts.summary) appendSummary(resolvePath(io.cwd, opts.summary), markdownSummary(summaryRows));
      if (opts.json) {
        io.stdout(`${JSON.stringify({ passed: rows.every((r) => r.status === "PASS"), variants: outcomes })}\n`);
      } else {
        const shown = opts.quiet ? rows.filter((r) => r.status !== "PASS") : rows;
        const table = testTable(rows);
        io.stdout(`${(opts.quiet ? [...testTable(shown).slice(0, -1), table[table.length - 1]] : table).join("\n")}\n`);
        if (stop) io.stdout("stopped at the first failure (--bail)\n");
        if (opts.junit) io.stdout(`wrote ${opts.junit}\n`);
        if (opts.reports) io.stdout(`wrote ${summaryRows.filter((r) => r.report).length} HTML reports to ${opts.reports}\n`);
      }
      for (const a of annotations) io.stdout(`${a}\n`);
    });

  program
    .command("validate")
    .description("check scenario files against the schema and their references, without running them")
    .argument("<files...>", "scenario files, directories or globs")
    .option("--strict", "treat warnings (expectations that can never match) as errors: exit 2")
    .addHelpText("after", "\nWarnings (an expectation that can never match: unknown record type or data key) go to stderr and do not fail\nvalidation unless --strict.\n\nExamples:\n  crossfire validate scenarios/\n  crossfire validate my-scenario.yaml --strict")
    .action((paths: string[], opts: { strict?: boolean }) => {
      for (const file of scenarioFiles(paths, io.cwd)) {
        try {
          const suite = loadSuite(readText(file, io.cwd), file);
          const expectations = suite.variants.reduce((n, v) => n + v.expectations.length, 0);
          for (const w of suite.warnings) io.stderr(`${warningText(file, w)}\n`);
          const warned = suite.warnings.length === 0 ? "" : `, ${suite.warnings.length} warning${suite.warnings.length === 1 ? "" : "s"}`;
          if (opts.strict && suite.warnings.length > 0) {
            io.stderr(`${file}: ${suite.warnings.length} warning${suite.warnings.length === 1 ? "" : "s"} (--strict makes them errors)\n`);
            setExit(EXIT_BAD_INPUT);
            continue;
          }
          io.stdout(`ok  ${file}: ${suite.variants.length} variant${suite.variants.length === 1 ? "" : "s"} (${suite.variants.map((v) => v.name).join(", ")}), ${expectations} expectations${warned}\n`);
        } catch (e) {
          if (!(e instanceof ScenarioError || e instanceof UsageError)) throw e;
          io.stderr(`${e.message}\n`);
          setExit(EXIT_BAD_INPUT);
        }
      }
    });

  program
    .command("compare")
    .description("two runs side by side: findings, expectations, key signals, cost, the first difference in meaning and where the hash chains part")
    .argument("<a>", "a run file (crossfire run --out) or a scenario file")
    .argument("[b]", "a second run file; leave out to compare two variants of scenario <a>")
    .option("--variants <a,b>", "with a scenario: the two variants to compare (default: its first two)")
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExamples:\n  crossfire compare scenarios/cost-vs-performance.yaml                  # blind vs coordinated\n  crossfire compare blind.ndjson coordinated.ndjson")
    .action((a: string, b: string | undefined, opts: { variants?: string; json?: boolean }) => {
      let sides: [AnalysedRun, AnalysedRun];
      if (b !== undefined) {
        sides = [analyse(a, io, {}), analyse(b, io, {})];
      } else {
        const text = readText(a, io.cwd);
        const suite = loadSuite(text, a);
        const names = opts.variants ? opts.variants.split(",").map((n) => n.trim()) : suite.variants.slice(0, 2).map((v) => v.name);
        if (names.length !== 2 || suite.variants.length < 2) throw new UsageError(`${a}: compare needs two variants (the scenario has ${suite.variants.map((v) => v.name).join(", ")}); pass --variants a,b or two run files`);
        sides = [analyse(a, io, { variant: names[0] }), analyse(a, io, { variant: names[1] })];
      }
      const comparison = compareRuns(sides[0].side, sides[1].side);
      if (opts.json) io.stdout(`${JSON.stringify(comparison)}\n`);
      else io.stdout(`${terminalText(comparisonLines(comparison, sides[0].side.view.log, sides[1].side.view.log).join("\n"))}\n`);
    });

  program
    .command("whatif")
    .description("re-run a scenario with an intervention and compare: identical up to the intervention (checked by hash), different after it")
    .argument("<scenario>", "scenario YAML file")
    .option("--variant <name>", "which variant to run (default: the first)")
    .option("--seed <seed>", "override the scenario's seed")
    .option("--block <seq>", "suppress the agent command recorded as #seq", collect, [])
    .option("--mute <agent@time>", "suppress every command of an agent from a time on, e.g. cost@1h", collect, [])
    .option("--policy <variant[.policy]@time>", "switch on the coordination of another variant (or one of its policies) from a time on, e.g. coordinated@2h or coordinated.lease@2h", collect, [])
    .option("--json", "print one JSON object")
    .addHelpText("after", "\nExamples:\n  crossfire whatif scenarios/cost-vs-performance.yaml --block 2\n  crossfire whatif scenarios/cost-vs-performance.yaml --mute cost@1h\n  crossfire whatif scenarios/cost-vs-performance.yaml --variant blind --policy coordinated@2h")
    .action((file: string, opts: { variant?: string; seed?: string; block: string[]; mute: string[]; policy: string[]; json?: boolean }) => {
      const text = readText(file, io.cwd);
      const suite = loadSuite(text, file);
      const variant = loadVariant(text, file, opts.variant);
      const interventions = parseInterventions(opts, suite);
      if (interventions.length === 0) throw new UsageError("whatif: give at least one intervention: --block SEQ, --mute AGENT@TIME or --policy VARIANT@TIME");
      const w = whatIf(variant, interventions, parseSeed(opts.seed));
      if (opts.json) {
        io.stdout(`${JSON.stringify({ interventions, prefix: w.prefix, outcome: w.outcome, stories: w.stories, comparison: w.comparison })}\n`);
        return;
      }
      const lines = [
        `what if: ${interventions.map((i) => describeIntervention(i, formatTime)).join("; ")}  (${variant.scenario.name}${variant.scenario.variant ? ` [${variant.name}]` : ""}, seed ${w.original.run.seed})`,
        w.prefix,
        ...w.outcome,
        "",
        ...comparisonLines(w.comparison, w.original.run.log, w.altered.run.log),
      ];
      io.stdout(`${lines.join("\n")}\n`);
    });

  program
    .command("explain")
    .description("one event in words: the record, its causes as a tree, its root causes and what followed from it")
    .argument("<run>", "a run file (crossfire run --out) or a scenario file (run first)")
    .argument("<seq>", "the #seq of the event (the first column of `crossfire run`)")
    .option("--variant <name>", "with a scenario: which variant to run (default: the first)")
    .option("--seed <seed>", "with a scenario: override its seed")
    .option("--depth <n>", "levels of causes to show", "4")
    .addHelpText("after", "\nExamples:\n  crossfire explain scenarios/cost-vs-performance.yaml 37\n  crossfire explain run.ndjson 812 --depth 8")
    .action((file: string, seqText: string, opts: { variant?: string; seed?: string; depth: string }) => {
      const { side } = analyse(file, io, opts);
      const log = side.view.log;
      if (!/^#?\d+$/.test(seqText) || Number(seqText.replace("#", "")) >= log.length) throw new UsageError(`explain: expected the #seq of a record of this run (0..${log.length - 1}), found ${JSON.stringify(seqText)}`);
      const depth = Number(opts.depth);
      if (!(Number.isInteger(depth) && depth > 0)) throw new UsageError(`--depth: expected a positive whole number, found ${JSON.stringify(opts.depth)}`);
      const agents = side.view.scenario.agents.map((a) => a.id);
      io.stdout(`${terminalText(explainLines(log, Number(seqText.replace("#", "")), agents, side.findings, depth).join("\n"))}\n`);
    });

  program
    .command("expand")
    .description("print a scenario with its templates (forEach, ${...}, definitions, merge keys) expanded, as YAML")
    .argument("<file>", "a scenario file")
    .option("--variant <name>", "print this variant merged into the base: exactly what `run --variant` runs")
    .addHelpText("after", "\nWithout --variant the whole file is printed, every variant's overrides expanded.\n\nExamples:\n  crossfire expand docs/examples/twenty-sites.yaml\n  crossfire expand docs/examples/twenty-sites.yaml --variant coordinated > coordinated.yaml")
    .action((file: string, opts: { variant?: string }) => {
      io.stdout(expandToYaml(readText(file, io.cwd), file, opts.variant));
    });

  program
    .command("telemetry")
    .description("a run's signals over time as CSV or JSON, one column per component.signal")
    .argument("<run>", "a run file (crossfire run --out) or a scenario file (run first)")
    .option("--signals <patterns>", "comma-separated component.signal patterns, * matches anything (default: every column)")
    .option("--format <format>", "csv | json", "csv")
    .option("--variant <name>", "with a scenario: which variant to run (default: the first)")
    .option("--seed <seed>", "with a scenario: override its seed")
    .addHelpText("after", "\nExamples:\n  crossfire telemetry scenarios/retry-storm.yaml --signals 'api.*,clients.amplification'\n  crossfire telemetry run.ndjson --signals '*.errorRate' --format json")
    .action((file: string, opts: { signals?: string; format: string; variant?: string; seed?: string }) => {
      if (opts.format !== "csv" && opts.format !== "json") throw new UsageError(`--format: expected csv or json, found ${JSON.stringify(opts.format)}`);
      const patterns = (opts.signals ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
      const { side, meta } = analyse(file, io, opts);
      const telemetry = side.view.telemetry;
      let columns;
      try {
        columns = selectColumns(telemetry, patterns);
      } catch (e) {
        if (e instanceof NoSuchSignalError) throw new UsageError(e.message);
        throw e;
      }
      io.stdout(opts.format === "csv" ? telemetryCsv(telemetry, columns) : telemetryJson(telemetry, columns, { scenario: side.view.scenario.name, variant: meta.variant ?? null, seed: meta.seed }));
    });

  program
    .command("export")
    .description("write a run as OTLP traces, a DOT causal graph, a self-contained HTML report, or a ShiViz log")
    .argument("<run>", "a run file (crossfire run --out) or a scenario file (run first)")
    .requiredOption("--format <format>", "otlp | dot | html | shiviz")
    .option("--out <file>", "write here (atomically) instead of standard output")
    .option("--variant <name>", "with a scenario: which variant to run (default: the first)")
    .option("--seed <seed>", "with a scenario: override its seed")
    .option("--event <seq>", "dot: only this event's neighbourhood (its causes and what followed)")
    .option("--max-nodes <n>", "dot: most records drawn (default 400 for the whole graph, 60 for --event); beyond it the findings' witnesses and their causal neighbourhood are kept")
    .option("--epoch <when>", "otlp: `now` (default: the run ends at the moment of export) or an ISO 8601 time with a zone for simulated time 0 (byte-identical exports)")
    .option("--service-per-actor", "otlp: one service (resource) per actor instead of one `crossfire` service")
    .option("--spans-max <n>", "otlp: export spans for the first n records only (the trace stays causally closed)")
    .addHelpText(
      "after",
      "\nExamples:\n  crossfire export run.ndjson --format otlp --out trace.otlp.jsonl   # one request per line, each <= 1 MiB\n  crossfire export run.ndjson --format otlp --epoch 2025-01-01T00:00:00Z --service-per-actor\n  crossfire export scenarios/cost-vs-performance.yaml --format html --out report.html\n  crossfire export run.ndjson --format dot --event 37 | dot -Tsvg > event37.svg\n  crossfire export run.ndjson --format dot --max-nodes 1000 > run.dot             # more than the default 400 records\n  crossfire export run.ndjson --format shiviz --out run.shiviz.log\n\nSee docs/exports.md for what maps to what.",
    )
    .action((file: string, opts: { format: string; out?: string; variant?: string; seed?: string; event?: string; maxNodes?: string; epoch?: string; servicePerActor?: boolean; spansMax?: string }) => {
      const formats = ["otlp", "dot", "html", "shiviz"];
      if (!formats.includes(opts.format)) throw new UsageError(`--format: expected one of ${formats.join(", ")}, found ${JSON.stringify(opts.format)}`);
      const maxNodes = parsePositiveWhole("--max-nodes", opts.maxNodes);
      if (maxNodes !== undefined && opts.format !== "dot") throw new UsageError(`--max-nodes: applies to --format dot only, found --format ${opts.format}`);
      const otlpFlags = [opts.epoch !== undefined && "--epoch", opts.servicePerActor && "--service-per-actor", opts.spansMax !== undefined && "--spans-max"].filter(Boolean);
      if (opts.format !== "otlp" && otlpFlags.length > 0) throw new UsageError(`${otlpFlags.join(", ")}: only for --format otlp, found --format ${opts.format}`);
      // Flags are checked before the run, so a typo fails at once rather than after a long run.
      const epoch = parseEpoch(opts.epoch ?? "now");
      const spansMax = opts.spansMax === undefined ? undefined : parseSpansMax(opts.spansMax);
      const { side, meta } = analyse(file, io, opts);
      const { view, findings } = side;
      const agents = view.scenario.agents.map((a) => a.id);
      let text: string;
      if (opts.format === "otlp") {
        // The clock is read here, in the shell: sim/export takes the epoch as a number.
        const epochMs = epoch === "now" ? otlpEpochEndingAt(view.log, io.unixMs ? io.unixMs() : Date.now()) : epoch;
        if (epochMs < 0) throw new UsageError(`--epoch: simulated time 0 would fall before 1970 (${epochMs} ms), which OTLP cannot carry; give a later time`);
        text = toOtlpJsonLines(
          { scenario: view.scenario.name, variant: meta.variant, seed: meta.seed, finalHash: side.finalHash, log: view.log, findings },
          { epochMs, servicePerActor: opts.servicePerActor === true, spansMax },
        );
      } else if (opts.format === "shiviz") {
        text = toShiVizLog({ log: view.log });
      } else if (opts.format === "html") {
        text = htmlReportOf(view, { variant: meta.variant, seed: meta.seed, finalHash: side.finalHash, scenarioFile: meta.scenarioFile, scenarioText: meta.scenarioText, fileDescription: meta.fileDescription }, findings, side.expectations);
      } else if (opts.event !== undefined) {
        const seq = Number(opts.event.replace("#", ""));
        if (!Number.isInteger(seq) || seq < 0 || seq >= view.log.length) throw new UsageError(`--event: expected the #seq of a record of this run (0..${view.log.length - 1}), found ${JSON.stringify(opts.event)}`);
        const graph = buildCausalGraph(view.log, { agents, findings });
        text = neighbourhoodDot(graph, neighbourhoodLayout(graph, seq, maxNodes === undefined ? {} : { maxNodes }), { title: `${view.scenario.name} #${seq}`, findings, agents });
      } else {
        text = causalGraphDot(view.log, { title: view.scenario.name, agents, findings, ...(maxNodes === undefined ? {} : { maxNodes }) });
      }
      if (opts.out) {
        writeAtomically(resolvePath(io.cwd, opts.out), text);
        io.stderr(`wrote ${opts.out} (${opts.format}, ${text.length} bytes)\n`);
      } else {
        io.stdout(text.endsWith("\n") ? text : `${text}\n`);
      }
    });

  program
    .command("verify")
    .description("check a run file: its hash chain, the header and telemetry it binds, and optionally the published hash and signature")
    .argument("<run>", "run file written by `crossfire run --out`")
    .option("--expect-hash <hash>", "the final hash the run must end at (as published in a CI log, JUnit file or ticket)")
    .option("--public-key <file>", "an Ed25519 public key (PEM or hex) the run file must be signed by")
    .addHelpText("after", "\nExit codes: 0 verified, 1 the file does not verify, 2 bad input or usage.\n\nExamples:\n  crossfire run scenarios/cost-vs-performance.yaml --out run.ndjson && crossfire verify run.ndjson\n  crossfire verify run.ndjson --expect-hash 3f2a...   # the hash printed by `run` or in the JUnit file\n  crossfire verify run.ndjson --public-key ci-key.pem.pub\n\nWhat each check guarantees: docs/analysis.md#threat-model")
    .action((file: string, opts: { expectHash?: string; publicKey?: string }) => {
      const publicKey = opts.publicKey === undefined ? undefined : readKey(opts.publicKey, io.cwd, parsePublicKey);
      if (opts.expectHash !== undefined && !/^[0-9a-fA-F]{64}$/.test(opts.expectHash.trim())) throw new UsageError(`--expect-hash: expected a SHA-256 hash (64 hex digits), found ${JSON.stringify(opts.expectHash)}`);
      const check = checkRunFile(parseRunFile(readText(file, io.cwd), file), { expectHash: opts.expectHash, publicKey });
      if (!check.ok) {
        io.stdout(`${terminalText(`${file}:${check.line}: ${check.what} does not verify: expected ${check.expected}, found ${check.found} (hint: ${check.hint})`)}\n`);
        setExit(EXIT_FAILED);
        return;
      }
      const covers = check.covered ? `; header (scenario text, variant, seed, engine) and ${check.telemetryStored ? "telemetry" : "telemetry digest"} bound by the chain` : "";
      const lines = [`${file}: ${check.count} records verify${covers}; final hash ${check.headHash}`];
      if (opts.expectHash !== undefined) lines.push("final hash matches --expect-hash");
      if (check.signature?.trusted) lines.push(`signed by the key given with --public-key (${check.signature.fingerprint})`);
      lines.push(...check.notes.map((n) => `note: ${n}`));
      io.stdout(`${terminalText(lines.join("\n"))}\n`);
    });

  program
    .command("keygen")
    .description("write an Ed25519 key pair for signing run files: <file> (private, PKCS#8 PEM) and <file>.pub (public, SPKI PEM)")
    .argument("<file>", "where to write the private key; the public key goes to <file>.pub")
    .addHelpText("after", "\nThe same keys as `openssl genpkey -algorithm ed25519 -out key.pem && openssl pkey -in key.pem -pubout -out key.pem.pub`.\n\nExample:\n  crossfire keygen ci-key.pem && crossfire run scenarios/retry-storm.yaml --out run.ndjson --sign ci-key.pem && crossfire verify run.ndjson --public-key ci-key.pem.pub")
    .action((file: string) => {
      const path = resolvePath(io.cwd, file);
      if (existsSync(path) || existsSync(`${path}.pub`)) throw new UsageError(`${file}: already exists (keygen never overwrites a key); choose another name or remove it first`);
      // Key generation is the one place that needs real randomness; it is outside the simulation.
      const { secretPem, publicPem } = keyPairPem(ed25519.utils.randomSecretKey());
      writeAtomically(path, secretPem, 0o600);
      writeAtomically(`${path}.pub`, publicPem);
      io.stdout(`wrote ${file} (private: keep it secret) and ${file}.pub (public: give it to whoever verifies)\n`);
    });

  registerSweep(program, io, setExit);
  registerServe(program, io, (file) => readText(file, io.cwd), (message) => new UsageError(message));

  return program;
}

/** One run ready to compare or export: from a run file (opened and verified) or by running a scenario. */
interface AnalysedRun {
  side: RunSide;
  meta: { variant?: string; seed: string | number; scenarioFile: string; scenarioText?: string; fileDescription?: string };
}

function analyse(file: string, io: CliIO, opts: { variant?: string; seed?: string }): AnalysedRun {
  const text = readText(file, io.cwd);
  if (isRunFile(text)) {
    const opened = openRunFile(text, file);
    const { findings, expectations } = checkRun(opened.variant, opened.view);
    const label = `${file}${opened.header.variant ? ` [${opened.header.variant}]` : ""}`;
    return {
      side: { label, view: opened.view, finalHash: opened.header.finalHash, findings, expectations },
      meta: { variant: opened.header.variant, seed: opened.header.seed, scenarioFile: opened.header.scenarioFile ?? file, scenarioText: opened.header.scenarioText, fileDescription: opened.variant.fileDescription },
    };
  }
  const variant = loadVariant(text, file, opts.variant);
  const { run, verdict } = runAndCheck(variant, { seed: parseSeed(opts.seed) });
  return {
    side: { label: variant.scenario.variant ?? variant.scenario.name, view: run, finalHash: run.finalHash, findings: verdict.findings, expectations: verdict.expectations },
    meta: { variant: variant.scenario.variant, seed: run.seed, scenarioFile: file, scenarioText: text, fileDescription: variant.fileDescription },
  };
}

// ISO 8601 date-time with a zone, so the same flag gives the same spans on every machine.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** --epoch: "now" (the caller reads the clock) or the Unix ms of an ISO 8601 time; UsageError otherwise. */
function parseEpoch(text: string): "now" | number {
  if (text === "now") return "now";
  const [y, m, d] = text.slice(0, 10).split("-").map(Number);
  // Date.parse rolls 2025-02-30 over to March; a calendar day that does not exist is refused.
  const dayExists = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
  const ms = ISO_TIME.test(text) && dayExists ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(`--epoch: expected \`now\` or an ISO 8601 time with a zone such as 2025-01-01T00:00:00Z, found ${JSON.stringify(text)}`);
  }
  if (ms < 0) throw new UsageError(`--epoch: expected a time in 1970 or later (OTLP times are unsigned), found ${JSON.stringify(text)}`);
  return ms;
}

/** --spans-max: a whole number >= 0; UsageError otherwise. */
function parseSpansMax(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new UsageError(`--spans-max: expected a whole number of spans (0 or more), found ${JSON.stringify(text)}`);
  return n;
}

/** A run file starts with a JSON header whose format is crossfire-run/N; a scenario is YAML. */
function isRunFile(text: string): boolean {
  const firstLine = text.slice(0, text.indexOf("\n") >>> 0);
  if (!firstLine.startsWith("{")) return false;
  try {
    return String(JSON.parse(firstLine).format).startsWith("crossfire-run/");
  } catch {
    return false;
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** --block / --mute / --policy arguments as interventions; UsageError on a malformed one. */
function parseInterventions(opts: { block: string[]; mute: string[]; policy: string[] }, suite: ScenarioSuite): Intervention[] {
  const at = (flag: string, text: string): [string, number] => {
    const i = text.lastIndexOf("@");
    if (i <= 0) throw new UsageError(`${flag}: expected NAME@TIME such as cost@1h, found ${JSON.stringify(text)}`);
    try {
      return [text.slice(0, i), parseDuration(text.slice(i + 1), flag)];
    } catch (e) {
      throw new UsageError(e instanceof InputError ? e.message : String(e));
    }
  };
  const out: Intervention[] = [];
  for (const b of opts.block) {
    if (!/^\d+$/.test(b)) throw new UsageError(`--block: expected the #seq of a command (a whole number), found ${JSON.stringify(b)}`);
    out.push({ kind: "block", seq: Number(b) });
  }
  for (const m of opts.mute) {
    const [agent, fromMs] = at("--mute", m);
    out.push({ kind: "mute", agent, fromMs });
  }
  for (const p of opts.policy) {
    const [name, fromMs] = at("--policy", p);
    const [variantName, policy] = name.split(".", 2);
    const source = suite.variants.find((v) => v.name === variantName);
    if (!source) throw new UsageError(`--policy: expected a variant of ${suite.file} (${suite.variants.map((v) => v.name).join(", ")}) whose coordination to switch on, found ${JSON.stringify(variantName)}`);
    const all = source.scenario.coordination as Record<string, unknown>;
    if (policy !== undefined && all[policy] === undefined) throw new UsageError(`--policy: variant ${variantName} has no ${JSON.stringify(policy)} policy (it has ${Object.keys(all).join(", ") || "none"})`);
    const coordination = (policy === undefined ? all : { [policy]: all[policy] }) as Intervention extends { coordination: infer C } ? C : never;
    out.push({ kind: "policy", fromMs, coordination, label: policy === undefined ? `${variantName}'s policies` : `${variantName}'s ${policy} policy` });
  }
  return out;
}

/** The `--json` shape of one run: the fields CI scripts and other tools read. */
function runJson(file: string, variant: ScenarioVariant, run: RunResult, verdict: Verdict, wallMs: number, story = storyOfRun(variant, run, verdict)) {
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
    expectations: verdict.expectations.map((e) => ({ name: e.name, kind: e.kind, passed: e.passed, observed: e.observed, expected: e.expected, line: e.line, col: e.col, ...(e.vacuous !== undefined ? { vacuous: e.vacuous } : {}) })),
    stats: run.stats,
    wallMs: Math.round(wallMs),
    story,
  };
}

/** `--max-events`: undefined when absent, else a positive whole number (a usage error otherwise). */
function parseMaxEvents(text: string | undefined): number | undefined {
  return parsePositiveWhole("--max-events", text);
}

/** A count flag's value: undefined when absent, else a positive whole number (a usage error otherwise). */
function parsePositiveWhole(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(Number.isInteger(value) && value > 0)) throw new UsageError(`${flag}: expected a positive whole number, found ${JSON.stringify(text)}`);
  return value;
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith("/") ? file : `${cwd}/${file}`;
}

function appendSummary(file: string, markdown: string): void {
  try {
    appendFileSync(file, markdown);
  } catch (e) {
    throw new UsageError(`${file}: cannot append the summary (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** A key file parsed by `parse`; its InputError becomes a usage error naming the flag's file. */
function readKey(file: string, cwd: string, parse: (text: string, where: string) => Uint8Array): Uint8Array {
  const text = readText(file, cwd);
  try {
    return parse(text, file);
  } catch (e) {
    throw e instanceof InputError ? new UsageError(e.message) : e;
  }
}

function readText(file: string, cwd: string): string {
  let bytes: Buffer;
  try {
    const tooLarge = tooLargeProblem(file, statSync(resolvePath(cwd, file)).size);
    if (tooLarge) throw new UsageError(tooLarge);
    bytes = readFileSync(resolvePath(cwd, file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
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
function writeAtomically(file: string, text: string, mode?: number): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function parseSeed(text: string | undefined): string | number | undefined {
  return text === undefined ? undefined : seedFromText(text);
}
