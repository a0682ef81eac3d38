// Topology: components and who calls whom as a small layered SVG graph (callers on top, callees
// below; layer = longest path from a source), each node coloured by its health at the cursor and
// labelled with its main knob values at the cursor.
import type { JsonValue } from "../../sim/log/record.js";
import type { ComponentInfo, RunPayload } from "../model/payload.js";
import { sampleAt } from "../model/payload.js";
import type { Store } from "../state/store.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const NODE_WIDTH = 116;
const NODE_HEIGHT = 58;
const GAP_X = 18;
const GAP_Y = 34;
const MARGIN = 8;

export type Health = "healthy" | "degraded" | "unhealthy" | "unavailable" | "unknown";

/** Knobs shown under a node, in this order, when the component has them. */
const MAIN_KNOBS = ["replicas", "plan", "version"] as const;

interface Placed {
  info: ComponentInfo;
  layer: number;
  x: number;
  y: number;
}

/** A knob's value over time: change times ascending, the value each change set, and the value before. */
interface KnobHistory {
  times: number[];
  /** As logged (shown with String(), only at lookup: a run logs ~100 k changes). */
  values: JsonValue[];
  initial: string;
}

/**
 * Layers of a call graph: each component's layer is the longest path to it from a component no
 * one calls. Edges that close a cycle are ignored. Pure.
 */
export function layerComponents(components: readonly ComponentInfo[]): Map<string, number> {
  const ids = new Set(components.map((c) => c.id));
  const layer = new Map<string, number>();
  const onPath = new Set<string>();
  const callers = new Map<string, string[]>();
  for (const c of components) for (const callee of c.calls) if (ids.has(callee)) callers.set(callee, [...(callers.get(callee) ?? []), c.id]);
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    onPath.add(id);
    let d = 0;
    for (const caller of callers.get(id) ?? []) if (!onPath.has(caller)) d = Math.max(d, depth(caller) + 1);
    onPath.delete(id);
    layer.set(id, d);
    return d;
  };
  for (const c of components) depth(c.id);
  return layer;
}

/** Health at sample `row`: unavailable beats unhealthy beats degraded. Pure. */
export function healthAt(run: RunPayload, component: string, row: number): Health {
  const t = run.telemetry;
  const c = t.componentIds.indexOf(component);
  if (c < 0 || t.count === 0) return "unknown";
  const base = row * t.componentIds.length * t.signalNames.length + c * t.signalNames.length;
  const read = (signal: string): number | undefined => {
    const s = t.signalNames.indexOf(signal);
    return s < 0 ? undefined : t.values[base + s];
  };
  const available = read("available");
  const healthy = read("healthy");
  const degraded = read("degraded") ?? 0;
  if (available !== undefined && available <= 0) return "unavailable";
  if (healthy !== undefined && healthy < 0.5) return "unhealthy";
  if (degraded > 0 || (available !== undefined && available < 1)) return "degraded";
  return "healthy";
}

/**
 * Mounts the topology view into `root`. The graph is built per run and rebuilt only when the
 * knobs a node shows change (a streaming run can log a component's first knob change late);
 * new records are read once, and the cursor only recolours and relabels what changed.
 */
