// The HTML report's JSON data blocks: the sampled series its timeline cursor reads and the records
// its selected-event panel shows. A `<script type="application/json">` is never executed (the CSP's
// script rules do not apply to it) and is read with JSON.parse; `<`, `>` and `&` are written as
// JSON `\u` escapes so no text from the run can close the element or break XML well-formedness. Pure.
import type { EventRecord, JsonValue } from "../log/record.js";
import { downsampleMinMax, type TelemetryLike, type TimelineSignal } from "./svg-timeline.js";

/** Id of the block holding the timeline's sampled series (see ReportSeries). */
export const REPORT_SERIES_ID = "crossfire-series";
/** Id of the block holding the event table's records (see ReportRecord). */
export const REPORT_EVENTS_ID = "crossfire-events";

/** One plotted line: `t` as deltas from the previous sample (ms), `v` its values (null where not finite). */
export interface ReportSeriesLine {
  component: string;
  signal: string;
  t: number[];
  v: (number | null)[];
}

/** What the cursor reads: every line the timeline draws, downsampled, and the run's length. */
export interface ReportSeries {
  endMs: number;
  signals: TimelineSignal[];
  components: string[];
  lines: ReportSeriesLine[];
}

/** A table row's record as the selected-event panel shows it (the record in words is its row's "what" cell). */
export interface ReportRecord {
  seq: number;
  t: number;
  actor: string;
  onBehalfOf?: string;
  type: string;
  target?: string;
  data: { [key: string]: JsonValue };
  causes: number[];
}

/** `value` as the text of a `<script type="application/json" id="...">` element. Pure. */
export function jsonDataBlock(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `<script type="application/json" id="${id}">${json}</script>`;
}

/** A sample as the cursor prints it: 4 significant digits keep the block small; non-finite is null. Pure. */
function compact(v: number): number | null {
  return Number.isFinite(v) ? Number(v.toPrecision(4)) : null;
}

/**
 * The plotted series, each downsampled to at most `pointsMax` samples by bucket minimum and
 * maximum (so a spike or a dip the chart shows is also what the cursor reads near it). Pure.
 */
export function reportSeries(telemetry: TelemetryLike, endMs: number, components: readonly string[], signals: readonly TimelineSignal[], pointsMax: number): ReportSeries {
  const shown = components.filter((c) => telemetry.componentIds.includes(c));
  const plotted = signals.filter((s) => telemetry.signalNames.includes(s.signal) && telemetry.count > 0);
  const lines: ReportSeriesLine[] = [];
  for (const { signal } of plotted) {
    for (const component of shown) {
      const values = telemetry.series(component, signal);
      const kept = downsampleMinMax(values, pointsMax);
      let prev = 0;
      const t: number[] = [];
      const v: (number | null)[] = [];
      for (const k of kept) {
        t.push(telemetry.times[k] - prev);
        prev = telemetry.times[k];
        v.push(compact(values[k]));
      }
      lines.push({ component, signal, t, v });
    }
  }
  return { endMs, signals: plotted.map((s) => ({ signal: s.signal, label: s.label })), components: shown, lines };
}

/** The records of the event table's rows, for the selected-event panel. Pure. */
export function reportRecords(rows: readonly EventRecord[]): ReportRecord[] {
  return rows.map((r) => ({
    seq: r.seq,
    t: r.t,
    actor: r.actor,
    ...(r.onBehalfOf !== undefined ? { onBehalfOf: r.onBehalfOf } : {}),
    type: r.type,
    ...(r.target !== undefined ? { target: r.target } : {}),
    data: r.data,
    causes: r.causes,
  }));
}
