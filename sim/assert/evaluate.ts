// Evaluates a scenario's expectations against a finished run and its findings: each result says
// what was observed next to what was expected. Reads only the run view (log, telemetry,
// scenario), so it works on a saved run as on a live one. Pure.
import { knobSeries } from "./knob-series.js";
import { formatDuration, formatTime } from "../core/units.js";
import type { Finding, RunView } from "../detect/finding.js";
import { compare, type Comparison, type Expectation, type ExpectationResult, type TimeWindow } from "./expectation.js";
import { aggregate, latencyQuantile, loadWeightedMean, sampleRange } from "./series.js";
import { jsonText } from "../log/json-text.js";
import { agentStays, entries, evaluateRelative, matchingRecords, staysDuring, triggerOccurrences, type Stay } from "./timing.js";

/** Evaluates every expectation, in order. */
export function evaluateExpectations(expectations: readonly Expectation[], view: RunView, findings: readonly Finding[]): ExpectationResult[] {
  return expectations.map((e) => evaluateOne(e, view, findings));
}

function evaluateOne(e: Expectation, view: RunView, findings: readonly Finding[]): ExpectationResult {
  const result = (passed: boolean, observed: string, expected: string, witnesses: number[] = []): ExpectationResult => ({ name: e.name, kind: e.kind, passed, observed, expected, line: e.line, col: e.col, witnesses });
  switch (e.kind) {
    case "finding": {
      const matching = findings.filter((f) => f.kind === e.finding && (!e.knob || f.knob === e.knob) && (!e.actors || e.actors.every((a) => f.actors.includes(a))) && (!e.window || overlaps(f, e.window)));
      const observed = matching.length === 0 ? `no ${e.finding} finding` : `${matching.length} ${e.finding} finding${matching.length === 1 ? "" : "s"}: ${matching.slice(0, 3).map(describeFinding).join("; ")}${matching.length > 3 ? "; ..." : ""}`;
      const expected = `${e.mustOccur ? "at least one" : "no"} ${e.finding} finding${e.knob ? ` on ${e.knob}` : ""}${e.actors ? ` involving ${e.actors.join(", ")}` : ""}${e.window ? ` within ${windowWords(e.window)}` : ""}`;
      return result(e.mustOccur === matching.length > 0, observed, expected, matching.flatMap((f) => f.witnesses).slice(0, 50));
    }
    case "threshold":
      return evaluateThreshold(e, view, result);
    case "cascadeDepth": {
      const cascades = findings.filter((f) => f.kind === "cascade");
      const deepest = cascades.reduce<Finding | undefined>((best, f) => ((f.metrics.depth ?? 0) > (best?.metrics.depth ?? -1) ? f : best), undefined);
      const depth = deepest?.metrics.depth ?? 0;
      return result(compare(depth, e.comparison), deepest ? `depth ${depth}: ${describeFinding(deepest)}` : "no cascade (depth 0)", `cascade depth ${comparisonWords(e.comparison)}`, deepest?.witnesses ?? []);
    }
    case "cost": {
      const cost = totalCost(view, e.component, e.window);
      return result(compare(round(cost, 2), e.comparison), `$${cost.toFixed(2)}`, `${e.component ? `${e.component}'s` : "total"} cost ${comparisonWords(e.comparison, "$")}${e.window ? ` within ${windowWords(e.window)}` : ""}`);
    }
    case "rejected": {
      const [store, document] = e.knob ? splitKnob(e.knob) : ["", ""];
      const records = view.log.filter((r) => r.type === "command.rejected" && (!e.actor || r.actor === e.actor) && (!e.policy || r.data.policy === e.policy) && (!e.knob || (r.target === store && (r.data.knob === document || r.data.document === document))));
      const byPolicy = new Map<string, number>();
      for (const r of records) byPolicy.set(jsonText(r.data.policy), (byPolicy.get(jsonText(r.data.policy)) ?? 0) + 1);
      const detail = [...byPolicy].map(([p, n]) => `${n} by ${p}`).join(", ");
      return result(compare(records.length, e.comparison), `${records.length} rejected${detail ? ` (${detail})` : ""}`, `rejected commands ${comparisonWords(e.comparison)}`, records.slice(0, 50).map((r) => r.seq));
    }
    case "event":
      return evaluateEvent(e, view, result);
    case "state":
      return evaluateState(e, view, result);
    case "agentState":
      return evaluateAgentState(e, view, result);
  }
}

function evaluateEvent(e: Extract<Expectation, { kind: "event" }>, view: RunView, result: Result): ExpectationResult {
  const data = Object.entries(e.data ?? {});
  const records = matchingRecords(view, e, e.window);
  const filters = [e.actor ? `by ${e.actor}` : "", e.target ? `on ${e.target}` : "", data.length ? `with ${data.map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}` : "", e.window ? `within ${windowWords(e.window)}` : ""].filter((x) => x !== "");
  const what = `${e.event} records${filters.length ? ` ${filters.join(" ")}` : ""}`;
  if (e.after) {
    const triggers = triggerOccurrences(view, e.after.trigger);
    const expected = `${what} ${comparisonWords(e.comparison)} within ${spanWords(e.after)} after each ${e.after.trigger.words}`;
    if (!triggers) return result(false, "the run has no agent state trace (re-run the scenario, or open the run file with this version)", expected);
    const outcome = evaluateRelative(triggers, records.map((r) => ({ t: r.t, seq: r.seq })), e.after, e.comparison, `matching ${e.event} record`);
    return vacuously(result(outcome.passed, outcome.observed, expected, outcome.witnesses), outcome.vacuous ?? e.after.trigger.neverMatches ?? e.neverMatches);
  }
  const expected = `${what} ${comparisonWords(e.comparison)}`;
  const shown = records.slice(0, 3).map((r) => `#${r.seq} at ${formatTime(r.t)}`).join(", ");
  const observed = records.length === 0 ? `no matching ${e.event} record` : `${records.length} matching: ${shown}${records.length > 3 ? ", ..." : ""}`;
  return vacuously(result(compare(records.length, e.comparison), observed, expected, records.slice(0, 50).map((r) => r.seq)), e.neverMatches);
}

function evaluateAgentState(e: Extract<Expectation, { kind: "agentState" }>, view: RunView, result: Result): ExpectationResult {
  const stay = e.minStayMs > 0 ? ` for at least ${formatDuration(e.minStayMs)}` : "";
  const expected =
    e.mode === "never"
      ? `${e.agent} never ${e.state}${stay}${e.window ? ` within ${windowWords(e.window)}` : ""}`
      : `${e.agent} entered ${e.state}${stay} ${comparisonWords(e.comparison)}${e.after ? ` within ${spanWords(e.after)} after each ${e.after.trigger.words}` : e.window ? ` within ${windowWords(e.window)}` : ""}`;
  const stays = agentStays(view, e);
  const triggers = e.after ? triggerOccurrences(view, e.after.trigger) : [];
  if (!stays || !triggers) return result(false, "the run has no agent state trace (re-run the scenario, or open the run file with this version)", expected);
  const at = (s: Stay) => `${formatTime(s.fromMs)} (for ${formatDuration(s.toMs - s.fromMs)})`;
  if (e.after) {
    const outcome = evaluateRelative(triggers, entries(stays, e.minStayMs).map((s) => ({ t: s.fromMs })), e.after, e.comparison, `entry into ${e.state}`);
    return vacuously(result(outcome.passed, outcome.observed, expected, outcome.witnesses), outcome.vacuous ?? e.after.trigger.neverMatches);
  }
  if (e.mode === "never") {
    const hits = staysDuring(stays, e.minStayMs, e.window);
    return result(hits.length === 0, hits.length === 0 ? `never ${e.state}${stay}` : `${e.state} ${hits.length} time${hits.length === 1 ? "" : "s"}, first at ${at(hits[0])}`, expected);
  }
  const hits = entries(stays, e.minStayMs, e.window);
  const shown = hits.slice(0, 3).map(at).join(", ");
  return result(compare(hits.length, e.comparison), hits.length === 0 ? `never entered ${e.state}${stay}` : `entered ${e.state} ${hits.length} time${hits.length === 1 ? "" : "s"}: at ${shown}${hits.length > 3 ? ", ..." : ""}`, expected);
}

/** Marks a pass as vacuous (with why) when the reason applies; a failure stays a failure. */
function vacuously(r: ExpectationResult, reason: string | undefined): ExpectationResult {
  return r.passed && reason !== undefined ? { ...r, vacuous: reason } : r;
}

function spanWords(r: { fromMs: number; toMs: number }): string {
  return r.fromMs === 0 ? formatDuration(r.toMs) : `${formatDuration(r.fromMs)}..${formatDuration(r.toMs)}`;
}

type Result = (passed: boolean, observed: string, expected: string, witnesses?: number[]) => ExpectationResult;

function evaluateThreshold(e: Extract<Expectation, { kind: "threshold" }>, view: RunView, result: Result): ExpectationResult {
  const t = view.telemetry;
  const { first, end } = sampleRange(t, e.window);
  const expected = `${e.component}.${metricWords(e)} ${comparisonWords(e.comparison, "", e.unit)}${e.window ? ` over ${windowWords(e.window)}` : ""}`;
  if (end <= first) return result(false, "no telemetry samples in the window", expected);
  if (e.metric.kind === "aggregate") return evaluateGroupThreshold(e, e.metric.name, view, first, end, expected, result);
  if (e.metric.kind === "knob") {
    const values = knobSeries(view, e.component, e.metric.knob);
    if (values === undefined) return result(false, `${e.component} has no knob ${e.metric.knob}`, expected);
    if (!e.aggregator) return evaluateEverySample(e, e.metric.knob, first, end, view, result, expected, values);
    const observed = aggregate(values, first, end, e.aggregator);
    const passed = Number.isFinite(observed) && compare(Math.fround(observed), { ...e.comparison, value: Math.fround(e.comparison.value) });
    return result(passed, `${e.component}.${metricWords(e)} = ${formatValue(observed, e.unit)} (${end - first} samples)`, expected);
  }
  let observed: number;
  const load = t.series(e.component, "loadRps");
  if (e.metric.kind === "latency") {
    const p50 = t.series(e.component, "latencyMsP50");
    const p95 = t.series(e.component, "latencyMsP95");
    const p99 = t.series(e.component, "latencyMsP99");
    const a = e.aggregator!;
    if (a.kind === "p") observed = latencyQuantile(p50, p95, p99, load, first, end, a.percentile / 100);
    else if (a.kind === "med") observed = latencyQuantile(p50, p95, p99, load, first, end, 0.5);
    else if (a.kind === "avg") observed = loadWeightedMean(p50, load, first, end);
    else if (a.kind === "min") observed = aggregate(p50, first, end, a);
    else observed = aggregate(p99, first, end, a);
  } else if (e.metric.kind === "availability" || e.metric.kind === "errorRate") {
    const errors = t.series(e.component, "errorRate");
    if (e.aggregator) {
      // Per-sample values: the worst (or best) moment rather than the share over the window.
      const values = e.metric.kind === "availability" ? errors.map((x) => 1 - x) : errors;
      observed = aggregate(values, first, end, e.aggregator);
    } else {
      const failed = loadWeightedMean(errors, load, first, end);
      observed = e.metric.kind === "availability" ? 1 - failed : failed;
    }
  } else if (e.aggregator) {
    observed = aggregate(t.series(e.component, e.metric.signal), first, end, e.aggregator);
  } else {
    return evaluateEverySample(e, e.metric.signal, first, end, view, result, expected);
  }
  const text = formatValue(observed, e.unit);
  // Telemetry keeps samples as 32-bit floats (1.1 is stored as 1.10000002), so both sides are
  // compared at that precision: "amplification max <= 1.1" holds for samples of exactly 1.1.
  const passed = Number.isFinite(observed) && compare(Math.fround(observed), { ...e.comparison, value: Math.fround(e.comparison.value) });
  return result(passed, `${e.component}.${metricWords(e)} = ${text} (${end - first} samples)`, expected);
}

/**
 * A threshold on a group aggregate (`cells.sum.replicas >= 60`): with an aggregator, as for a
 * signal; without one, the comparison must hold at every sample in the window, and the observed
 * value is the worst sample (the lowest for > and >=, the highest for < and <=, else the first miss).
 */
function evaluateGroupThreshold(e: Extract<Expectation, { kind: "threshold" }>, name: string, view: RunView, first: number, end: number, expected: string, result: Result): ExpectationResult {
  const t = view.telemetry;
  if (t.groups === null || !t.groups.componentIds.includes(e.component) || !t.groups.signalNames.includes(name)) return result(false, `${e.component}.${name} was not sampled in this run`, expected);
  const values = t.series(e.component, name);
  const words = `${e.component}.${metricWords(e)}`;
  if (e.aggregator) {
    const observed = aggregate(values, first, end, e.aggregator);
    const passed = Number.isFinite(observed) && compare(Math.fround(observed), { ...e.comparison, value: Math.fround(e.comparison.value) });
    return result(passed, `${words} = ${formatValue(observed, e.unit)} (${end - first} samples)`, expected);
  }
  const bound = { ...e.comparison, value: Math.fround(e.comparison.value) };
  const op = e.comparison.op;
  let worst = first;
  let misses = 0;
  let firstMiss = -1;
  for (let i = first; i < end; i++) {
    if (!(Number.isFinite(values[i]) && compare(values[i], bound))) {
      misses++;
      if (firstMiss < 0) firstMiss = i;
    }
    if ((op === ">" || op === ">=") ? values[i] < values[worst] : (op === "<" || op === "<=") ? values[i] > values[worst] : false) worst = i;
  }
  const shown = op === "==" || op === "!=" ? (firstMiss >= 0 ? firstMiss : first) : worst;
  const observed = `${words} = ${formatValue(values[shown], e.unit)} at ${formatTime(t.times[shown])} (${misses === 0 ? `holds at all ${end - first} samples` : `misses at ${misses} of ${end - first} samples, first at ${formatTime(t.times[firstMiss])}`})`;
  return result(misses === 0, observed, `${expected} at every sample`);
}

/** A signal threshold without an aggregator: it must hold at every sample in the window. */
function evaluateEverySample(e: Extract<Expectation, { kind: "threshold" }>, signal: string, first: number, end: number, view: RunView, result: Result, expected: string, series?: ArrayLike<number>): ExpectationResult {
  const t = view.telemetry;
  const values = series ?? t.series(e.component, signal);
  const limit = { ...e.comparison, value: Math.fround(e.comparison.value) };
  let violations = 0;
  let firstViolation = -1;
  for (let i = first; i < end; i++) {
    if (compare(values[i], limit)) continue;
    violations++;
    if (firstViolation < 0) firstViolation = i;
  }
  const n = end - first;
  expected = `${expected} at every sample`;
  if (violations === 0) return result(true, `${e.component}.${signal} ${comparisonWords(e.comparison, "", e.unit)} in all ${n} samples`, expected);
  const at = formatTime(t.times[firstViolation]);
  return result(false, `${e.component}.${signal} = ${formatValue(values[firstViolation], e.unit)} at ${at}, first of ${violations} of ${n} samples that do not hold`, expected);
}

function evaluateState(e: Extract<Expectation, { kind: "state" }>, view: RunView, result: Result): ExpectationResult {
  const t = view.telemetry;
  const { first, end } = sampleRange(t, e.window);
  const healthy = t.series(e.component, "healthy");
  const available = t.series(e.component, "available");
  const degraded = t.series(e.component, "degraded");
  const inState = (i: number) => (e.state === "healthy" ? healthy[i] === 1 : e.state === "unhealthy" ? healthy[i] === 0 : e.state === "unavailable" ? available[i] === 0 : degraded[i] > 0);
  let hits = 0;
  let firstHit = -1;
  let firstMiss = -1;
  for (let i = first; i < end; i++) {
    if (inState(i)) {
      hits++;
      if (firstHit < 0) firstHit = i;
    } else if (firstMiss < 0) firstMiss = i;
  }
  const n = end - first;
  const expected = `${e.component} ${e.mode} ${e.state}${e.window ? ` within ${windowWords(e.window)}` : ""}`;
  if (n === 0) return result(false, "no telemetry samples in the window", expected);
  // The health.changed records around the first violation are the evidence.
  const violation = e.mode === "never" ? firstHit : firstMiss;
  const witnesses = violation < 0 ? [] : view.log.filter((r) => r.type === "health.changed" && r.target === e.component && r.t <= t.times[violation]).slice(-1).map((r) => r.seq);
  if (e.mode === "never") {
    return result(hits === 0, hits === 0 ? `never ${e.state} (${n} samples)` : `${e.state} in ${hits} of ${n} samples, first at ${formatTime(t.times[firstHit])}`, expected, witnesses);
  }
  return result(hits === n, hits === n ? `${e.state} in all ${n} samples` : `not ${e.state} in ${n - hits} of ${n} samples, first at ${formatTime(t.times[firstMiss])}`, expected, witnesses);
}

/** Dollars: cost per hour integrated over the samples in the window (each sample holds until the next). */
export function totalCost(view: RunView, component: string | undefined, window?: TimeWindow): number {
  const t = view.telemetry;
  const ids = component ? [component] : view.scenario.components.map((c) => c.id);
  const { first, end } = sampleRange(t, window);
  const stop = Math.min(window?.toMs ?? Infinity, view.scenario.durationMs);
  let dollars = 0;
  for (const id of ids) {
    const perHour = t.series(id, "costPerHour");
    for (let i = first; i < end; i++) {
      const next = i + 1 < t.count ? t.times[i + 1] : view.scenario.durationMs;
      const ms = Math.max(0, Math.min(next, stop) - t.times[i]);
      dollars += (perHour[i] * ms) / 3_600_000;
    }
  }
  return dollars;
}

function describeFinding(f: Finding): string {
  const subject = f.knob ?? f.components.join(" -> ");
  return `${f.kind}${subject ? ` on ${subject}` : ""}${f.actors.length ? ` by ${f.actors.join(", ")}` : ""} ${formatTime(f.from)}-${formatTime(f.to)}`;
}

function overlaps(f: Finding, w: TimeWindow): boolean {
  return f.from < w.toMs && f.to >= w.fromMs;
}

function windowWords(w: TimeWindow): string {
  return `${formatTime(w.fromMs)}..${formatTime(w.toMs)}`;
}

function comparisonWords(c: Comparison, prefix = "", unit?: "ms" | "ratio" | "number"): string {
  return `${c.op} ${prefix}${unit ? formatValue(c.value, unit) : c.value}`;
}

function metricWords(e: Extract<Expectation, { kind: "threshold" }>): string {
  const name = e.metric.kind === "signal" ? e.metric.signal : e.metric.kind === "aggregate" ? e.metric.name : e.metric.kind === "knob" ? e.metric.knob : e.metric.kind;
  const a = e.aggregator;
  return a ? `${name} ${a.kind === "p" ? `p(${a.percentile})` : a.kind}` : name;
}

function formatValue(v: number, unit: "ms" | "ratio" | "number"): string {
  if (!Number.isFinite(v)) return String(v);
  if (unit === "ms") return `${round(v, v < 10 ? 2 : 1)}ms`;
  if (unit === "ratio") return String(round(v, 6));
  return String(round(v, 3));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function splitKnob(knob: string): [string, string] {
  const dot = knob.indexOf(".");
  return dot < 0 ? [knob, ""] : [knob.slice(0, dot), knob.slice(dot + 1)];
}
