// Words for `crossfire compare` and `crossfire whatif`: two runs side by side and where their
// logs part. Pure.
import { formatTime } from "../core/units.js";
import type { Comparison, SideFigures } from "../whatif/compare.js";
import { describeEvent } from "./summary.js";
import type { EventRecord } from "../log/record.js";

/** The side-by-side table, the key signals per component, and the first divergence. */
export function comparisonLines(c: Comparison, logA: readonly EventRecord[], logB: readonly EventRecord[]): string[] {
  const rows: [string, string, string][] = [
    ["", c.a.label, c.b.label],
    ["final hash", c.a.finalHash.slice(0, 16), c.b.finalHash.slice(0, 16)],
    ["events", String(c.a.events), String(c.b.events)],
    ["findings", findingWords(c.a), findingWords(c.b)],
    ["expectations", expectationWords(c.a), expectationWords(c.b)],
    ["rejected commands", String(c.a.rejected), String(c.b.rejected)],
    ["total cost", `$${c.a.cost.toFixed(2)}`, `$${c.b.cost.toFixed(2)}`],
  ];
  const ids = [...new Set([...c.a.components.map((x) => x.component), ...c.b.components.map((x) => x.component)])];
  for (const id of ids) {
    const a = c.a.components.find((x) => x.component === id);
    const b = c.b.components.find((x) => x.component === id);
    rows.push([`${id} availability`, a ? a.availability.toFixed(5) : "-", b ? b.availability.toFixed(5) : "-"]);
    rows.push([`${id} latency p95`, a ? `${a.latencyP95Ms.toFixed(1)}ms` : "-", b ? `${b.latencyP95Ms.toFixed(1)}ms` : "-"]);
    if ((a?.replicasMax ?? 0) + (b?.replicasMax ?? 0) > 0) rows.push([`${id} replicas (max)`, a ? String(a.replicasMax) : "-", b ? String(b.replicasMax) : "-"]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const lines = rows.map(([k, a, b]) => `${k.padEnd(w0)}  ${a.padEnd(w1)}  ${b}`);
  lines.push("");
  if (c.divergence === null) {
    lines.push("the two logs are identical");
  } else {
    lines.push(`first divergence at #${c.divergence}${c.divergence > 0 ? ` (identical up to #${c.divergence - 1})` : ""}:`);
    const a = c.divergent?.a;
    const b = c.divergent?.b;
    lines.push(`  ${c.a.label}: ${a ? describeEvent(a, logA) : "(log ends)"}`);
    lines.push(`  ${c.b.label}: ${b ? describeEvent(b, logB) : "(log ends)"}`);
    const at = a?.t ?? b?.t;
    if (at !== undefined) lines.push(`  at ${formatTime(at)}`);
  }
  return lines;
}

function findingWords(s: SideFigures): string {
  const entries = Object.entries(s.findings);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${k} x${n}`).join(", ");
}

function expectationWords(s: SideFigures): string {
  return s.expectationsTotal === 0 ? "none" : `${s.expectationsPassed}/${s.expectationsTotal} passed`;
}
