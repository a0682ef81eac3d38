// Group series in the timeline panel: a scenario with groups gets a chooser of its groups'
// aggregate series (`cells.sum.replicas`) and one line chart of the chosen series over the run.
// Text is set with textContent only (group ids and aggregate names come from the scenario).
import { formatTime } from "../../sim/core/units.js";
import { series, type RunPayload, type TelemetryPayload } from "../model/payload.js";
import type { Store } from "../state/store.js";

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

/** SVG polyline points of `values` at `times` over [0, durationMs] x [min, max] in a WIDTH x HEIGHT box. Pure. */
export function linePoints(values: Float32Array, times: Float64Array, durationMs: number): { points: string; min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) if (Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
  if (min === Infinity) return { points: "", min: NaN, max: NaN };
  const span = max - min || 1;
  const points: string[] = [];
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    const x = (times[i] / Math.max(1, durationMs)) * WIDTH;
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
  chart.append(line);
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
    const { points, min, max } = linePoints(values, times, run.durationMs);
    line.setAttribute("points", points);
    chart.setAttribute("aria-label", `${name} over the run`);
    const last = values.length > 0 ? values[values.length - 1] : NaN;
    caption.textContent = `${name}: min ${fmt(min)}, max ${fmt(max)}, at ${formatTime(times[values.length - 1] ?? 0)} ${fmt(last)}`;
  };
  select.addEventListener("change", draw);

  store.subscribe((s) => {
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

function fmt(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "-";
}
