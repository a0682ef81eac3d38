// Graphviz DOT of a run's causal graph (one cluster per actor, or records ranked by time) or of
// one event's layered neighbourhood, with root causes and finding witnesses highlighted, so a
// run can be drawn with `dot -Tsvg` outside the browser. Pure.
import { formatTime } from "../core/units.js";
import { formatNumber, isDocumentWrite, isKnobChange } from "../detect/explain.js";
import type { Finding } from "../detect/finding.js";
import type { EventRecord } from "../log/record.js";
import { CLASS_ENGINE, CLASS_FAULT, CLASS_SYMPTOM, CLASS_WORKLOAD, classCode } from "../causal/classify.js";
import type { CausalGraph } from "../causal/graph.js";
import { spaceTimeLayout, type CauseEdge, type NeighbourhoodLayout } from "../causal/layout.js";
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
  /**
   * Most records drawn (default 400, DOT_NODES_MAX). Beyond it the findings' witnesses and root
   * causes and their nearest causes and effects are kept (the earliest records when there are no
   * findings), and comments and the graph label say what was left out.
   */
  maxNodes?: number;
  /** Most cause edges drawn (default 3 x maxNodes): each record's nearest causes are kept first. */
  maxEdges?: number;
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

/**
 * Default cap on the records one causal graph draws. Graphviz's dot lays out a few hundred boxes
 * in seconds, but long cause edges become chains of virtual nodes (the largest library run drew
 * 844 records and 5021 edges, 93,272 virtual nodes, and did not finish in 300 s).
 */
export const DOT_NODES_MAX = 400;
/** Above this many drawn records, lanes are not drawn as clusters: cluster layout is dot's slowest part. */
export const DOT_CLUSTER_NODES_MAX = 150;

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
 * `maxNodes` records and `maxEdges` cause edges. When there are more, what is kept is what a reader
 * needs: the findings' witnesses and root causes (and `highlight`'s records) and their causal
 * neighbourhood, nearest first (without any, the earliest records); a `// truncated: ...` comment
 * line and the graph label say how many were left out and how to see more. Large graphs are drawn
 * without lane clusters and with Graphviz's iteration limits set, so they lay out in seconds.
 * Every edge joins two declared nodes. Pure.
 */
