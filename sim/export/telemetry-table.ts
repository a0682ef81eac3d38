// A run's telemetry as a table people and scripts can read: `crossfire telemetry` prints it as
// CSV or JSON, one column per `component.signal`, chosen by glob patterns ('web.*', '*.errorRate').
// Pure: takes the telemetry, returns text.
import type { Telemetry } from "../engine/telemetry.js";
import { formatTime } from "../core/units.js";
import { sampledColumns } from "../engine/group-telemetry.js";

/** Columns of the table: which component and signal each is, named `component.signal`. */
export interface TelemetryColumn {
  name: string;
  component: string;
  signal: string;
}

/** A pattern that selects no column, with the names it might have meant. */
export class NoSuchSignalError extends Error {}

/**
 * The columns `patterns` select, in telemetry order (components in scenario order, signals in
 * sampling order), each once. A pattern is `component.signal` where `*` matches any run of
 * characters; no patterns selects every column. Throws NoSuchSignalError naming the first
 * pattern that selects nothing, with up to 8 column names as examples. Pure.
 */
export function selectColumns(telemetry: Telemetry, patterns: readonly string[]): TelemetryColumn[] {
  const all: TelemetryColumn[] = [];
  for (const component of telemetry.componentIds) for (const signal of telemetry.signalNames) all.push({ name: `${component}.${signal}`, component, signal });
  // Then each group's sampled aggregates (`cells.sum.replicas`), after the components.
  if (telemetry.groups !== null) for (const c of sampledColumns(telemetry.groups)) all.push({ name: `${c.component}.${c.signal}`, ...c });
  if (patterns.length === 0) return all;
  const matchers = patterns.map((p) => ({ pattern: p, re: globRegex(p) }));
  for (const m of matchers) {
    if (all.some((c) => m.re.test(c.name))) continue;
    const near = all.filter((c) => c.name.startsWith(m.pattern.split(".")[0]) || c.signal === m.pattern.split(".").pop()).slice(0, 8);
    const examples = (near.length > 0 ? near : all.slice(0, 8)).map((c) => c.name).join(", ");
    throw new NoSuchSignalError(`--signals: ${JSON.stringify(m.pattern)} selects no column; columns are component.signal, e.g. ${examples}`);
  }
  return all.filter((c) => matchers.some((m) => m.re.test(c.name)));
}

function globRegex(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${escaped}$`);
}

/**
 * A sampled value as text: Float32 samples printed with 7 significant digits (what a Float32
 * holds, so 0.3 prints as 0.3, not 0.30000001192092896); infinities as `Infinity` and
 * `-Infinity`, which CSV readers such as pandas parse. Pure.
 */
export function formatSample(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  return String(Number(v.toPrecision(7)));
}

/** CSV: a header `tMs,time,<columns>`, then one row per sample; `time` is hh:mm:ss of simulated time. Pure. */
export function telemetryCsv(telemetry: Telemetry, columns: readonly TelemetryColumn[]): string {
  const series = columns.map((c) => telemetry.series(c.component, c.signal));
  const lines = [["tMs", "time", ...columns.map((c) => c.name)].join(",")];
  for (let k = 0; k < telemetry.count; k++) {
    const t = telemetry.times[k];
    lines.push([String(t), formatTime(t), ...series.map((s) => formatSample(s[k]))].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * JSON: `{ times, series: { "<component.signal>": [...] } }` plus what the caller adds (scenario,
 * variant, seed). JSON has no infinity: non-finite samples are null and `nonFinite` lists the
 * columns that have any. Pure.
 */
export function telemetryJson(telemetry: Telemetry, columns: readonly TelemetryColumn[], meta: Record<string, unknown>): string {
  const series: Record<string, (number | null)[]> = {};
  const nonFinite: string[] = [];
  for (const c of columns) {
    const values = telemetry.series(c.component, c.signal);
    const out: (number | null)[] = [];
    let bad = false;
    for (let k = 0; k < telemetry.count; k++) {
      const v = values[k];
      if (Number.isFinite(v)) out.push(Number(v.toPrecision(7)));
      else {
        out.push(null);
        bad = true;
      }
    }
    series[c.name] = out;
    if (bad) nonFinite.push(c.name);
  }
  const times = Array.from({ length: telemetry.count }, (_, k) => telemetry.times[k]);
  return `${JSON.stringify({ ...meta, times, series, ...(nonFinite.length > 0 ? { nonFinite } : {}) })}\n`;
}
