// One log record in words on one line ("web.replicas 6 -> 8 because web.utilization = 0.824 >
// 0.750"), shared by the exports (ShiViz event lines, OTLP span descriptions, the HTML event
// table) so every format names an event the same way. Pure.
import { canonicalJson } from "../log/canonical-json.js";
import type { EventRecord, JsonValue } from "../log/record.js";
import { formatDuration, formatTime } from "../core/units.js";

// Descriptions end up in single-line formats (ShiViz needs one line per event description).
const DESCRIPTION_CHARS_MAX = 400;

/** What `r` did, in words, without its seq, time or actor; one line, at most 400 characters. Pure. */
export function describeRecord(r: EventRecord): string {
  return oneLine(describe(r));
}

/** The `component.knob` (or `store.document`) a record acts on, if it names one. Pure. */
export function knobOf(r: EventRecord): string | undefined {
  const name = typeof r.data.knob === "string" ? r.data.knob : typeof r.data.document === "string" ? r.data.document : undefined;
  if (name === undefined) return undefined;
  return r.target !== undefined ? `${r.target}.${name}` : name;
}

/** `text` with control characters and line breaks turned into spaces, cut to 400 characters. Pure. */
export function oneLine(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ");
  return flat.length > DESCRIPTION_CHARS_MAX ? `${flat.slice(0, DESCRIPTION_CHARS_MAX - 1)}…` : flat;
}

function describe(r: EventRecord): string {
  const d = r.data;
  const knob = knobOf(r) ?? r.target ?? "?";
  const because = typeof d.reason === "string" && d.reason.length > 0 ? ` because ${d.reason}` : "";
  switch (r.type) {
    case "run.started":
      return `run started: scenario ${text(d.scenario)}, seed ${text(d.seed)}`;
    case "run.ended":
      return `run ended (${text(d.reason)})${typeof d.bound === "string" ? `: ${d.bound}` : ""}`;
    case "command.rejected":
    case "command.held":
    case "command.duplicate": {
      const verb = r.type.slice("command.".length).toUpperCase();
      const value = d.value !== undefined ? ` = ${text(d.value)}` : d.version !== undefined ? ` version ${text(d.version)}` : "";
      const until = typeof d.untilMs === "number" ? ` until ${formatTime(d.untilMs)}` : "";
      return `${verb} ${typeof d.op === "string" ? `${d.op} ` : ""}${knob}${value} by ${text(d.policy)}${until}: ${text(d.reason)}`;
    }
    case "document.put":
      return `put ${knob} version ${text(d.version)}${because}`;
    case "document.deleted":
      return `deleted ${knob} version ${text(d.version)}${because}`;
    case "fault.started":
      return `fault started on ${r.target ?? "?"}: ${details(d)}`;
    case "fault.ended":
      return `fault ended on ${r.target ?? "?"}`;
    case "health.changed":
      return `${r.target ?? r.actor} ${d.healthy === true ? "healthy" : "UNHEALTHY"} (error rate ${text(d.errorRate)}, p95 ${text(d.latencyMsP95)} ms)`;
    case "workload.changed":
      return `load on ${r.target ?? "?"} ${text(d.from)} -> ${text(d.to)} rps (${text(d.pattern)})`;
    case "intent.published":
      return `intent ${knob} -> ${text(d.value)} until ${typeof d.untilMs === "number" ? formatTime(d.untilMs) : "?"}: ${text(d.reason)}`;
    case "lease.acquired":
      return `lease on ${knob} acquired by ${text(d.holder)}`;
    case "agent.logged":
      return `log${d.level === "warn" ? " (warn)" : ""}: ${text(d.message)}`;
    case "load.sent":
      return `sent ${text(d.rps)} rps to ${r.target ?? "?"} for ${typeof d.forMs === "number" ? formatDuration(d.forMs) : "?"}${because}`;
    case "load.ended":
      return `${text(d.rps)} rps to ${r.target ?? "?"} ended (sent by #${text(d.sentSeq)})`;
  }
  if (typeof d.to === "number" && typeof d.from === "number") return `${knob} ${text(d.from)} -> ${text(d.to)}${because}`;
  return `${r.target !== undefined ? `${r.target}: ` : ""}${details(d)}`;
}

function text(v: JsonValue | undefined): string {
  if (v === undefined) return "?";
  return typeof v === "string" ? v : canonicalJson(v);
}

function details(d: { [key: string]: JsonValue }): string {
  return Object.keys(d)
    .sort()
    .map((k) => `${k}=${text(d[k])}`)
    .join(" ");
}
