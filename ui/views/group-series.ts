// Group series in the timeline panel: a scenario with groups gets a chooser of its groups'
// aggregate series (`cells.sum.replicas`) and one line chart of the chosen series over the run
// (or the time panels' shared zoom window), with the shared crosshair; dragging across it zooms
// every time panel, a click moves the cursor, double-click shows the whole run.
// Text is set with textContent only (group ids and aggregate names come from the scenario).
import { formatTime } from "../../sim/core/units.js";
import { series, type RunPayload, type TelemetryPayload } from "../model/payload.js";
import type { Store, TimeWindow } from "../state/store.js";
import { formatSignal } from "./format.js";
import { clampWindow, onHover, setHover, setTimeWindow, visibleWindow, zoomKey } from "./time-scale-shared.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const HEIGHT = 80;

/** The sampled group series of `t` as `<group>.<aggregate>`, in telemetry order: columns that are not NaN at every sample. Pure. */
export function groupSeriesNames(t: TelemetryPayload): string[] {
  const g = t.groups;
  if (g === undefined) return [];
  const out: string[] = [];
  for (const group of g.componentIds) {
    for (const name of g.signalNames) {
      if (series(g, group, name).some((v) => !Number.isNaN(v))) out.push(`${group}.${name}`);
    }
  }
  return out;
}

/** SVG polyline points of `values` at `times` over [0, durationMs] (or `window`) x [min, max] in a WIDTH x HEIGHT box. Pure. */
export function linePoints(values: Float32Array, times: Float64Array, durationMs: number, window: TimeWindow = { fromMs: 0, toMs: durationMs }): { points: string; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
  if (min === Infinity) return { points: "", min: NaN, max: NaN };
  const span = max - min || 1;
  const points: string[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x = ((times[i] - window.fromMs) / Math.max(1, window.toMs - window.fromMs)) * WIDTH;
    const y = HEIGHT - 2 - ((v - min) / span) * (HEIGHT - 4);
    points.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  return { points: points.join(" "), min, max };
}

/** Appends the group series chooser and chart to `root` (the timeline panel); it follows `store`. */
export function mountGroupSeries(root: HTMLElement, store: Store): void {
  const box = document.createElement("div");
  box.className = "tl-groups";
  box.hidden = true;
  const label = document.createElement("label");
  label.textContent = "Group series ";
  const select = document.createElement("select");
  select.setAttribute("aria-label", "Group series");
  label.append(select);
  const chart = document.createElementNS(SVG_NS, "svg");
  chart.setAttribute("viewBox", `0 0 ${WIDTH} ${HEIGHT}`);
  chart.setAttribute("class", "tl-group-chart");
  chart.setAttribute("role", "img");
  const line = document.createElementNS(SVG_NS, "polyline");
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  const hoverLine = document.createElementNS(SVG_NS, "line");
  hoverLine.setAttribute("class", "tl-group-hover");
  hoverLine.setAttribute("y1", "0");
  hoverLine.setAttribute("y2", String(HEIGHT));
  hoverLine.setAttribute("visibility", "hidden");
  chart.append(line, hoverLine);
  chart.setAttribute("tabindex", "0");
  chart.style.overflow = "hidden";
  const caption = document.createElement("p");
  caption.className = "tl-group-caption mono";
  box.append(label, chart, caption);
  root.append(box);

  let run: RunPayload | undefined;
  const draw = () => {
    const name = select.value;
    box.dataset.series = name;
    if (!run || name === "") return;
    const dot = name.indexOf(".");
    const values = series(run.telemetry, name.slice(0, dot), name.slice(dot + 1));
    const times = run.telemetry.groups!.times;
    window = visibleWindow(store.get());
    const { points, min, max } = linePoints(values, times, run.durationMs, window);
    line.setAttribute("points", points);
    chart.setAttribute("aria-label", `${name} over the run; click moves the cursor, drag zooms every time panel`);
    const last = values.length > 0 ? values[values.length - 1] : NaN;
    const fmt = (v: number) => formatSignal(name, v);
    caption.textContent = `${name}: min ${fmt(min)}, max ${fmt(max)}, at ${formatTime(times[values.length - 1] ?? 0)} ${fmt(last)}`;
  };
  select.addEventListener("change", draw);

  // Pointer <-> time over the shown window (the chart is stretched to the panel's width).
  let window: TimeWindow = { fromMs: 0, toMs: 1 };
  const msAt = (clientX: number): number => {
    const box = chart.getBoundingClientRect();
    const share = Math.min(1, Math.max(0, (clientX - box.left) / Math.max(1, box.width)));
    return window.fromMs + share * (window.toMs - window.fromMs);
  };
  onHover(store, (ms) => {
    const inside = ms !== null && ms >= window.fromMs && ms <= window.toMs && !box.hidden;
    hoverLine.setAttribute("visibility", inside ? "visible" : "hidden");
    if (!inside) return;
    const x = (((ms - window.fromMs) / Math.max(1, window.toMs - window.fromMs)) * WIDTH).toFixed(1);
    hoverLine.setAttribute("x1", x);
    hoverLine.setAttribute("x2", x);
  });
  let press: { x: number; ms: number } | undefined;
  chart.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 || !run) return;
    press = { x: e.clientX, ms: msAt(e.clientX) };
    chart.setPointerCapture(e.pointerId);
    store.set({ cursorMs: Math.round(press.ms), playing: false });
  });
  chart.addEventListener("pointermove", (e) => setHover(store, msAt(e.clientX)));
  chart.addEventListener("pointerleave", () => setHover(store, null));
  chart.addEventListener("pointerup", (e) => {
    const was = press;
    press = undefined;
    if (was && run && Math.abs(e.clientX - was.x) >= 5) setTimeWindow(store, clampWindow(was.ms, msAt(e.clientX), run.durationMs));
  });
  chart.addEventListener("dblclick", () => setTimeWindow(store, null));
  chart.addEventListener("keydown", (e) => {
    if (zoomKey(store, e.key)) e.preventDefault();
  });

  store.subscribe((s, previous) => {
    if (s.run === run && s.timeWindow !== previous.timeWindow && !box.hidden) draw();
    if (s.run === run) return;
    run = s.run;
    const names = run?.complete ? groupSeriesNames(run.telemetry) : [];
    box.hidden = names.length === 0;
    if (names.length === 0) return;
    const keep = select.value;
    select.replaceChildren(...names.map((n) => {
      const option = document.createElement("option");
      option.value = n;
      option.textContent = n;
      return option;
    }));
    select.value = names.includes(keep) ? keep : names.find((n) => n.includes(".sum.")) ?? names[0];
    draw();
  });
}
