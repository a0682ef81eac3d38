// `crossfire test --summary <file>`: the run's verdicts as a Markdown table, appended to the file
// (GitHub Actions shows $GITHUB_STEP_SUMMARY on the run's page). Scenario names, variants and
// findings come from files: every cell is escaped so a name cannot inject Markdown or HTML.
import { testTotals, type TestRow } from "./report.js";

/** One variant's line in the summary. */
export interface SummaryRow {
  row: TestRow;
  /** Finding kinds with counts, e.g. `thrashing x2`. */
  findings: string[];
  finalHash?: string;
  /** The report written for it by --reports, relative to the summary's reader, if any. */
  report?: string;
}

/** Markdown for `rows`: a heading with the totals, then one table row per variant. Pure. */
export function markdownSummary(rows: readonly SummaryRow[]): string {
  const icon = { PASS: "✅ PASS", FAIL: "❌ FAIL", ERROR: "⚠️ ERROR" } as const;
  const lines = [
    `### Crossfire: ${testTotals(rows.map((r) => r.row))}`,
    "",
    "| verdict | scenario [variant] | expectations | system | findings | final hash | file |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const { row, findings, finalHash, report } of rows) {
    const expectations = row.status === "ERROR" ? "—" : cell(row.verdict ?? `${row.passed}/${row.total}`);
    const system = row.systemWords === undefined ? "—" : cell(row.systemWords);
    const hash = finalHash ? `\`${finalHash.slice(0, 12)}\`` : "—";
    const file = `${cell(row.file)}${report ? ` (report: ${cell(report)})` : ""}`;
    lines.push(`| ${icon[row.status]} | ${cell(row.label)} | ${expectations} | ${system} | ${findings.length ? cell(findings.join(", ")) : "none"} | ${hash} | ${file} |`);
  }
  const failures = rows.filter((r) => r.row.status !== "PASS" && r.row.details.length > 0);
  if (failures.length > 0) {
    lines.push("", "<details><summary>Failures</summary>", "", "```");
    for (const { row } of failures) lines.push(fence(`${row.label}:`), ...row.details.map((d) => fence(`  ${d}`)));
    lines.push("```", "", "</details>");
  }
  return `${lines.join("\n")}\n`;
}

/** A table cell's text: Markdown, HTML and table syntax neutralised, one line, bounded. */
function cell(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const short = flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
  // Inside a table cell only these start Markdown (emphasis, code, links, cells, strikethrough) or HTML.
  return short.replace(/[\\`*_[\]|<>&~]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === "&" ? "&amp;" : `\\${c}`));
}

/** A line inside a ``` fence: a line of backticks in a name must not close the fence early. */
function fence(text: string): string {
  return text.replace(/`/g, "ˋ");
}
