// The timeline's keys: what each band, mark and hatch of the finding strip means, and the
// crosshair tooltip listing every plotted series' value at the hovered time. DOM built with
// textContent only (component ids come from the scenario file).
import { formatTime } from "../../sim/core/units.js";
import type { Finding } from "../../sim/detect/finding.js";
import { STRIP_COLOURS } from "./chart-palette.js";
import { formatSignal } from "./format.js";

/** A fault's fill (light, under its dark label); STRIP_COLOURS.fault outlines it. */
const FAULT_FILL = "#afb8c1";

/** One line of the strip legend: a mark kind, its colour and what it means. */
export interface StripLegendEntry {
  mark: keyof typeof STRIP_COLOURS;
  label: string;
}

/** The strip legend's entries for what this run draws (severities that occur, faults, annotations, no-success hatching). Pure. */
export function stripLegendEntries(findings: readonly Finding[], faults: number, notes: number, noSuccess: boolean): StripLegendEntry[] {
  const out: StripLegendEntry[] = [];
  const severities = new Set(findings.map((f) => f.severity));
  if (severities.has("critical")) out.push({ mark: "critical", label: "critical finding" });
  if (severities.has("warning")) out.push({ mark: "warning", label: "warning finding" });
  if (severities.has("info")) out.push({ mark: "info", label: "info finding" });
  if (faults > 0) out.push({ mark: "fault", label: "injected fault (dashed line: its start)" });
  if (notes > 0) out.push({ mark: "log", label: "agent's log note" });
  if (noSuccess) out.push({ mark: "noSuccess", label: "no successful requests (latency undefined)" });
  return out;
}

/** The strip legend as DOM: `[data-legend-mark]` items with a swatch painted `data-colour`. */
export function stripLegend(entries: readonly StripLegendEntry[]): HTMLElement {
  const box = document.createElement("div");
  box.className = "tl-strip-legend";
  box.dataset.testid = "timeline-strip-legend";
  box.setAttribute("aria-label", "What the strip's marks mean");
  for (const e of entries) {
    const item = document.createElement("span");
    item.className = "tl-legend-item";
    item.dataset.legendMark = e.mark;
    const swatch = document.createElement("span");
    swatch.className = `tl-legend-swatch tl-legend-${e.mark}`;
    swatch.dataset.colour = STRIP_COLOURS[e.mark];
    swatch.style.background = e.mark === "noSuccess" ? `repeating-linear-gradient(45deg, ${STRIP_COLOURS.noSuccess} 0 2px, transparent 2px 5px)` : e.mark === "fault" ? FAULT_FILL : STRIP_COLOURS[e.mark];
    if (e.mark === "fault") swatch.style.border = `1px solid ${STRIP_COLOURS.fault}`;
    item.append(swatch, e.label);
    box.append(item);
  }
  return box;
}

/** One plotted series for the tooltip: its name, colour, and its value at a sample row (NaN: none; null: no successful requests). */
export interface TooltipSeries {
  component: string;
  signal: string;
  colour: string;
  valueAt(row: number): number | null;
}

/**
 * Fills `tip` with every series' value at `row` (time `ms`): one row per component, one column
 * per signal, each cell `[data-series="component.signal"]` with its value and unit.
 */
export function fillTooltip(tip: HTMLElement, ms: number, row: number, series: readonly TooltipSeries[]): void {
  const signals = [...new Set(series.map((s) => s.signal))];
  const components = [...new Set(series.map((s) => s.component))];
  const head = document.createElement("div");
  head.className = "tl-tip-time";
  head.textContent = formatTime(Math.round(ms));
  const table = document.createElement("table");
  const headRow = table.createTHead().insertRow();
  headRow.append(cell("th", ""));
  for (const signal of signals) headRow.append(cell("th", signal));
  const body = table.createTBody();
  for (const component of components) {
    const tr = body.insertRow();
    const name = cell("th", component);
    const swatch = document.createElement("span");
    swatch.className = "tl-tip-swatch";
    const colour = series.find((s) => s.component === component)!.colour;
    swatch.style.background = colour;
    swatch.dataset.colour = colour;
    name.prepend(swatch);
    tr.append(name);
    for (const signal of signals) {
      const s = series.find((x) => x.component === component && x.signal === signal);
      const v = s ? s.valueAt(row) : Number.NaN;
      const text = v === null ? "no success" : formatSignal(signal, v);
      const td = cell("td", text);
      if (s) {
        td.dataset.series = `${component}.${signal}`;
        td.dataset.value = v === null ? "none" : String(v);
      }
      tr.append(td);
    }
  }
  tip.replaceChildren(head, table);
  tip.dataset.ms = String(Math.round(ms));
}

function cell(tag: "th" | "td", text: string): HTMLTableCellElement {
  const c = document.createElement(tag);
  c.textContent = text;
  return c;
}
