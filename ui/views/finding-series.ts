// Which series tell a finding's story, and which components the timeline shows: the components
// findings involve plus the entry components (where users' requests arrive), not simply the first
// few; a selected finding narrows the charts to its components and adds its knob or signal.
import type { EventRecord } from "../../sim/log/record.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { ComponentInfo, TelemetryPayload } from "../model/payload.js";

/** A finding's series: a sampled signal of a component, or a knob folded from the log. */
export type FindingSeries = { component: string; signal: string; knob?: undefined } | { component: string; knob: string; signal?: undefined };

/** The series name as people read it: `az-a.healthy`, `nlb.inService.az-a`. Pure. */
export function seriesName(s: FindingSeries): string {
  return `${s.component}.${s.signal ?? s.knob}`;
}

/** The signal each kind of finding is about when it names no knob. */
const KIND_SIGNAL: Record<string, string> = {
  flapping: "healthy",
  retryStorm: "amplification",
  cascade: "errorRate",
};

/**
 * The one series that shows `f` best: its knob (as the sampled signal when the knob is one, e.g.
 * `replicas`), else its kind's signal on its first component (flapping: healthy, retry storm:
 * amplification, cascade: error rate at the root). Undefined when it names no known component. Pure.
 */
export function findingSeries(f: Finding, t: Pick<TelemetryPayload, "componentIds" | "signalNames">): FindingSeries | undefined {
  if (f.knob) {
    // Component ids may hold dots: the longest id that prefixes the knob wins.
    const component = t.componentIds.filter((c) => f.knob!.startsWith(`${c}.`)).sort((a, b) => b.length - a.length)[0];
    if (component !== undefined) {
      const knob = f.knob.slice(component.length + 1);
      return t.signalNames.includes(knob) ? { component, signal: knob } : { component, knob };
    }
  }
  const component = f.components.find((c) => t.componentIds.includes(c));
  if (component === undefined) return undefined;
  const wanted = KIND_SIGNAL[f.kind] ?? "errorRate";
  return { component, signal: t.signalNames.includes(wanted) ? wanted : "errorRate" };
}

/**
 * `component.knob`'s value at each of `times`, folded from the log: before the first write, that
 * write's `from`; then each write's `to` (booleans as 1/0). NaN throughout when nothing wrote it
 * with a number. The same fold as sim/assert/knob-series.ts, without the scenario (the app has
 * only the run). Pure.
 */
export function knobValues(log: readonly EventRecord[], component: string, knob: string, times: ArrayLike<number>, count = times.length): Float32Array {
  const asNumber = (v: unknown): number => (typeof v === "number" ? v : typeof v === "boolean" ? Number(v) : Number.NaN);
  const writes = log.filter((r) => r.target === component && r.data.knob === knob && !r.type.startsWith("command.") && Number.isFinite(asNumber(r.data.to)));
  const out = new Float32Array(count).fill(Number.NaN);
  if (writes.length === 0) return out;
  let value = asNumber(writes[0].data.from);
  let next = 0;
  for (let i = 0; i < count; i++) {
    // A write at the sample's time is already in effect, as the world's own samples see it.
    while (next < writes.length && writes[next].t <= times[i]) value = asNumber(writes[next++].data.to);
    out[i] = value;
  }
  return out;
}

/**
 * Entry components: those no other component calls (clients, front doors), in `components`
 * order. Where users' requests arrive, so where an outage is felt. Pure.
 */
export function entryComponents(components: readonly ComponentInfo[]): string[] {
  const called = new Set(components.flatMap((c) => c.calls));
  return components.filter((c) => !called.has(c.id)).map((c) => c.id);
}

/** Most components drawn by default: one per colour of the series palette. */
export const TIMELINE_COMPONENTS_MAX = 10;

/**
 * The components the timeline shows, in telemetry order: with a finding selected, its components
 * (and its knob's); otherwise the components every finding involves plus the entry components
 * (at most TIMELINE_COMPONENTS_MAX, findings' first); without findings, the entry components and
 * `fallback` (the busy ones). Pure.
 */
export function timelineComponents(t: Pick<TelemetryPayload, "componentIds" | "signalNames">, components: readonly ComponentInfo[], findings: readonly Finding[], selected: number | null, fallback: readonly string[]): string[] {
  const sampled = new Set(t.componentIds);
  const wanted: string[] = [];
  const add = (id: string) => {
    if (sampled.has(id) && !wanted.includes(id)) wanted.push(id);
  };
  const focus = selected === null ? undefined : findings[selected];
  if (focus) {
    focus.components.forEach(add);
    const s = findingSeries(focus, t);
    if (s) add(s.component);
  } else {
    for (const f of findings) f.components.forEach(add);
    entryComponents(components).forEach(add);
    // No finding (yet, while a run streams): the busy components show what the run does.
    if (findings.length === 0) for (const id of fallback) add(id);
  }
  const kept = new Set(wanted.slice(0, TIMELINE_COMPONENTS_MAX));
  return t.componentIds.filter((c) => kept.has(c));
}
