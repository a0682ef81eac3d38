// The `crossfire` command: a thin shell over sim/ and the only code that touches Node APIs
// (files, process, exit codes). Exit codes: 0 pass, 2 bad input, 3 internal error.
import { Command, CommanderError } from "commander";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { runScenario } from "../engine/engine.js";
import { verify } from "../log/chain.js";
import { parseRunFile, toRunFile } from "../export/run-file.js";
import { loadScenario } from "../scenario/load.js";
import { ScenarioError } from "../scenario/problems.js";
import { InputError } from "../core/errors.js";
import { summarizeRun } from "./summary.js";

const EXIT_BAD_INPUT = 2;
const EXIT_INTERNAL = 3;

class UsageError extends Error {}

function readText(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
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
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function parseSeed(text: string | undefined): string | number | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

const program = new Command()
  .name("crossfire")
  .description("Replay outages caused by automation racing automation: a deterministic multi-agent infrastructure simulator.")
  .exitOverride()
  .showHelpAfterError();

program
  .command("run")
  .description("run a scenario and print what happened")
  .argument("<scenario>", "scenario YAML file")
  .option("--seed <seed>", "override the scenario's seed")
  .option("--out <file>", "write the hash-chained event log as NDJSON")
  .option("--max-events <n>", "stop after this many queue events (reported, not silent)")
  .option("--json", "print one JSON object instead of text")
  .option("--quiet", "print nothing but errors")
  .action((file: string, opts: { seed?: string; out?: string; json?: boolean; quiet?: boolean; maxEvents?: string }) => {
    const scenario = loadScenario(readText(file), file);
    const maxEvents = opts.maxEvents === undefined ? undefined : Number(opts.maxEvents);
    if (maxEvents !== undefined && !(Number.isInteger(maxEvents) && maxEvents > 0)) throw new UsageError(`--max-events: expected a positive whole number, found ${JSON.stringify(opts.maxEvents)}`);
    const started = process.hrtime.bigint();
    const run = runScenario(scenario, { seed: parseSeed(opts.seed), maxEvents });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (opts.out) writeAtomically(opts.out, toRunFile({ scenario: scenario.name, seed: run.seed, events: run.log.length, finalHash: run.finalHash }, run.log));
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ scenario: scenario.name, seed: run.seed, finalHash: run.finalHash, events: run.log.length, stopReason: run.stopReason, stats: run.stats, wallMs: Math.round(wallMs) })}\n`);
    } else if (!opts.quiet) {
      process.stdout.write(`${summarizeRun(run, wallMs).join("\n")}\n`);
      if (opts.out) process.stdout.write(`wrote ${opts.out}\n`);
    }
  });

program
  .command("verify")
  .description("check the hash chain of a saved run file and name the first bad record")
  .argument("<run>", "run file written by `crossfire run --out`")
  .action((file: string) => {
    const { header, log } = parseRunFile(readText(file), file);
    const result = verify(log);
    if (!result.ok) {
      process.stdout.write(`${file}:${result.firstBadSeq + 2}: record #${result.firstBadSeq} does not verify: ${result.reason}\n`);
      process.exitCode = 1;
      return;
    }
    if (result.headHash !== header.finalHash) {
      process.stdout.write(`${file}: chain verifies but ends at ${result.headHash}, not the header's finalHash ${header.finalHash} (records missing at the end?)\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${file}: ${result.count} records verify; final hash ${result.headHash}\n`);
  });

try {
  program.parse(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    process.exitCode = e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  } else if (e instanceof ScenarioError || e instanceof InputError || e instanceof UsageError) {
    process.stderr.write(`${e.message}\n`);
    process.exitCode = EXIT_BAD_INPUT;
  } else {
    process.stderr.write(`internal error (a Crossfire bug; please report it with the scenario and seed):\n${(e as Error).stack ?? e}\n`);
    process.exitCode = EXIT_INTERNAL;
  }
}
