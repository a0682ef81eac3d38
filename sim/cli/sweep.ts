// `crossfire sweep`: one scenario variant over many seeds in a pool of worker threads (piscina),
// summarized with 95% Wilson intervals. The aggregation and the report are pure (sim/sweep/);
// this file owns the Node side: reading the file, the pool, progress, output and exit codes.
import type { Command } from "commander";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { Piscina } from "piscina";
import { InputError } from "../core/errors.js";
import { loadSuite, loadVariant, type ScenarioVariant } from "../scenario/load.js";
import type { SeedResult, SeedsTask } from "../sweep/run-seed.js";
import { summarizeSweep } from "../sweep/summarize.js";
import { sweepReportLines } from "../sweep/report.js";
import type { CliIO } from "./main.js";

// The CLI's exit codes (the same as sim/cli/main.ts; kept here so this module does not import main.ts at run time).
const EXIT_PASS = 0;
const EXIT_FAILED = 1;
const EXIT_INTERNAL = 3;

/** Upper bounds on what one sweep may ask for: a typo of a few zeros should be an error, not an afternoon. */
export const SEEDS_MAX = 100_000;
export const WORKERS_MAX = 256;

/** The worker entry: registers tsx, then serves SeedsTasks (see sweep-worker.mjs). */
const WORKER_FILE = new URL("./sweep-worker.mjs", import.meta.url).href;

