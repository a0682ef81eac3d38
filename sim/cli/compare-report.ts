// Words for `crossfire compare` and `crossfire whatif`: two runs side by side, where their logs
// first differ in meaning, and where their hash chains part. Pure.
import { formatTime } from "../core/units.js";
import type { Comparison, SideFigures } from "../whatif/compare.js";
import { describeEvent } from "./summary.js";
import type { EventRecord } from "../log/record.js";

/** The side-by-side table, the key signals per component, and the divergence (see divergenceLines). Pure. */
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
  lines.push("", ...divergenceLines(c, logA, logB));
  return lines;
}

/**
 * The first divergence in meaning (a sentence, then both records in words), the hidden-field
 * differences before it, and where the hash chains part. Pure.
 */
export function divergenceLines(c: Comparison, logA: readonly EventRecord[], logB: readonly EventRecord[]): string[] {
  if (c.chainDivergence === null) return ["the two logs are identical"];
  const lines: string[] = [];
  const d = c.divergence;
  if (d === null) {
    lines.push("no divergence in meaning: the logs differ only in hidden fields");
  } else {
    lines.push(`first divergence in meaning at ${formatTime(d.t)} (${seqWords(c.a.label, d.a)}, ${seqWords(c.b.label, d.b)}):`);
    lines.push(`  ${d.description}`);
    lines.push(`  ${c.a.label}: ${d.a ? describeEvent(d.a, logA) : "(no such record)"}`);
    lines.push(`  ${c.b.label}: ${d.b ? describeEvent(d.b, logB) : "(no such record)"}`);
  }
  const { count, first } = c.hidden;
  if (count > 0) {
    lines.push(`${d === null ? "" : "before it, "}${count} hidden-field difference${count === 1 ? "" : "s"} (records that mean the same and differ only in fields outside the meaning, or bookkeeping records on one side):`);
    for (const h of first) lines.push(`  ${h.description}`);
    if (count > first.length) lines.push(`  ... ${count - first.length} more`);
  }
  const n = c.chainDivergence;
  lines.push(`the hash chains diverge at #${n}${n > 0 ? ` (identical up to #${n - 1})` : ""}`);
  return lines;
}

function seqWords(label: string, r: EventRecord | undefined): string {
  return `${label} ${r ? `#${r.seq}` : "(none)"}`;
}

function findingWords(s: SideFigures): string {
  const entries = Object.entries(s.findings);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${k} x${n}`).join(", ");
}

function expectationWords(s: SideFigures): string {
  return s.expectationsTotal === 0 ? "none" : `${s.expectationsPassed}/${s.expectationsTotal} met`;
}
