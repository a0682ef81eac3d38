// `npm run fuzz`: runs every fuzz target (or one, `--only`) for a number of cases or until a
// deadline, prints cases tried and each failure with the command that reproduces it, and exits 1
// when anything failed. Options: --cases N (2000), --seed S (1), --only NAME, --case-seed N, --seconds N.
import { parseArgs } from "node:util";
import { FUZZ_TARGETS } from "./targets.js";
import type { FuzzReport } from "./target.js";

/** The batch seed when none is given: fixed, so two plain `npm run fuzz` runs try the same cases. */
export const DEFAULT_SEED = 1;
/** Cases per target when none is given. */
export const DEFAULT_CASES = 2000;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: "string" }, seed: { type: "string" }, only: { type: "string" }, "case-seed": { type: "string" }, seconds: { type: "string" } },
  });
  const integer = (text: string | undefined, name: string, fallback?: number): number | undefined => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} expects a whole number >= 0, got ${JSON.stringify(text)}`);
    return n;
  };
  const cases = integer(values.cases, "cases", DEFAULT_CASES)!;
  const seed = integer(values.seed, "seed", DEFAULT_SEED)!;
  const caseSeed = integer(values["case-seed"], "case-seed");
  const seconds = integer(values.seconds, "seconds");
  const targets = values.only === undefined ? FUZZ_TARGETS : FUZZ_TARGETS.filter((t) => t.name === values.only);
  if (targets.length === 0) throw new Error(`no fuzz target named ${JSON.stringify(values.only)}; targets: ${FUZZ_TARGETS.map((t) => t.name).join(", ")}`);
  const deadlineMs = seconds === undefined ? undefined : Date.now() + seconds * 1000;

  console.log(`fuzz seed=${seed} cases=${caseSeed === undefined ? cases : 1}${caseSeed !== undefined ? ` case-seed=${caseSeed}` : ""}${seconds !== undefined ? ` seconds=${seconds}` : ""} targets=${targets.map((t) => t.name).join(",")}`);
  const reports: FuzzReport[] = [];
  for (const target of targets) {
    console.log(`\n${target.name}: ${target.property}`);
    const started = Date.now();
    const report = await target.run({ seed, cases, deadlineMs, caseSeed, log: (line) => console.log(line) });
    reports.push(report);
    console.log(`${target.name}: ${report.tried} cases tried, ${report.failures.length} failures (seed=${report.seed}, ${Math.round((Date.now() - started) / 1000)} s)`);
    for (const f of report.failures) {
      console.log(`\n  FAIL ${f.what}\n  reproduce: npm run fuzz -- --only ${target.name} --case-seed ${f.caseSeed}\n${f.input.split("\n").map((l) => `    | ${l}`).join("\n")}`);
    }
  }
  const failed = reports.reduce((n, r) => n + r.failures.length, 0);
  console.log(`\n${reports.map((r) => `${r.target}: ${r.tried} tried, ${r.failures.length} failed`).join("; ")}`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