interface SweepCliOptions {
  seeds: string;
  from: string;
  variant?: string;
  workers?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * Adds the `sweep` command to `program`. Its action checks its input synchronously (bad input
 * throws InputError or ScenarioError: exit 2) and then returns a promise that settles when the
 * workers are done, so the program must be run with `parseAsync` (runCliAsync in sim/cli/main.ts). The
 * verdict goes through `setExit`.
 */
export function registerSweep(program: Command, io: CliIO, setExit: (code: number) => void): Command {
  return program
    .command("sweep")
    .description("run one scenario variant over many seeds in parallel: how often each finding and failure shows up, with 95% confidence intervals")
    .argument("<scenario>", "scenario YAML file")
    .requiredOption("--seeds <n>", `how many seeds to run (1..${SEEDS_MAX})`)
    .option("--from <seed>", "the first seed; the sweep runs seeds from..from+n-1", "1")
    .option("--variant <name>", "which variant to run (default: the first one the file declares)")
    .option("--workers <k>", "worker threads (default: the number of cores, at most one per seed); the output does not depend on it")
    .option("--json", "print one JSON object (per-seed results sorted by seed, the summary, and wallMs)")
    .option("--quiet", "print nothing but errors (the exit code still says pass or fail)")
    .addHelpText(
      "after",
      [
        "",
        "Exit code 0 when every seed passed its expectations, 1 when any failed (the report names the",
        "first failing seed and the `crossfire run ... --seed N` that replays it).",
        "",
        "Examples:",
        "  crossfire sweep scenarios/cost-vs-performance.yaml --seeds 20",
        "  crossfire sweep scenarios/cost-vs-performance.yaml --variant coordinated --seeds 200 --workers 2",
        "  crossfire sweep docs/examples/first-scenario.yaml --seeds 50 --from 1000 --json | jq '.summary.passed'",
      ].join("\n"),
    )
    .action((file: string, opts: SweepCliOptions) => runSweep(prepareSweep(file, opts, io), opts, io, setExit));
}

/** A sweep whose input has been checked: the scenario loaded, the seeds and worker count decided. */
interface PreparedSweep {
  file: string;
  scenarioText: string;
  variant: ScenarioVariant;
  declaresVariants: boolean;
  seeds: number[];
  workers: number;
}

/**
 * Checks the options and loads the scenario, synchronously: bad input throws (InputError,
 * ScenarioError) before any worker starts, and even a synchronous `program.parse` reports it.
 */
function prepareSweep(file: string, opts: SweepCliOptions, io: CliIO): PreparedSweep {
  const count = parseWholeNumber("--seeds", opts.seeds, 1, SEEDS_MAX);
  const fromSeed = parseWholeNumber("--from", opts.from, -Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER - count);
  const workers = Math.min(opts.workers === undefined ? availableParallelism() : parseWholeNumber("--workers", opts.workers, 1, WORKERS_MAX), count);
  const scenarioText = readText(file, io.cwd);
  const suite = loadSuite(scenarioText, file);
  const variant = loadVariant(scenarioText, file, opts.variant);
  return { file, scenarioText, variant, declaresVariants: suite.declaresVariants, seeds: Array.from({ length: count }, (_, i) => fromSeed + i), workers };
}

/** Runs a prepared sweep in the pool, prints the report and sets the exit code. */
async function runSweep(sweep: PreparedSweep, opts: SweepCliOptions, io: CliIO, setExit: (code: number) => void): Promise<void> {
  const { file, scenarioText, variant, seeds, workers } = sweep;
  const count = seeds.length;
  const reproduce = (seed: number) => `crossfire run ${shellWord(file)}${sweep.declaresVariants ? ` --variant ${shellWord(variant.name)}` : ""} --seed ${seed}`;

  const progress = io.isTTY && !opts.quiet;
  const started = io.nowMs();
  let results: SeedResult[];
  try {
    results = await sweepSeeds({ scenarioText, file, variant: variant.name }, seeds, workers, progress ? (done, total) => io.stderr(`\r\x1b[K[${done}/${total}] seeds ...`) : undefined);
  } catch (e) {
    if (!(e instanceof SeedCrash)) throw e;
    if (progress) io.stderr("\r\x1b[K");
    io.stderr(`internal error at seed ${e.seed} (a Crossfire bug; please report it with the scenario and seed)\n  reproduce: ${reproduce(e.seed)}\n${e.detail}\n`);
    setExit(EXIT_INTERNAL);
    return;
  }
  const wallMs = io.nowMs() - started;
  if (progress) io.stderr("\r\x1b[K");

  const summary = summarizeSweep(results, variant.expectations.map((e) => e.name));
  const firstFailing = results.find((r) => !r.passed);
  const scenarioSha256 = bytesToHex(sha256(utf8ToBytes(scenarioText)));
  if (opts.json) {
    const json = {
      scenario: variant.scenario.name,
      variant: variant.name,
      file,
      scenarioSha256,
      seeds: { from: seeds[0], count },
      passed: summary.failed === 0,
      firstFailing: firstFailing ? { seed: firstFailing.seed, failedExpectations: firstFailing.failedExpectations, ...(firstFailing.incomplete !== undefined ? { incomplete: firstFailing.incomplete } : {}), reproduce: reproduce(firstFailing.seed) } : null,
      summary,
      results,
      wallMs: Math.round(wallMs),
    };
    io.stdout(`${JSON.stringify(json)}\n`);
  } else if (!opts.quiet) {
    const lines = sweepReportLines(summary, {
      scenario: variant.scenario.name,
      variant: sweep.declaresVariants ? variant.name : undefined,
      fromSeed: seeds[0],
      scenarioSha256,
      firstFailing: firstFailing ? { result: firstFailing, reproduce: reproduce(firstFailing.seed) } : undefined,
    });
    io.stdout(`${lines.join("\n")}\n`);
    // Wall time goes to stderr so standard output is the same whatever the worker count.
    io.stderr(`swept ${count} seed${count === 1 ? "" : "s"} in ${(wallMs / 1000).toFixed(1)} s with ${workers} worker${workers === 1 ? "" : "s"}\n`);
  }
  setExit(summary.failed === 0 ? EXIT_PASS : EXIT_FAILED);
}

/** A seed whose run threw: a simulator bug, reported with the seed that reproduces it. */
export class SeedCrash extends Error {
  constructor(
    readonly seed: number,
    readonly detail: string,
  ) {
    super(`seed ${seed}: ${detail.split("\n")[0]}`);
    this.name = "SeedCrash";
  }
}

/**
 * Runs every seed of `task` in a pool of `workers` threads, one seed per task so a slow seed never
 * holds up a batch, and returns the results sorted by seed. Every seed runs even if one throws;
 * then it rejects with a SeedCrash for the lowest such seed, so the outcome does not depend on
 * the worker count or on timing.
 */
export async function sweepSeeds(task: Omit<SeedsTask, "seeds">, seeds: readonly number[], workers: number, onProgress?: (done: number, total: number) => void): Promise<SeedResult[]> {
  const pool = new Piscina<SeedsTask, SeedResult[]>({ filename: WORKER_FILE, minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
  try {
    let done = 0;
    const settled = await Promise.allSettled(
      seeds.map(async (seed) => {
        const results = await pool.run({ ...task, seeds: [seed] });
        onProgress?.(++done, seeds.length);
        return results;
      }),
    );
    const crashed = seeds.map((seed, i) => ({ seed, outcome: settled[i] })).filter((c) => c.outcome.status === "rejected");
    if (crashed.length > 0) {
      const lowest = crashed.reduce((a, b) => (b.seed < a.seed ? b : a));
      const reason = (lowest.outcome as PromiseRejectedResult).reason;
      throw new SeedCrash(lowest.seed, reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
    }
    return settled.flatMap((s) => (s as PromiseFulfilledResult<SeedResult[]>).value).sort((a, b) => a.seed - b.seed);
  } finally {
    await pool.destroy();
  }
}

function parseWholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = min === -Number.MAX_SAFE_INTEGER ? "a whole number" : `a whole number from ${min} to ${max}`;
    throw new InputError(flag, range, JSON.stringify(text));
  }
  return n;
}

function readText(file: string, cwd: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file.startsWith("/") ? file : `${cwd}/${file}`);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(file, "a readable scenario file", code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : (e as Error).message);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError(`${file}:1:1`, "UTF-8 text", "bytes that are not UTF-8", "is this a binary file?");
  }
}

/** `word` as one shell word: unchanged when it is plainly safe, else single-quoted. */
function shellWord(word: string): string {
  return /^[\w./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
