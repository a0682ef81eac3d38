// The "scenarios" fuzz target: mutated library scenarios through `crossfire validate` and
// `crossfire run`, each case in a worker thread with a wall-clock budget. The property is the
// promise of docs/scenario-format.md "Budgets": exit 0, 1 or 2 only, never a hang or NaN, and a
// file validate accepts runs (exit 0 or 1).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import { mutateScenario, type CorpusFile, type MutatedScenario } from "./scenario-mutate.js";
import type { ScenarioCaseProgress, ScenarioCaseResult } from "./scenario-case.js";
import type { FuzzFailure, FuzzOptions, FuzzReport, FuzzTarget } from "./target.js";
import { WorkerPool, type CaseEnd } from "./worker-pool.js";

/** Wall-clock budget of one case (validate and run together) before it counts as a hang: the N of the rule in docs/scenario-format.md "Budgets". */
export const CASE_BUDGET_MS = 60_000;
/** Worker threads running cases: the 2-core machine the budgets are measured on. */
export const WORKERS = 2;
/** Most characters of a failing input a report shows. */
const INPUT_CHARS_MAX = 4_000;

const root = fileURLToPath(new URL("..", import.meta.url));

/** The library scenarios mutations start from: scenarios/*.yaml and docs/examples/*.yaml, by name. */
export function scenarioCorpus(): CorpusFile[] {
  return ["scenarios", "docs/examples"].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((f) => f.endsWith(".yaml"))
      .sort()
      .map((f) => ({ name: `${dir}/${f}`, text: readFileSync(join(root, dir, f), "utf8") })),
  );
}

/** The seed of case `index` of a batch: a 32-bit mix of both (splitmix32), so each case reproduces alone. Pure. */
export function caseSeedOf(batchSeed: number, index: number): number {
  let z = (Math.imul(batchSeed | 0, 0x9e3779b9) + Math.imul(index + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** What broke the property in one case's outcome, or null when it held. Pure. */
export function judge(mutation: MutatedScenario, end: CaseEnd<ScenarioCaseProgress, ScenarioCaseResult>): string | null {
  if (end.kind === "timeout") {
    const v = end.progress;
    return v ? `hang: run still going after ${Math.round(end.wallMs / 1000)} s (validate exited ${v.validateCode} in ${Math.round(v.validateMs)} ms)` : `hang: validate still going after ${Math.round(end.wallMs / 1000)} s`;
  }
  if (end.kind === "crashed") return `worker died (${end.error})${end.progress ? ` during run (validate exited ${end.progress.validateCode})` : " during validate"}`;
  const { validate, run } = end.result;
  if (validate.code === 3) return `validate exited 3: ${firstLines(validate.stderrHead)}`;
  if (run.code === 3) return `run exited 3: ${firstLines(run.stderrHead)}`;
  if (![0, 1, 2].includes(validate.code)) return `validate exited ${validate.code}`;
  if (![0, 1, 2].includes(run.code)) return `run exited ${run.code}`;
  if (validate.code === 0 && run.code === 2) return `validate said ok but run refused it: ${firstLines(run.stderrHead)}`;
  // NaN in the input may be echoed back (a name, a description); only NaN the run made up counts.
  if (run.nanLine !== undefined && !/nan/i.test(mutation.text)) return `NaN in run's output: ${run.nanLine}`;
  return null;
}

function firstLines(text: string): string {
  return text.split("\n").slice(0, 3).join(" | ").slice(0, 400);
}

/**
 * The edits and the changed part of the text (lines that differ from the base file, with two
 * lines of context), at most INPUT_CHARS_MAX characters. Pure.
 */
export function elided(m: MutatedScenario, baseText: string): string {
  const a = baseText.split("\n");
  const b = m.text.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, start - 2);
  const to = Math.min(b.length, b.length - end + 2);
  let body = b.slice(from, to).map((line, i) => `${from + i + 1}: ${line}`).join("\n");
  if (body.length > INPUT_CHARS_MAX) body = `${body.slice(0, INPUT_CHARS_MAX)}\n... (${body.length} characters of changed lines in all)`;
  return `from ${m.base}; edits: ${m.edits.join("; ")}\nchanged lines ${from + 1}..${to} of ${b.length}:\n${body}`;
}

/** The "scenarios" target. */
export const scenarioMutations: FuzzTarget = {
  name: "scenarios",
  property: "mutated library scenarios: validate and run exit 0, 1 or 2 (never 3), within 60 s, never print NaN; a file validate accepts runs (exit 0 or 1)",
  async run(options: FuzzOptions): Promise<FuzzReport> {
    const corpus = scenarioCorpus();
    // Mutations are printed by the yaml library, so they are compared with the base as it prints it.
    const reprinted = new Map(corpus.map((f) => [f.name, parseDocument(f.text).toString({ lineWidth: 0 })]));
    const seeds = options.caseSeed !== undefined ? [options.caseSeed] : Array.from({ length: options.cases }, (_, i) => caseSeedOf(options.seed, i));
    const pool = new WorkerPool<string, ScenarioCaseProgress, ScenarioCaseResult>(new URL("./scenario-case-worker.mjs", import.meta.url), WORKERS);
    const failures: FuzzFailure[] = [];
    let tried = 0;
    let next = 0;
    let slowest = { ms: 0, caseSeed: 0 };
    const started = Date.now();
    const lane = async () => {
      while (next < seeds.length) {
        if (options.deadlineMs !== undefined && Date.now() >= options.deadlineMs) return;
        const caseSeed = seeds[next++];
        const mutation = mutateScenario(corpus, caseSeed);
        const end = await pool.run(mutation.text, CASE_BUDGET_MS);
        tried++;
        if (end.kind === "done" && end.result.validate.code === 0 && end.result.run.wallMs > slowest.ms) slowest = { ms: end.result.run.wallMs, caseSeed };
        const what = judge(mutation, end);
        if (what !== null) {
          failures.push({ caseSeed, what, input: elided(mutation, reprinted.get(mutation.base) ?? "") });
          options.log?.(`  FAIL case-seed ${caseSeed}: ${what}`);
        }
        if (tried % 100 === 0) options.log?.(`  ${tried} cases, ${failures.length} failures, ${Math.round((Date.now() - started) / 1000)} s`);
      }
    };
    try {
      await Promise.all(Array.from({ length: WORKERS }, lane));
    } finally {
      await pool.close();
    }
    options.log?.(`  slowest run validate accepted: ${Math.round(slowest.ms)} ms (case-seed ${slowest.caseSeed}); ${tried} cases in ${Math.round((Date.now() - started) / 1000)} s`);
    return { target: "scenarios", seed: options.seed, tried, failures };
  },
};
