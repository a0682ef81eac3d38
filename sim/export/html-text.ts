// Text helpers for the self-contained HTML report and its inline SVG: escaping (every piece of
// run or scenario text is user input), compact numbers, time axes and a fixed palette. Pure.
import { formatTime } from "../core/units.js";

/**
 * `value` as text safe in HTML/XML text and in double- or single-quoted attributes, whatever its
 * type: a run file or scenario may hold a string or an object where a number is expected, so
 * nothing is trusted to be harmless. Objects are shown as JSON; characters XML forbids (C0
 * controls other than tab and line breaks) become U+FFFD. The one escaping helper for every
 * interpolation of run or scenario data into the report's markup. Pure.
 */
export function esc(value: unknown): string {
  return asText(value)
    .replace(/[&<>"']/g, (c) => ESCAPES[c])
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "\ufffd");
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** `value` as plain text: strings as they are, numbers and booleans printed, anything else as JSON. Pure. */
export function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === undefined) return "";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** A coordinate with at most one decimal ("12", "12.5"), for small SVG files. Pure. */
export function px(value: number): string {
  const r = Math.round(value * 10) / 10;
  return Object.is(r, -0) ? "0" : String(r);
}

/**
 * A value for labels: up to 4 significant digits below 10,000, then k, M, G with up to 3
 * ("200k", "5.42M", never "5.42e+5"); an exponent only below 0.001. Pure.
 */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const abs = Math.abs(value);
  if (abs < 0.001) return value.toPrecision(3);
  if (abs < 10_000) return String(Number(value.toPrecision(4)));
  for (const [size, unit] of [[1e9, "G"], [1e6, "M"], [1e3, "k"]] as const) {
    if (abs >= size) return `${Number((value / size).toPrecision(3))}${unit}`;
  }
  return String(value);
}

/** The smallest of 1, 2, 2.5, 5 x 10^k that is >= `value` (1 for values <= 0). Pure. */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const base = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * base >= value * (1 - 1e-9)) return m * base;
  return 10 * base;
}

const TICK_STEPS_MS = [1_000, 5_000, 15_000, 30_000, 60_000, 300_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000];

/** Tick times for a time axis over [0, endMs] with at most `ticksMax` ticks. Pure. */
export function timeTicks(endMs: number, ticksMax = 8): number[] {
  const step = TICK_STEPS_MS.find((s) => endMs / s <= ticksMax) ?? Math.ceil(endMs / ticksMax / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let t = 0; t <= endMs; t += step) ticks.push(t);
  return ticks;
}

/** A tick label: `hh:mm:ss`, shortened to `hh:mm` when the seconds are zero. Pure. */
export function tickLabel(ms: number): string {
  const full = formatTime(ms);
  return full.endsWith(":00") && !full.includes(".") ? full.slice(0, -3) : full;
}

/** Ten distinguishable line colours (d3's category10), indexed modulo 10. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
