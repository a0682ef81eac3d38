// Compare: the shown run (side a) next to another variant of the same scenario (side b), run in
// this view's own Web Worker with the same seed. Shows both runs' figures, aligned sparklines of
// error rate and replicas for the components with load on one shared time axis, and the first
// divergence in meaning (ui/views/divergence.ts). Side b is requested once the shown run is complete
// (it streams in first); drawings are rebuilt only when a run or the size changes. The cursor is
// a div on its own compositor layer, so moving it repaints no sparkline.
import { axisBottom } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import { divergenceOf, type LogDivergence } from "../../sim/whatif/divergence.js";
import type { RunPayload } from "../model/payload.js";
import { SimClient } from "../model/sim-client.js";
import { sampleAt, series } from "../model/payload.js";
import type { AppState, Store } from "../state/store.js";
import { downsamplePerPixel } from "./timeline-series.js";
import { fillDivergence } from "./divergence.js";
import { overlayChart } from "./compare-overlay.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const LABEL_WIDTH = 172;
const SPARK_HEIGHT = 22;
const AXIS_HEIGHT = 20;
const PAD_RIGHT = 12;

interface SignalSpec {
  signal: string;
  label: string;
  format: (v: number) => string;
}

/** The key signals compared, per component with load. */
const SIGNALS: readonly SignalSpec[] = [
  { signal: "errorRate", label: "error rate", format: (v) => `${(v * 100).toFixed(v > 0 && v < 0.01 ? 2 : 1)}%` },
  { signal: "replicas", label: "replicas", format: (v) => String(Math.round(v)) },
];
/** More components make the rows unreadable; the ones with load come first in the scenario. */
const COMPONENTS_MAX = 4;