export function mountTopology(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Topology</h2><div class="topology-body"></div>`;
  const body = root.querySelector<HTMLDivElement>(".topology-body")!;
  let shownRun: RunPayload | undefined;
  let built = false;
  let nodes: { id: string; group: SVGGElement; rect: SVGRectElement; status: SVGTextElement; knobs: SVGTextElement[] }[] = [];
  let knobs = new KnobHistories();
  /** The knobs each node shows, as drawn; a change rebuilds the graph. */
  let knobsShown = "";
  let lastRow = -1;
  let lastCursor = -1;

  store.subscribe((s) => {
    if (s.run !== shownRun || !built) {
      const grown = shownRun !== undefined && s.run !== undefined && s.run.runId === shownRun.runId;
      shownRun = s.run;
      built = true;
      lastRow = -1;
      lastCursor = -1;
      if (!s.run) {
        body.innerHTML = `<p class="empty">No run yet.</p>`;
        nodes = [];
        knobsShown = "";
        return;
      }
      if (!grown) knobs = new KnobHistories();
      knobs.scan(s.run);
      const run = s.run;
      const shown = run.components.map((c) => knobsOf(run, knobs.histories, c).join(",")).join(";");
      if (!grown || shown !== knobsShown) {
        knobsShown = shown;
        nodes = build(body, run, knobs.histories);
      }
    }
    const run = s.run;
    if (!run) return;
    const row = sampleAt(run.telemetry, s.cursorMs);
    if (row === lastRow && s.cursorMs === lastCursor) return;
    lastRow = row;
    lastCursor = s.cursorMs;
    for (const n of nodes) {
      const health = healthAt(run, n.id, row);
      if (n.group.dataset.health !== health) {
        n.group.dataset.health = health;
        n.status.textContent = health;
        n.group.setAttribute("aria-label", `${n.id}: ${health}`);
      }
      for (const label of n.knobs) {
        const value = knobValue(run, knobs.histories, n.id, label.dataset.knob!, row, s.cursorMs);
        if (label.dataset.value === value) continue;
        label.textContent = `${label.dataset.knob} ${value}`;
        label.dataset.value = value;
      }
    }
  });
}

/** Every knob change in a log that grows at its end (records with data.knob and data.to), by component and knob. */
class KnobHistories {
  readonly histories = new Map<string, Map<string, KnobHistory>>();
  private scanned = 0;

  /** Reads the records of `run` added since the previous scan. */
  scan(run: RunPayload): void {
    const ids = new Set(run.components.map((c) => c.id));
    const log = run.log;
    // Consecutive changes often hit the same knob: remember the last history found.
    let lastTarget = "";
    let lastKnob = "";
    let last: KnobHistory | undefined;
    for (let i = this.scanned; i < log.length; i++) {
      const r = log[i];
      const data = r.data;
      const knob = data.knob;
      if (typeof knob !== "string") continue;
      const target = r.target;
      const to = data.to;
      if (target === undefined || to === undefined || r.type === "command.rejected") continue;
      let h = target === lastTarget && knob === lastKnob ? last : undefined;
      if (!h) {
        const component = target.includes(".") && !ids.has(target) ? target.split(".")[0] : target;
        let knobs = this.histories.get(component);
        if (!knobs) this.histories.set(component, (knobs = new Map()));
        h = knobs.get(knob);
        if (!h) knobs.set(knob, (h = { times: [], values: [], initial: data.from === undefined ? "?" : String(data.from) }));
        lastTarget = target;
        lastKnob = knob;
        last = h;
      }
      h.times.push(r.t);
      h.values.push(to);
    }
    this.scanned = log.length;
  }
}

/** A knob's value at the cursor: the last change at or before it, the value before the first change, or telemetry's `replicas`. */
function knobValue(run: RunPayload, histories: Map<string, Map<string, KnobHistory>>, component: string, knob: string, row: number, cursorMs: number): string {
  const h = histories.get(component)?.get(knob);
  if (h) {
    let lo = 0;
    let hi = h.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h.times[mid] <= cursorMs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? h.initial : String(h.values[lo - 1]);
  }
  if (knob === "replicas") {
    const t = run.telemetry;
    const c = t.componentIds.indexOf(component);
    const s = t.signalNames.indexOf("replicas");
    if (c >= 0 && s >= 0 && t.count > 0) return String(Math.round(t.values[row * t.componentIds.length * t.signalNames.length + c * t.signalNames.length + s]));
  }
  return "?";
}

/** Which knobs a node shows: those with log records, else replicas when telemetry has any. */
function knobsOf(run: RunPayload, histories: Map<string, Map<string, KnobHistory>>, component: ComponentInfo): string[] {
  const logged = histories.get(component.id);
  const shown: string[] = MAIN_KNOBS.filter((k) => logged?.has(k));
  if (!shown.includes("replicas") && hasReplicas(run, component.id)) shown.unshift("replicas");
  if (component.kind === "dnsRecord" && !shown.includes("plan") && logged?.has("plan")) shown.push("plan");
  return shown.slice(0, 2);
}

function hasReplicas(run: RunPayload, component: string): boolean {
  const t = run.telemetry;
  const c = t.componentIds.indexOf(component);
  const s = t.signalNames.indexOf("replicas");
  if (c < 0 || s < 0) return false;
  const width = t.componentIds.length * t.signalNames.length;
  for (let r = 0; r < t.count; r++) if (t.values[r * width + c * t.signalNames.length + s] > 0) return true;
  return false;
}

function build(body: HTMLElement, run: RunPayload, histories: Map<string, Map<string, KnobHistory>>) {
  const layers = layerComponents(run.components);
  const byLayer: ComponentInfo[][] = [];
  for (const c of run.components) (byLayer[layers.get(c.id)!] ??= []).push(c);
  // One barycenter pass: order each layer by the mean position of its callers, to cut crossings.
  const position = new Map<string, number>();
  byLayer.forEach((members, l) => {
    if (l > 0) {
      const score = (c: ComponentInfo) => {
        const ps = run.components.filter((p) => p.calls.includes(c.id) && position.has(p.id)).map((p) => position.get(p.id)!);
        return ps.length ? ps.reduce((a, b) => a + b, 0) / ps.length : Number.MAX_SAFE_INTEGER;
      };
      members.sort((a, b) => score(a) - score(b) || a.id.localeCompare(b.id));
    }
    members.forEach((c, i) => position.set(c.id, i));
  });
  const widest = Math.max(1, ...byLayer.map((m) => m?.length ?? 0));
  const width = MARGIN * 2 + widest * NODE_WIDTH + (widest - 1) * GAP_X;
  const height = MARGIN * 2 + byLayer.length * NODE_HEIGHT + (byLayer.length - 1) * GAP_Y;
  const placed = new Map<string, Placed>();
  byLayer.forEach((members, l) => {
    const rowWidth = members.length * NODE_WIDTH + (members.length - 1) * GAP_X;
    members.forEach((info, i) => placed.set(info.id, { info, layer: l, x: (width - rowWidth) / 2 + i * (NODE_WIDTH + GAP_X), y: MARGIN + l * (NODE_HEIGHT + GAP_Y) }));
  });

  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width: String(width), role: "img", "aria-label": "Components and their calls, coloured by health at the cursor" });
  svg.style.maxWidth = "100%";
  svg.style.height = "auto";
  const defs = el("defs", {});
  const marker = el("marker", { id: "topology-arrow", viewBox: "0 0 8 8", refX: "8", refY: "4", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" });
  marker.append(el("path", { d: "M0,0 L8,4 L0,8 z", class: "arrow-head" }));
  defs.append(marker);
  svg.append(defs);

  const edges = el("g", { class: "edges" });
  for (const c of run.components) {
    const from = placed.get(c.id)!;
    for (const callee of c.calls) {
      const to = placed.get(callee);
      if (!to) continue;
      const x1 = from.x + NODE_WIDTH / 2;
      const x2 = to.x + NODE_WIDTH / 2;
      let d: string;
      if (to.layer > from.layer) {
        const y1 = from.y + NODE_HEIGHT;
        const y2 = to.y;
        const mid = (y1 + y2) / 2;
        d = `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
      } else {
        // A call back up (a cycle) or within a layer: curve around the side.
        const y1 = from.y + NODE_HEIGHT / 2;
        const y2 = to.y + NODE_HEIGHT / 2;
        d = `M${from.x + NODE_WIDTH},${y1} C${from.x + NODE_WIDTH + 30},${y1} ${to.x + NODE_WIDTH + 30},${y2} ${to.x + NODE_WIDTH},${y2}`;
      }
      edges.append(el("path", { d, class: "edge", "marker-end": "url(#topology-arrow)", "data-from": c.id, "data-to": callee }));
    }
  }
  svg.append(edges);

  const nodes: { id: string; group: SVGGElement; rect: SVGRectElement; status: SVGTextElement; knobs: SVGTextElement[] }[] = [];
  const nodeLayer = el("g", { class: "nodes" });
  for (const p of placed.values()) {
    const group = el("g", { class: "node", transform: `translate(${p.x},${p.y})`, "data-component": p.info.id, "data-kind": p.info.kind, "data-health": "unknown", role: "img" }) as SVGGElement;
    const title = el("title", {});
    title.textContent = `${p.info.id} (${p.info.kind})${p.info.calls.length ? ` calls ${p.info.calls.join(", ")}` : ""}`;
    const rect = el("rect", { width: String(NODE_WIDTH), height: String(NODE_HEIGHT), rx: "5" }) as SVGRectElement;
    const name = el("text", { x: "6", y: "14", class: "name" });
    name.textContent = p.info.id.length > 16 ? `${p.info.id.slice(0, 15)}…` : p.info.id;
    const status = el("text", { x: "6", y: "27", class: "status" }) as SVGTextElement;
    const knobs = knobsOf(run, histories, p.info).map((knob, i) => {
      const t = el("text", { x: "6", y: String(40 + i * 12), class: "knob", "data-knob": knob }) as SVGTextElement;
      return t;
    });
    if (knobs.length === 0) {
      const kind = el("text", { x: "6", y: "40", class: "kind" });
      kind.textContent = p.info.kind;
      group.append(title, rect, name, status, kind);
    } else group.append(title, rect, name, status, ...knobs);
    nodeLayer.append(group);
    nodes.push({ id: p.info.id, group, rect, status, knobs });
  }
  svg.append(nodeLayer);
  body.replaceChildren(svg);
  return nodes;
}

function el(name: string, attributes: Record<string, string>): SVGElement {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  return node;
}
