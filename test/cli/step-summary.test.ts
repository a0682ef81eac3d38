// `crossfire test --summary`: names come from scenario files, so a name cannot break the table,
// inject HTML into the GitHub run page, or close the failures' code fence.
import { describe, expect, it } from "vitest";
import { markdownSummary } from "../../sim/cli/step-summary.js";

const hostile = "evil | <img src=x onerror=alert(1)> [link](javascript:alert(1)) `code` **bold**\nsecond line";

describe("markdownSummary", () => {
  const md = markdownSummary([
    { row: { status: "FAIL", label: hostile, file: "a|b.yaml", passed: 1, total: 2, seconds: 0.1, details: ["FAIL x", "```\n</details><script>alert(1)</script>"] }, findings: ["thrashing x2", "cascade"], finalHash: "ab".repeat(32) },
    { row: { status: "PASS", label: "fine", file: "ok.yaml", passed: 2, total: 2, seconds: 0.1, details: [], verdict: "outage reproduced as expected (2/2)", system: "outage", systemWords: "outage, worst availability 2.6% (front)" }, findings: [], finalHash: "cd".repeat(32) },
  ]);
  const rows = md.split("\n").filter((l) => l.startsWith("| ❌") || l.startsWith("| ✅"));

  it("keeps one table row per variant with seven cells, whatever the names hold", () => {
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length - 2).toBe(7);
    expect(rows[0]).toContain("evil \\| &lt;img src=x onerror=alert(1)&gt; \\[link\\](javascript:alert(1)) \\`code\\` \\*\\*bold\\*\\* second line");
  });

  it("writes no HTML tag from a name, and keeps the failure details inside their fence", () => {
    const open = md.indexOf("```\n");
    const close = md.lastIndexOf("```");
    // Outside the code fence no tag at all; inside it markup is shown as text, and cannot close the fence.
    expect(md.slice(0, open) + md.slice(close)).not.toMatch(/<img|<script/);
    expect(md.slice(open + 3, close)).not.toContain("```");
  });

  it("counts verdicts and system states and shows the verdict words, the system, findings and short hashes", () => {
    expect(md.startsWith("### Crossfire: expectations met on 1, not met on 1, 0 errors (2 scenario variants); system: outage on 1\n")).toBe(true);
    expect(rows[0]).toContain("| 1/2 | — | thrashing x2, cascade | `abababababab` |");
    expect(rows[1]).toContain("| outage reproduced as expected (2/2) | outage, worst availability 2.6% (front) | none | `cdcdcdcdcdcd` |");
  });
});