/** Mounts the compare view into `root`; it follows `store` from then on. */
export function mountCompare(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Compare variants <span class="cmp-legend">a = the run shown above · b = the variant picked here</span></h2>
    <div class="cmp-head">
      <label>Compare with <select class="cmp-other" data-testid="compare-variant" disabled></select></label>
      <span class="cmp-status" role="status" aria-live="polite"></span>
    </div>
    <p class="cmp-explain" data-testid="compare-explain" hidden></p>
    <div class="cmp-body"><p class="cmp-empty">No run yet.</p></div>`;
  const picker = root.querySelector<HTMLSelectElement>(".cmp-other")!;
  const status = root.querySelector<HTMLSpanElement>(".cmp-status")!;
  const body = root.querySelector<HTMLDivElement>(".cmp-body")!;
  const explain = root.querySelector<HTMLParagraphElement>(".cmp-explain")!;
  root.dataset.otherVariant = "";

  /** The request the current (or pending) side b answers; a new key means a new run. */
  let wantedKey = "";
  let otherKey = "";
  let other: RunPayload | undefined;
  let otherError: string | undefined;
  let shown: RunPayload | undefined;
  let drawing: Drawing | undefined;
  let drawnWith: { a?: RunPayload; b?: RunPayload; width: number } = { width: 0 };
  let divergence: { a?: RunPayload; b?: RunPayload; d?: LogDivergence } = {};
  /** The body's width as the ResizeObserver last reported it (0: not yet). */
  let lastWidth = 0;

  const sim = new SimClient((reply) => {
    otherKey = wantedKey;
    if (reply.type === "error") {
      other = undefined;
      otherError = reply.message;
    } else {
      other = reply.run;
      otherError = undefined;
    }
    render();
  });

  /** Picks side b's variant and asks the worker for it when it is not the one held. */
  const request = (s: AppState) => {
    const run = s.run!;
    const candidates = run.variants.filter((v) => v !== run.variant);
    const names = Array.from(picker.options, (o) => o.value);
    if (names.join() !== candidates.join()) picker.replaceChildren(...candidates.map((n) => new Option(n, n)));
    picker.disabled = candidates.length === 0;
    if (candidates.length === 0) {
      wantedKey = "";
      return;
    }
    if (!candidates.includes(picker.value)) picker.value = candidates[0];
    const variant = picker.value;
    const key = JSON.stringify([s.scenarioFile, s.scenarioText, run.seed, variant]);
    if (key === wantedKey) return;
    wantedKey = key;
    sim.run({ text: s.scenarioText, file: s.scenarioFile, variant, seed: run.seed });
  };

  const render = () => {
    const s = store.get();
    const run = s.run;
    root.dataset.otherVariant = run && wantedKey ? picker.value : "";
    explain.hidden = true;
    if (!run) {
      body.innerHTML = `<p class="cmp-empty">No run yet.</p>`;
      status.textContent = "";
      drawing = undefined;
      drawnWith = { width: 0 };
      divergence = {};
      return;
    }
    if (!run.complete) {
      // The figures, findings and divergence are those of whole runs: wait for the shown one.
      body.innerHTML = `<p class="cmp-empty">Waiting for the shown run to finish…</p>`;
      status.textContent = "";
      root.dataset.status = "running";
      drawing = undefined;
      drawnWith = { width: 0 };
      divergence = {};
      return;
    }
    if (!wantedKey) {
      body.innerHTML = `<p class="cmp-empty">This scenario has no variants to compare.</p>`;
      status.textContent = "";
      root.dataset.status = "none";
      drawing = undefined;
      drawnWith = { width: 0 };
      divergence = {};
      return;
    }
    // What "a" and "b" stand for, before anything else uses the letters.
    const explanation = `a is the run shown in the app (${variantName(run, "a")}, seed ${run.seed}); b is the same scenario and seed run with the ${picker.value} variant in this panel's own worker. Everything below is b set against a: the divergence, the overlay (a solid, b dashed) and the rows.`;
    if (explain.textContent !== explanation) explain.textContent = explanation;
    explain.hidden = false;
    const ready = otherKey === wantedKey;
    root.dataset.status = !ready ? "running" : otherError ? "error" : "done";
    status.textContent = !ready ? `Running ${picker.value} in a Web Worker…` : otherError ? `${picker.value} failed: ${otherError}` : "";
    const b = ready && !otherError ? other : undefined;
    if (!b) {
      if (!ready && drawing) return; // keep the last comparison until the new one arrives
      body.innerHTML = `<p class="cmp-empty">${ready ? "The other variant did not run." : "Waiting for the other variant…"}</p>`;
      drawing = undefined;
      drawnWith = { width: 0 };
      divergence = {};
      return;
    }
    // The width the ResizeObserver last reported: reading layout here would force it.
    const width = Math.max(360, lastWidth || Math.floor(body.clientWidth || root.clientWidth || 800));
    if (drawnWith.a !== run || drawnWith.b !== b || drawnWith.width !== width) {
      // A resize redraws the sparklines but need not align the logs again.
      if (divergence.a !== run || divergence.b !== b) divergence = { a: run, b, d: divergenceOf(run.log, b.log, { a: variantName(run, "a"), b: variantName(b, "b") }) };
      drawing = draw(body, run, b, width, store, divergence.d!);
      drawnWith = { a: run, b, width };
    }
    drawing?.update(s.cursorMs);
  };

  picker.addEventListener("change", () => {
    const s = store.get();
    if (s.run) request(s);
    render();
  });

  store.subscribe((s, previous) => {
    if (s.run && s.run !== shown) {
      // A streaming run's updates (same runId) change nothing here until it completes. Side b
      // is asked for then, not before: on two cores it would slow the shown run down.
      const grown = shown !== undefined && shown.runId === s.run.runId;
      const completed = s.run.complete && !(grown && shown!.complete);
      shown = s.run;
      if (completed) request(s);
      if (!grown || completed) render();
    } else if (!s.run && shown) {
      shown = undefined;
      render();
    } else if (drawing && s.cursorMs !== previous.cursorMs) {
      drawing.update(s.cursorMs);
    }
  });

  new ResizeObserver((entries) => {
    const w = Math.floor(entries[entries.length - 1].contentRect.width);
    if (w === lastWidth) return;
    lastWidth = w;
    if (drawing) render();
  }).observe(body);
}

interface Drawing {
  update(cursorMs: number): void;
}

