// `crossfire explain`: one event in words — the record, its causes as a tree, its root causes,
// what followed from it, and the findings it witnesses. Pure.
import { buildCausalGraph } from "../causal/index.js";
import { formatDuration, formatTime } from "../core/units.js";
import { ROOT_ORDER } from "../detect/action-rank.js";
import type { Finding } from "../detect/finding.js";
import type { EventRecord } from "../log/record.js";
import { describeEvent } from "./summary.js";

/** Lines explaining record `seq` of `log`, following causes up to `depth` levels. */
export function explainLines(log: readonly EventRecord[], seq: number, agents: readonly string[], findings: readonly Finding[], depth = 4): string[] {
  const graph = buildCausalGraph(log, { agents, findings });
  const r = log[seq];
  const lines = [describeEvent(r, log)];
  const facts = [r.onBehalfOf ? `on behalf of ${r.onBehalfOf}` : "", r.target ? `target ${r.target}` : "", `hash ${r.hash.slice(0, 16)}`].filter(Boolean);
  lines.push(`  ${facts.join("; ")}`);
  if (Object.keys(r.data).length > 0) lines.push(`  data ${JSON.stringify(r.data)}`);
  const kind = graph.rootKind(seq);
  if (kind !== undefined) lines.push(`  as a root cause: ${kind}`);

  lines.push("", r.causes.every((c) => c === 0) ? "why: nothing earlier caused it (a root: a fault, a timer or a workload change)" : `why (causes, up to ${depth} levels; each line is caused by the lines indented under it):`);
  const shown = new Set<number>();
  const walk = (s: number, level: number) => {
    // run.started precedes everything; listing it as a cause says nothing.
    for (const c of log[s].causes.filter((x) => x > 0)) {
      const again = shown.has(c);
      lines.push(`${"  ".repeat(level + 1)}${describeEvent(log[c], log).split("; caused by")[0]}${again ? "  (see above)" : ""}`);
      if (again) continue;
      shown.add(c);
      if (level + 1 < depth) walk(c, level + 1);
      else if (log[c].causes.some((x) => x > 0)) lines.push(`${"  ".repeat(level + 2)}... its causes: --depth ${depth + 1} shows them`);
    }
  };
  walk(seq, 0);

  const roots = graph.rootCauses(seq);
  lines.push("", roots.length === 0 ? "root causes: none found among its ancestors" : `root causes (${ROOT_ORDER}; earliest first):`);
  roots.forEach((root, i) => lines.push(`  ${i + 1}. #${root.seq} ${formatTime(root.t)} ${root.actor} (${root.kind}, ${root.depth} step${root.depth === 1 ? "" : "s"} back): ${root.reason}`));

  const blast = graph.blastRadius(seq, { limit: 50_000 });
  lines.push(
    "",
    blast.count === 0
      ? "what followed: nothing recorded it as a cause"
      : `what followed: ${blast.count} events over ${formatDuration(blast.lastMs - r.t)} (up to ${blast.depthMax} steps on), touching ${blast.components.join(", ") || "no component"}${blast.actors.length ? `; agents that reacted: ${blast.actors.join(", ")}` : ""}${blast.truncated ? " (the nearest 50 000 only)" : ""}`,
  );
  const witnessed = findings.filter((f) => f.witnesses.includes(seq));
  if (witnessed.length > 0) {
    lines.push("", "findings it witnesses:");
    for (const f of witnessed) lines.push(`  ${f.kind}${f.knob ? ` on ${f.knob}` : ""}${f.actors.length ? ` by ${f.actors.join(", ")}` : ""}: ${f.explanation[0] ?? ""}`);
  }
  return lines;
}