export function causalGraphDot(log: readonly EventRecord[], options: CausalDotOptions = {}): string {
  const view = spaceTimeLayout(log, { fromMs: options.fromMs, toMs: options.toMs, actors: options.actors, omitEngine: options.omitEngine, agents: options.agents });
  const maxNodes = Math.max(1, Math.floor(options.maxNodes ?? DOT_NODES_MAX));
  const maxEdges = Math.max(0, Math.floor(options.maxEdges ?? 3 * maxNodes));
  const seeds = [...new Set([...(options.highlight?.witnesses ?? []), ...(options.highlight?.rootCauses ?? []), ...(options.findings ?? []).flatMap((f) => [...f.witnesses, ...f.rootCauses])])];
  const selection = selectRecords(view.nodes, view.edges, seeds, maxNodes);
  const nodes = selection.nodes;
  const shown = new Set(nodes.map((n) => n.seq));
  const allEdges = view.edges.filter((e) => shown.has(e.from) && shown.has(e.to));
  const large = nodes.length > DOT_CLUSTER_NODES_MAX;
  const direct = large ? withoutImpliedEdges(allEdges) : allEdges;
  const edges = nearestCausesFirst(direct, maxEdges);
  const bySeq = recordLookup(log);
  const style = highlightStyle(options.highlight, options.findings);
  const agents = options.agents === undefined ? undefined : new Set(options.agents);
  const truncated = view.nodes.length > nodes.length;
  const lanes = (options.rank ?? "lanes") === "lanes";
  const title = options.title ?? "causal graph";

  const lines: string[] = [];
  lines.push(`// Crossfire causal graph: ${nodes.length} records, ${edges.length} cause edges${options.fromMs !== undefined || options.toMs !== undefined ? `, ${formatTime(view.fromMs)}..${formatTime(view.toMs)}` : ""}.`);
  const notes: string[] = [];
  if (truncated) {
    if (selection.around > 0) {
      notes.push(`truncated: showing ${nodes.length} of ${view.nodes.length} records, the findings' ${selection.around} witnesses and root causes and their nearest causes and effects; raise --max-nodes (maxNodes) or export one record's neighbourhood with --event <seq> to see more`);
    } else {
      const last = nodes[nodes.length - 1];
      notes.push(`truncated: showing the first ${nodes.length} of ${view.nodes.length} records (up to #${last.seq} at ${formatTime(last.t)}); raise --max-nodes (maxNodes), narrow fromMs/toMs or export one record's neighbourhood with --event <seq> to see the rest`);
    }
  }
  if (direct.length < allEdges.length) notes.push(`edges: ${allEdges.length - direct.length} cause edges that a chain of drawn edges already implies are left out`);
  if (edges.length < direct.length) notes.push(`edges: showing ${edges.length} of ${direct.length} remaining cause edges, each record's nearest causes first`);
  if (large && lanes) notes.push(`lanes: not drawn as clusters above ${DOT_CLUSTER_NODES_MAX} records (each label names its actor)`);
  for (const note of notes) lines.push(`// ${note}`);
  const label = truncated ? `${title}\n(${notes[0]})` : title;
  lines.push("digraph causal {");
  // nslimit/mclimit bound dot's network-simplex and crossing-minimization passes on large graphs.
  const limits = large ? ", nslimit=2, nslimit1=2, mclimit=0.5, searchsize=30" : "";
  lines.push(`  graph [rankdir=LR, fontname="Helvetica", fontsize=12, labelloc=t, label="${escapeDot(label)}"${limits}];`);
  lines.push(`  node [shape=box, style="rounded", fontname="Helvetica", fontsize=10];`);
  lines.push(`  edge [color="#888888", arrowsize=0.6];`);
  const declare = (seq: number, indent: string): string => `${indent}n${seq} [${nodeAttributes(bySeq(seq), style, agents)}];`;
  if (lanes && !large) {
    view.lanes.forEach((lane, index) => {
      const members = nodes.filter((n) => n.lane === index);
      if (members.length === 0) return;
      lines.push(`  subgraph cluster_${index} {`);
      lines.push(`    label="${escapeDot(`${lane.actor} (${lane.kind})`)}"; color="#cccccc"; fontsize=11;`);
      for (const n of members) lines.push(declare(n.seq, "    "));
      lines.push("  }");
    });
  } else if (lanes) {
    for (const n of nodes) lines.push(declare(n.seq, "  "));
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
 * At most `max` of `nodes` (in their order): all of them when they fit; else the `seeds` among
 * them (earliest first) and then records by causal distance from the seeds (causes and effects
 * alike, breadth first, lower seq first within a distance); without seeds, the earliest records.
 * `around` is how many seeds were in view. Pure; O(nodes + edges).
 */
function selectRecords<N extends { seq: number }>(nodes: readonly N[], edges: readonly CauseEdge[], seeds: readonly number[], max: number): { nodes: N[]; around: number } {
  const inView = new Map(nodes.map((n) => [n.seq, n]));
  const start = [...new Set(seeds)].filter((s) => inView.has(s)).sort((a, b) => a - b);
  if (nodes.length <= max) return { nodes: [...nodes], around: start.length };
  if (start.length === 0) return { nodes: nodes.slice(0, max), around: 0 };
  const neighbours = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    const list = neighbours.get(a);
    if (list) list.push(b);
    else neighbours.set(a, [b]);
  };
  for (const e of edges) {
    link(e.from, e.to);
    link(e.to, e.from);
  }
  const kept = new Set<number>();
  let frontier = start;
  while (frontier.length > 0 && kept.size < max) {
    const next = new Set<number>();
    for (const seq of frontier) {
      if (kept.size >= max) break;
      if (kept.has(seq)) continue;
      kept.add(seq);
    }
    for (const seq of frontier) for (const m of neighbours.get(seq) ?? []) if (!kept.has(m)) next.add(m);
    frontier = [...next].sort((a, b) => a - b);
  }
  return { nodes: nodes.filter((n) => kept.has(n.seq)), around: start.length };
}

/**
 * `edges` (causes point at lower seqs) without those implied by a path of others: a cause of a
 * record that is also an ancestor of another of its causes. Keeps reachability, so the drawn
 * graph still shows what led to what, and drops the long edges that make dot's layout slow.
 * Pure; O(records x edges / 32) with one bitset of ancestors per record.
 */
function withoutImpliedEdges(edges: readonly CauseEdge[]): CauseEdge[] {
  const seqs = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort((a, b) => a - b);
  const index = new Map(seqs.map((seq, i) => [seq, i]));
  const words = Math.ceil(seqs.length / 32);
  const ancestors = seqs.map(() => new Uint32Array(words));
  const causesOf = new Map<number, number[]>();
  for (const e of edges) {
    const list = causesOf.get(e.to);
    if (list) list.push(e.from);
    else causesOf.set(e.to, [e.from]);
  }
  const has = (set: Uint32Array, i: number) => (set[i >>> 5] & (1 << (i & 31))) !== 0;
  const implied = new Set<string>();
  for (const seq of seqs) {
    const own = ancestors[index.get(seq)!];
    const causes = causesOf.get(seq) ?? [];
    for (const c of causes) {
      const ci = index.get(c)!;
      if (c >= seq) continue;
      if (causes.some((other) => other !== c && other < seq && has(ancestors[index.get(other)!], ci))) implied.add(`${c}>${seq}`);
      own[ci >>> 5] |= 1 << (ci & 31);
      const theirs = ancestors[ci];
      for (let w = 0; w < words; w++) own[w] |= theirs[w];
    }
  }
  return edges.filter((e) => !implied.has(`${e.from}>${e.to}`));
}

/**
 * At most `max` of `edges`, in their original order: every record's nearest cause (highest seq)
 * first, then every record's second nearest, and so on, so no record loses all its causes before
 * another loses its second. Pure.
 */
function nearestCausesFirst(edges: readonly CauseEdge[], max: number): CauseEdge[] {
  if (edges.length <= max) return [...edges];
  const causesOf = new Map<number, CauseEdge[]>();
  for (const e of edges) {
    const list = causesOf.get(e.to);
    if (list) list.push(e);
    else causesOf.set(e.to, [e]);
  }
  const rank = new Map<CauseEdge, number>();
  for (const list of causesOf.values()) [...list].sort((a, b) => b.from - a.from).forEach((e, i) => rank.set(e, i));
  const keep = new Set([...edges].sort((a, b) => rank.get(a)! - rank.get(b)! || a.to - b.to || b.from - a.from).slice(0, max));
  return edges.filter((e) => keep.has(e));
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