/** Draws the comparison of `a` (shown) and `b` (other), whose logs differ as `d`, into `body`; returns the cursor updater. */
function draw(body: HTMLElement, a: RunPayload, b: RunPayload, width: number, store: Store, d: LogDivergence): Drawing {
  body.innerHTML = "";
  const sides = document.createElement("div");
  sides.className = "cmp-sides";
  sides.append(sideTable("a", a), sideTable("b", b));
  body.append(sides);

  // How the logs differ: the first divergence in meaning, hidden-field differences, hash chains.
  const div = document.createElement("div");
  div.className = "cmp-divergence";
  div.dataset.testid = "divergence";
  fillDivergence(div, store, d, { label: `${variantName(a, "a")} (a)`, side: "a", log: a.log }, { label: `${variantName(b, "b")} (b)`, side: "b", log: b.log }, { className: "cmp-go", testid: "divergence-go" });
  body.append(div);

  // The signal where the two runs differ most, a over b on one axis (the picker offers the rest).
  const overlay = overlayChart(a, b, { a: `${variantName(a, "a")} (shown)`, b: variantName(b, "b") }, width);
  body.append(overlay.element);

  // Sparklines on one shared time axis.
  const duration = Math.max(a.durationMs, b.durationMs, 1);
  const x = scaleLinear().domain([0, duration]).range([LABEL_WIDTH, width - PAD_RIGHT]);
  const components = loaded(a, b).slice(0, COMPONENTS_MAX);
  const values: { el: SVGTextElement; run: RunPayload; data: Float32Array; spec: SignalSpec; text: string }[] = [];
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "cmp-sparks");
  svg.setAttribute("width", String(width));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Error rate and replicas of ${components.join(", ")}: ${variantName(a, "a")} above ${variantName(b, "b")}`);
  let y0 = 0;
  for (const component of components) {
    for (const spec of SIGNALS) {
      const da = series(a.telemetry, component, spec.signal);
      const db = series(b.telemetry, component, spec.signal);
      let max = 0;
      for (const v of da) max = Math.max(max, v);
      for (const v of db) max = Math.max(max, v);
      if (max === 0 && spec.signal === "replicas") continue; // no replicas (a load balancer): no row
      if (max === 0) max = 1;
      for (const [side, run, data] of [["a", a, da], ["b", b, db]] as const) {
        const g = document.createElementNS(SVG_NS, "g");
        g.setAttribute("class", `cmp-row cmp-${side}`);
        g.setAttribute("transform", `translate(0,${y0})`);
        g.dataset.side = side;
        g.dataset.component = component;
        g.dataset.signal = spec.signal;
        const y = scaleLinear().domain([0, max]).range([SPARK_HEIGHT - 2, 2]);
        const bg = document.createElementNS(SVG_NS, "rect");
        bg.setAttribute("class", "cmp-bg");
        bg.setAttribute("x", String(x(0)));
        bg.setAttribute("width", String(x(duration) - x(0)));
        bg.setAttribute("height", String(SPARK_HEIGHT));
        const label = document.createElementNS(SVG_NS, "text");
        label.setAttribute("class", "cmp-label");
        label.setAttribute("x", "0");
        label.setAttribute("y", String(SPARK_HEIGHT / 2 + 4));
        label.textContent = `${side === "a" ? `${component} ${spec.label}` : ""}`;
        const tag = document.createElementNS(SVG_NS, "text");
        tag.setAttribute("class", "cmp-tag");
        tag.setAttribute("x", String(LABEL_WIDTH - 44));
        tag.setAttribute("y", String(SPARK_HEIGHT / 2 + 4));
        tag.setAttribute("text-anchor", "end");
        tag.textContent = side;
        const value = document.createElementNS(SVG_NS, "text");
        value.setAttribute("class", "cmp-value");
        value.setAttribute("x", String(LABEL_WIDTH - 4));
        value.setAttribute("y", String(SPARK_HEIGHT / 2 + 4));
        value.setAttribute("text-anchor", "end");
        const line = document.createElementNS(SVG_NS, "polyline");
        line.setAttribute("class", "cmp-line");
        line.setAttribute("points", points(run, data, x, y));
        g.append(bg, label, tag, value, line);
        svg.append(g);
        values.push({ el: value, run, data, spec, text: "" });
        y0 += SPARK_HEIGHT;
      }
      y0 += 6;
    }
  }
  const axis = document.createElementNS(SVG_NS, "g");
  axis.setAttribute("class", "cmp-axis");
  axis.setAttribute("transform", `translate(0,${y0})`);
  select(axis).call(
    axisBottom(x)
      .tickValues(timeTicks(duration, Math.max(2, Math.floor((width - LABEL_WIDTH) / 90))))
      .tickFormat((d) => formatTime(Number(d))),
  );
  svg.append(axis);
  svg.setAttribute("height", String(y0 + AXIS_HEIGHT));
  // The cursor spans the sparkline rows on its own compositor layer (see ui/styles.css).
  const plot = document.createElement("div");
  plot.className = "cmp-plot";
  const cursor = document.createElement("div");
  cursor.className = "cmp-cursor";
  cursor.setAttribute("aria-hidden", "true");
  cursor.style.height = `${Math.max(0, y0 - 6)}px`;
  plot.append(svg, cursor);
  body.append(plot);

  const figure = body.querySelector<HTMLElement>(".cmp-sides")!;
  return {
    update(cursorMs: number) {
      overlay.update(cursorMs);
      cursor.style.transform = `translateX(${x(Math.min(Math.max(cursorMs, 0), duration)).toFixed(1)}px)`;
      for (const v of values) {
        const text = v.run.telemetry.count ? v.spec.format(v.data[sampleAt(v.run.telemetry, cursorMs)]) : "";
        if (text !== v.text) {
          v.text = text;
          v.el.textContent = text;
        }
      }
      svg.dataset.cursorMs = String(cursorMs);
      figure.dataset.cursorMs = String(cursorMs);
    },
  };
}

/** Tick times at a round interval (1 min .. 1 day) giving at most `most` ticks. */
function timeTicks(duration: number, most: number): number[] {
  const steps = [1, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440].map((m) => m * 60_000);
  const step = steps.find((s) => duration / s <= most) ?? Math.ceil(duration / most);
  const out: number[] = [];
  for (let t = 0; t <= duration; t += step) out.push(t);
  return out;
}

/** The per-run figures: findings per kind, expectations passed, rejected commands, final hash. */
function sideTable(side: "a" | "b", run: RunPayload): HTMLElement {
  const box = document.createElement("div");
  box.className = `cmp-side cmp-${side}`;
  box.dataset.side = side;
  box.dataset.variant = run.variant ?? "";
  const kinds = new Map<string, number>();
  for (const f of run.findings) kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
  const sorted = [...kinds].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  box.dataset.findings = sorted.map(([k, n]) => `${k}=${n}`).join(",");
  const rejected = run.log.filter((r) => r.type === "command.rejected").length;
  const passed = run.expectations.filter((e) => e.passed).length;
  box.dataset.rejected = String(rejected);
  box.dataset.finalHash = run.finalHash;
  const h = document.createElement("h3");
  h.textContent = `${side} · ${side === "a" ? "shown" : "other"}: ${variantName(run, side)}`;
  const table = document.createElement("table");
  const rows: [string, string | string[], string?][] = [
    ["findings", sorted.length ? sorted.map(([k, n]) => `${k} ×${n}`) : "none"],
    ["expectations", `${passed} / ${run.expectations.length} passed`, run.passed ? "pass" : "fail"],
    ["rejected commands", String(rejected)],
    ["events", String(run.log.length)],
    ["final hash", run.finalHash.slice(0, 16)],
  ];
  for (const [name, value, cls] of rows) {
    const tr = table.insertRow();
    const th = document.createElement("th");
    th.scope = "row";
    th.textContent = name;
    const td = tr.insertCell();
    // A list wraps between its items, never inside a word.
    if (Array.isArray(value)) td.append(...value.flatMap((item, k) => [...(k > 0 ? [", "] : []), nowrap(item)]));
    else td.textContent = value;
    if (cls) td.className = cls;
    if (name === "final hash") {
      td.title = run.finalHash;
      td.classList.add("id");
    }
    tr.prepend(th);
  }
  box.append(h, table);
  return box;
}

/** A span that does not wrap (one finding kind and its count). */
function nowrap(text: string): HTMLSpanElement {
  const span = document.createElement("span");
  span.className = "nowrap";
  span.textContent = text;
  return span;
}

function variantName(run: RunPayload, side: string): string {
  return run.variant ?? `run ${side}`;
}

/** Components with load in either run, in telemetry order. */
function loaded(a: RunPayload, b: RunPayload): string[] {
  const ids = a.telemetry.componentIds.filter((id) => b.telemetry.componentIds.includes(id));
  return ids.filter((id) => [a, b].some((run) => series(run.telemetry, id, "loadRps").some((v) => v > 0)));
}

/** Polyline points: per pixel column, its minimum and maximum sample (drawn once per run pair). */
function points(run: RunPayload, data: Float32Array, x: (t: number) => number, y: (v: number) => number): string {
  const times = run.telemetry.times;
  return downsamplePerPixel(times, data, run.telemetry.count, x)
    .map((i) => `${x(times[i]).toFixed(1)},${y(data[i]).toFixed(1)}`)
    .join(" ");
}
