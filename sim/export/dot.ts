// Graphviz DOT of a run's causal graph (one cluster per actor, or records ranked by time) or of
// one event's layered neighbourhood, with root causes and finding witnesses highlighted, so a
// run can be drawn with `dot -Tsvg` outside the browser. Pure.
import { formatTime } from "../core/units.js";
import { formatNumber, isDocumentWrite, isKnobChange } from "../detect/explain.js";
import type { Finding } from "../detect/finding.js";
import type { EventRecord } from "../log/record.js";
import { CLASS_ENGINE, CLASS_FAULT, CLASS_SYMPTOM, CLASS_WORKLOAD, classCode } from "../causal/classify.js";
import type { CausalGraph } from "../causal/graph.js";
import { spaceTimeLayout, type NeighbourhoodLayout } from "../causal/layout.js";
import { asText } from "./html-text.js";
import { jsonText } from "../log/json-text.js";

/** Which records to emphasize. */
export interface DotHighlight {
  /** Drawn filled red: the events a run or an event comes from. */
  rootCauses?: readonly number[];
  /** Drawn with a thick blue border: the records a finding rests on. */
  witnesses?: readonly number[];
}

export interface CausalDotOptions {
  /** Graph title, e.g. the scenario name. */
  title?: string;
  /** `lanes` (default): one cluster per actor; `time`: records logged at the same time share a rank. */
  rank?: "lanes" | "time";
  fromMs?: number;
  toMs?: number;
  /** Only these actors (see spaceTimeLayout). */
  actors?: readonly string[];
  omitEngine?: boolean;
  /** The scenario's agent ids, for classifying records (see classCode). */
  agents?: readonly string[];
  /** Most records drawn (default 2000): Graphviz slows down badly beyond a few thousand. */
  maxNodes?: number;
  highlight?: DotHighlight;
  /** Findings whose witnesses and root causes are highlighted too. */
  findings?: readonly Finding[];
}

export interface NeighbourhoodDotOptions {
  title?: string;
  highlight?: DotHighlight;
  findings?: readonly Finding[];
  agents?: readonly string[];
}

const DOT_NODES_MAX = 2000;

/**
 * Escapes `value` (whatever its type: see asText) for a double-quoted DOT string used as a label: backslash and double quote are
 * escaped, a line break becomes Graphviz's `\n` (a centred line), carriage returns are dropped
 * and other control characters become spaces. Pure.
 */
export function escapeDot(value: unknown): string {
  let out = "";
  for (const ch of asText(value)) {
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") continue;
    else if (ch < " " || ch === "\u007f") out += " ";
    else out += ch;
  }
  return out;
}

/** The two-line label of a record, unescaped: `#12 cost` and `replicas.scaled web 8->6`. Pure. */
export function eventLabel(r: EventRecord): string {
  return `#${r.seq} ${r.actor}\n${eventSummary(r)}`;
}

/** What a record did, in a few words: type, target and the change. Pure. */
export function eventSummary(r: EventRecord): string {
  const target = r.target !== undefined ? ` ${r.target}` : "";
  const d = r.data;
  if (isKnobChange(r)) return `${r.type}${target}${r.data.knob === "replicas" ? "" : `.${jsonText(r.data.knob)}`} ${formatNumber(r.data.from)}->${formatNumber(r.data.to)}`;
  if (isDocumentWrite(r)) return `${r.type}${target} ${jsonText(d.document)} v${jsonText(d.version)}`;
  if (r.type === "health.changed") return `${r.type}${target} ${d.healthy === false ? "unhealthy" : "healthy"}`;
  if (r.type === "fault.started" || r.type === "fault.ended") return `${r.type}${target} ${jsonText(d.effect ?? "")}`.trimEnd();
  if (r.type === "workload.changed") return `${r.type}${target} ${formatNumber(Number(d.from))}->${formatNumber(Number(d.to))} rps`;
  if (r.type === "command.rejected") return `${r.type}${target}.${jsonText(d.knob)}=${jsonText(d.value)} (${jsonText(d.policy)})`;
  return `${r.type}${target}`;
}

/**
 * DOT text of the causal graph of `log` (optionally a time window and a set of actors), at most
 * `maxNodes` records: beyond that the earliest are kept and a `// truncated: ...` comment line
 * (and the graph label) says how many were left out. Every edge joins two declared nodes. Pure.
 */
