// Words for the terminal and CI: findings with their explanations, expectations as PASS/FAIL
// with observed vs expected, the `crossfire test` table, and GitHub Actions annotations. Pure.
import { formatTime } from "../core/units.js";
import type { ExpectationResult } from "../assert/expectation.js";
import type { Finding } from "../detect/finding.js";
import type { Problem } from "../scenario/problems.js";
import { formatPath, formatProblem } from "../scenario/problems.js";
import type { SystemState } from "../story/types.js";
import { systemTally } from "./story-lines.js";

/** `file:line:col: warning: path: expected X, found Y` and its hint: a warning of a scenario that loads. Pure. */
export function warningText(file: string, w: Problem): string {
  const where = w.line > 0 ? `${file}:${w.line}:${w.col}` : file;
  return `${where}: warning: ${formatProblem(file, w).slice(where.length + 2)}`;
}

/** Detail lines for the `crossfire test` table: each vacuous pass with where it is and why. */
export function vacuousLines(results: readonly ExpectationResult[], file: string): string[] {
  return results.filter((r) => r.passed && r.vacuous !== undefined).flatMap((r) => [`VACUOUS ${r.name}  (${file}:${r.line}:${r.col})`, `     passed (vacuous: ${r.vacuous})`]);
}

/** `::warning ...` for a scenario warning or a vacuous pass, so it shows on its line in a pull request. */
export function warningAnnotation(file: string, title: string, line: number, col: number, message: string): string {
  const where = line > 0 ? `,line=${line},col=${col}` : "";
  return `::warning file=${escapeProperty(file)}${where},title=${escapeProperty(title)}::${escapeData(message)}`;
}

/** Findings, each with up to `explanationLines` lines of its explanation. */
export function findingLines(findings: readonly Finding[], explanationLines = 4): string[] {
  if (findings.length === 0) return ["findings: none"];
  const lines = [`findings (${findings.length}):`];
  for (const f of findings) {
    const subject = f.knob ?? f.components.join(" -> ");
    lines.push(`  ${f.severity.toUpperCase()} ${f.kind}${subject ? ` on ${subject}` : ""}${f.actors.length ? ` by ${f.actors.join(", ")}` : ""}  ${formatTime(f.from)}..${formatTime(f.to)}  (witnesses ${f.witnesses.slice(0, 6).map((s) => `#${s}`).join(" ")}${f.witnesses.length > 6 ? " ..." : ""})`);
    for (const line of f.explanation.slice(0, explanationLines)) lines.push(`      ${line}`);
    if (f.explanation.length > explanationLines) lines.push(`      ... ${f.explanation.length - explanationLines} more lines (--json has them all)`);
  }
  return lines;
}

/** Expectations as PASS/FAIL lines; failures say where in the file and what was observed. */
export function expectationLines(results: readonly ExpectationResult[], file: string): string[] {
  if (results.length === 0) return ["expectations: none (add `expect:` to the scenario to assert on this run)"];
  const failed = results.filter((r) => !r.passed).length;
  const vacuous = results.filter((r) => r.passed && r.vacuous !== undefined).length;
  const lines = [`expectations: ${results.length - failed} passed, ${failed} failed${vacuous > 0 ? ` (${vacuous} of the passes vacuous)` : ""}`];
  for (const r of results) {
    lines.push(`  ${r.passed ? "PASS" : "FAIL"}  ${r.name}${r.passed && r.vacuous === undefined ? "" : `  (${file}:${r.line}:${r.col})`}`);
    lines.push(`        observed ${r.observed}${r.passed ? "" : `; expected ${r.expected}`}`);
    if (r.vacuous !== undefined) lines.push(`        passed (vacuous: ${r.vacuous})`);
  }
  return lines;
}

/** Escapes data for a GitHub workflow command (`::error ...::data`). */
function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value of a GitHub workflow command. */
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::error file=..,line=..,col=..,title=..::message` for a failed expectation. */
export function expectationAnnotation(file: string, variant: string, r: ExpectationResult): string {
  const where = r.line > 0 ? `,line=${r.line},col=${r.col}` : "";
  return `::error file=${escapeProperty(file)}${where},title=${escapeProperty(`crossfire [${variant}]: ${r.name}`)}::${escapeData(`expected ${r.expected}; observed ${r.observed}`)}`;
}

/** `::error ...` for one problem of a scenario file that did not load. */
export function problemAnnotation(file: string, p: Problem): string {
  const where = p.line > 0 ? `,line=${p.line},col=${p.col}` : "";
  return `::error file=${escapeProperty(file)}${where},title=${escapeProperty(`crossfire: bad scenario (${formatPath(p.path)})`)}::${escapeData(`expected ${p.expected}, found ${p.found}${p.hint ? `; hint: ${p.hint}` : ""}`)}`;
}

/** `::error` for a run cut short or a file that errored without positions. */
export function fileAnnotation(file: string, title: string, message: string): string {
  return `::error file=${escapeProperty(file)},title=${escapeProperty(title)}::${escapeData(message)}`;
}

export interface TestRow {
  status: "PASS" | "FAIL" | "ERROR";
  label: string;
  file: string;
  passed: number;
  total: number;
  seconds: number;
  details: string[];
  /** The verdict in words (sim/story): "outage reproduced as expected (16/16)"; absent for ERROR. */
  verdict?: string;
  /** The system's state, and in a few words: "outage, worst availability 0% (front)". */
  system?: SystemState;
  systemWords?: string;
}

/**
 * The `crossfire test` table with failure details under each failing row. Each row says the two
 * facts apart: "PASS  dynamodb-dns-race [blind]  outage reproduced as expected (16/16) · system:
 * outage, worst availability 0% (front)". The last line tallies both.
 */
export function testTable(rows: readonly TestRow[]): string[] {
  const width = Math.max(10, ...rows.map((r) => r.label.length));
  const words = (r: TestRow) => (r.status === "ERROR" ? "-" : `${r.verdict ?? `${r.passed}/${r.total}`}${r.systemWords !== undefined ? ` · system: ${r.systemWords}` : ""}`);
  const wordsWidth = Math.max(0, ...rows.map((r) => words(r).length));
  const lines: string[] = [];
  for (const r of rows) {
    lines.push(`${r.status.padEnd(5)}  ${r.label.padEnd(width)}  ${words(r).padEnd(wordsWidth)}  ${r.seconds.toFixed(1).padStart(5)}s  ${r.file}`);
    for (const d of r.details) lines.push(`       ${d}`);
  }
  lines.push("", testTotals(rows));
  return lines;
}

/** "expectations met on 35, not met on 1, 0 errors (36 scenario variants); system: outage on 8, healthy on 28". Pure. */
export function testTotals(rows: readonly Pick<TestRow, "status" | "system">[]): string {
  const count = (s: TestRow["status"]) => rows.filter((r) => r.status === s).length;
  const states = rows.flatMap((r) => (r.system === undefined ? [] : [r.system]));
  return `expectations met on ${count("PASS")}, not met on ${count("FAIL")}, ${count("ERROR")} errors (${rows.length} scenario variants)${states.length > 0 ? `; system: ${systemTally(states)}` : ""}`;
}