export function causalGraphDot(log: readonly EventRecord[], options: CausalDotOptions = {}): string {
  const view = spaceTimeLayout(log, { fromMs: options.fromMs, toMs: options.toMs, actors: options.actors, omitEngine: options.omitEngine, agents: options.agents });
  const maxNodes = Math.max(1, options.maxNodes ?? DOT_NODES_MAX);
  const nodes = view.nodes.slice(0, maxNodes);
  const shown = new Set(nodes.map((n) => n.seq));
  const edges = view.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const bySeq = recordLookup(log);
  const style = highlightStyle(options.highlight, options.findings);
  const agents = options.agents === undefined ? undefined : new Set(options.agents);
  const truncated = view.nodes.length > nodes.length;
  const title = options.title ?? "causal graph";

  const lines: string[] = [];
  lines.push(`// Crossfire causal graph: ${nodes.length} records, ${edges.length} cause edges${options.fromMs !== undefined || options.toMs !== undefined ? `, ${formatTime(view.fromMs)}..${formatTime(view.toMs)}` : ""}.`);
  let label = title;
  if (truncated) {
    const last = nodes[nodes.length - 1];
    const note = `truncated: showing the first ${nodes.length} of ${view.nodes.length} records (up to #${last.seq} at ${formatTime(last.t)}); raise maxNodes or narrow fromMs/toMs to see the rest`;
    lines.push(`// ${note}`);
    label = `${title}\n(${note})`;
  }
  lines.push("digraph causal {");
  lines.push(`  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, label="${escapeDot(label)}"];`);
  lines.push(`  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];`);
  lines.push(`  edge [color="#888888", arrowsize=0.6];`);
  const declare = (seq: number, indent: string): string => `${indent}n${seq} [${nodeAttributes(bySeq(seq), style, agents)}];`;
  if ((options.rank ?? "lanes") === "lanes") {
    view.lanes.forEach((lane, index) => {
      const members = nodes.filter((n) => n.lane === index);
      if (members.length === 0) return;
      lines.push(`  subgraph cluster_${index} {`);
      lines.push(`    label="${escapeDot(`${lane.actor} (${lane.kind})`)}"; color="#cccccc"; fontsize=11;`);
      for (const n of members) lines.push(declare(n.seq, "    "));
      lines.push("  }");
    });
  } else {
    for (const n of nodes) lines.push(declare(n.seq, "  "));
    // Records logged at the same simulated time share a rank, so x reads as time order.
    let i = 0;
    while (i < nodes.length) {
      let j = i;
      while (j < nodes.length && nodes[j].t === nodes[i].t) j++;
      if (j - i > 1) lines.push(`  { rank=same; ${nodes.slice(i, j).map((n) => `n${n.seq};`).join(" ")} }`);
      i = j;
    }
  }
  for (const e of edges) lines.push(`  n${e.from} -> n${e.to};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/**
 * DOT text of one event's neighbourhood as laid out by neighbourhoodLayout: one rank per layer
 * (causes left, effects right), nodes declared in layer order, the event itself with a double
 * border. A `// dropped: ...` comment says how many records the layout left out. Pure.
 */
export function neighbourhoodDot(graph: CausalGraph, layout: NeighbourhoodLayout, options: NeighbourhoodDotOptions = {}): string {
  const style = highlightStyle(options.highlight, options.findings);
  const agents = options.agents === undefined ? undefined : new Set(options.agents);
  const center = graph.record(layout.center);
  const lines: string[] = [];
  lines.push(`// Crossfire neighbourhood of #${layout.center}: ${layout.nodes.length} records in ${layout.layers.length} layers, ${layout.edges.length} cause edges.`);
  if (layout.dropped > 0) lines.push(`// dropped: ${layout.complete ? "" : "at least "}${layout.dropped} more records within reach were left out (farthest first) to stay within maxNodes.`);
  const title = options.title ?? `neighbourhood of #${center.seq} ${center.actor} ${center.type}`;
  lines.push("digraph neighbourhood {");
  lines.push(`  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, label="${escapeDot(title)}"];`);
  lines.push(`  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];`);
  lines.push(`  edge [color="#888888", arrowsize=0.6];`);
  for (const layer of layout.layers) {
    lines.push(`  // layer ${layer.layer}`);
    for (const seq of layer.seqs) {
      const extra = seq === layout.center ? ", peripheries=2" : "";
      lines.push(`  n${seq} [${nodeAttributes(graph.record(seq), style, agents)}${extra}];`);
    }
    if (layer.seqs.length > 1) lines.push(`  { rank=same; ${layer.seqs.map((s) => `n${s};`).join(" ")} }`);
  }
  for (const e of layout.edges) lines.push(`  n${e.from} -> n${e.to};`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

type Emphasis = Map<number, "root" | "witness">;

function highlightStyle(highlight: DotHighlight | undefined, findings: readonly Finding[] | undefined): Emphasis {
  const style: Emphasis = new Map();
  const witnesses = [...(highlight?.witnesses ?? []), ...(findings ?? []).flatMap((f) => f.witnesses)];
  const roots = [...(highlight?.rootCauses ?? []), ...(findings ?? []).flatMap((f) => f.rootCauses)];
  for (const w of witnesses) style.set(w, "witness");
  for (const r of roots) style.set(r, "root");
  return style;
}

function nodeAttributes(r: EventRecord, style: Emphasis, agents: ReadonlySet<string> | undefined): string {
  const attrs = [`label="${escapeDot(eventLabel(r))}"`];
  const emphasis = style.get(r.seq);
  const code = classCode(r, agents);
  if (emphasis === "root") attrs.push(`style="rounded,filled,bold"`, `fillcolor="#f8d0d0"`, `color="#c00000"`, `penwidth=2`);
  else if (code === CLASS_FAULT) attrs.push(`style="rounded,filled"`, `fillcolor="#fde2c8"`);
  else if (code === CLASS_WORKLOAD) attrs.push(`style="rounded,filled"`, `fillcolor="#e6f0d8"`);
  else if (code === CLASS_SYMPTOM) attrs.push(`style="rounded,dashed"`);
  else if (code === CLASS_ENGINE) attrs.push(`color="#999999"`, `fontcolor="#666666"`);
  if (emphasis === "witness") attrs.push(`color="#1f5fbf"`, `penwidth=2.5`);
  attrs.push(`tooltip="${escapeDot(`${formatTime(r.t)} ${r.type}`)}"`);
  return attrs.join(", ");
}

/** Record by seq: direct for whole logs, a map otherwise. */
function recordLookup(log: readonly EventRecord[]): (seq: number) => EventRecord {
  const whole = log.every((r, i) => r.seq === i);
  if (whole) return (seq) => log[seq];
  const map = new Map(log.map((r) => [r.seq, r]));
  return (seq) => map.get(seq)!;
}
