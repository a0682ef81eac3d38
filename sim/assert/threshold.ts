// The k6-like threshold grammar: `<component>.<metric>[:] [aggregator] <op> <value> [over <from>..<to>]`,
// e.g. `web.latency: p(95) < 250ms`, `web.availability >= 0.999 over 10m..2h`,
// `web.replicas max <= 12`, `web.replicas >= 2` (every sample). Parsing only; references are checked by resolve-expect.ts. Pure.
import { InputError } from "../core/errors.js";
import { formatDuration, parseDuration, parseRate } from "../core/units.js";
import { closest } from "../scenario/problems.js";
import { isSignalName, SIGNAL_NAMES } from "../model/signals.js";
import type { Aggregator, Comparison, Metric, Operator, TimeWindow } from "./expectation.js";
import { aggregateCandidates, AGGREGATE_FORMS, isAggregateLike, parseAggregateName } from "../model/groups.js";

export interface ParsedThreshold {
  component: string;
  metric: Metric;
  aggregator?: Aggregator;
  comparison: Comparison;
  unit: "ms" | "ratio" | "number";
  /** The window as written (`10m..2h`), resolved against the run's duration by the caller. */
  window?: string;
}

const GRAMMAR = /^\s*([A-Za-z][A-Za-z0-9_-]*)\.([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*)\s*:?\s*(?:(avg|min|max|med|last|p\(\s*(\d+(?:\.\d+)?)\s*\))\s*)?(<=|>=|==|!=|<|>)\s*(\S+?)\s*(?:\bover\s+(\S+)\s*)?$/;

/** Friendly metric names and the signal each stands for. */
const ALIASES: Record<string, string> = { load: "loadRps", cost: "costPerHour", cpu: "cpuUtilization" };
export const METRIC_NAMES = ["latency", "availability", "errorRate", ...Object.keys(ALIASES), ...SIGNAL_NAMES.filter((s) => s !== "errorRate")];

const EXAMPLE = "`web.latency: p(95) < 250ms` or `web.availability >= 0.999 over 10m..2h`";

/**
 * Parses one threshold; throws InputError (expected, found, hint) on a malformed one. A name that
 * is no metric may be a knob of the component (`isKnob`; values folded from the log) or a derived
 * signal (`derived`; read from the side telemetry, like an aggregate). Where the components are
 * unknown (the schema), the caller passes predicates that accept any plausible name and
 * resolve-expect.ts decides with the scenario. Pure.
 */
export function parseThreshold(text: string, where = "threshold", isKnob?: (component: string, name: string) => boolean, derived?: (component: string, name: string) => boolean): ParsedThreshold {
  const m = GRAMMAR.exec(text);
  if (!m) {
    throw new InputError(where, `a threshold \`<component>.<metric>[:] [aggregator] <op> <value> [over <from>..<to>]\` such as ${EXAMPLE}`, JSON.stringify(text), thresholdHint(text));
  }
  const [, component, metricName, aggregatorText, percentileText, op, valueText, window] = m;
  const metric = toMetricOrKnob(component, metricName, where, isKnob, derived);
  const aggregator = toAggregator(aggregatorText, percentileText, where);
  const unit = metric.kind === "knob" ? "number" : metric.kind === "aggregate" ? (parseAggregateName(metric.name) ? aggregateUnit(metric.name) : "number") : metric.kind === "latency" || (metric.kind === "signal" && metric.signal.startsWith("latencyMs")) ? "ms" : metric.kind === "signal" && !RATIO_SIGNALS.has(metric.signal) ? "number" : "ratio";
  // A signal or group aggregate without an aggregator is checked at every sample (`web.replicas >= 2`: never below 2).
  if (!aggregator && metric.kind === "latency") {
    throw new InputError(where, "an aggregator before the operator for latency: p(N), avg, med, min or max", JSON.stringify(text), `for example \`${component}.${metricName}: p(95) ${op} ${valueText}\``);
  }
  if (metric.kind === "latency" && aggregator?.kind === "last") {
    throw new InputError(where, "a latency aggregator: p(N), avg, med, min or max", JSON.stringify(text), "request latency is a distribution; use p(99) or max for the worst requests");
  }
  return { component, metric, aggregator, comparison: { op: op as Operator, value: parseValue(valueText, unit, metric, where) }, unit, window };
}

/** Signals that are shares in [0, 1] and accept percentages. */
const RATIO_SIGNALS = new Set(["utilization", "errorRate", "healthy", "available", "cpuUtilization", "degraded"]);

/** A group aggregate's unit: its signal's, a share for fractions, a number for counts and knobs. */
function aggregateUnit(name: string): ParsedThreshold["unit"] {
  const agg = parseAggregateName(name)!;
  if (agg.kind === "fraction") return "ratio";
  if (agg.kind === "count" || agg.kind === "countHealthy" || agg.source === "knob") return "number";
  return agg.name.startsWith("latencyMs") ? "ms" : RATIO_SIGNALS.has(agg.name) ? "ratio" : "number";
}

/**
 * Whether `name`, which is no metric, may still be a knob of some component: used where the
 * components are unknown (the schema). A name close to a metric (`latncy`) or shaped like a group
 * aggregate (`fraction.unhealty`) is a typo of those, reported as such. Pure.
 */
export function mayBeKnob(name: string): boolean {
  return !/^(sum|avg|min|max|fraction|count)(\.|$)/i.test(name) && closest(name, METRIC_NAMES) === undefined;
}

/**
 * The metric, or else (a name no metric has) a derived signal of the component or group when
 * `derived` says it is one (sim/expr/derived.ts; read like an aggregate, from the side telemetry),
 * or a knob of the component when `isKnob` says it is one (`lb.weight.web-a`, `edge.rollout`:
 * values folded from the log).
 */
function toMetricOrKnob(component: string, name: string, where: string, isKnob?: (component: string, name: string) => boolean, derived?: (component: string, name: string) => boolean): Metric {
  try {
    return toMetric(name, where);
  } catch (e) {
    if (derived?.(component, name)) return { kind: "aggregate", name };
    if (isKnob?.(component, name)) return { kind: "knob", knob: name };
    throw e;
  }
}

/**
 * For checks without the scenario (the file schema): a plain name that is not close to a metric
 * may be a derived signal, and resolve-expect.ts decides with the scenario; a name close to a
 * metric (`latncy`) is a misspelling, told at once with the closest metric.
 */
export const MAYBE_DERIVED = (_component: string, name: string): boolean => /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && closest(name, METRIC_NAMES) === undefined;

function toMetric(name: string, where: string): Metric {
  // `<group>.sum.replicas`, `<group>.count`: a group aggregate (resolve-expect.ts checks the group).
  if (isAggregateLike(name)) {
    if (parseAggregateName(name)) return { kind: "aggregate", name };
    throw new InputError(where, `a group aggregate: ${AGGREGATE_FORMS.join(", ")}`, JSON.stringify(name), closest(name, aggregateCandidates(name)) ? `did you mean \`${closest(name, aggregateCandidates(name))}\`?` : undefined);
  }
  if (name === "latency") return { kind: "latency" };
  if (name === "availability") return { kind: "availability" };
  if (name === "errorRate" || name === "errors") return { kind: "errorRate" };
  const signal = ALIASES[name] ?? name;
  if (isSignalName(signal)) return { kind: "signal", signal };
  throw new InputError(where, `a metric: ${METRIC_NAMES.join(", ")}`, JSON.stringify(name), closest(name, METRIC_NAMES) ? `did you mean \`${closest(name, METRIC_NAMES)}\`?` : undefined);
}

function toAggregator(text: string | undefined, percentile: string | undefined, where: string): Aggregator | undefined {
  if (text === undefined) return undefined;
  if (percentile !== undefined) {
    const p = Number(percentile);
    if (!(p > 0 && p < 100)) throw new InputError(where, "a percentile between 0 and 100, as in p(95)", `p(${percentile})`, "p(50) is the median; p(99) the slowest 1%");
    return { kind: "p", percentile: p };
  }
  return { kind: text as "avg" | "min" | "max" | "med" | "last" };
}

function parseValue(text: string, unit: ParsedThreshold["unit"], metric: Metric, where: string): number {
  if (unit === "ms") {
    if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
    return parseDuration(text, where);
  }
  if (/^-?\d+(\.\d+)?%$/.test(text)) {
    if (unit !== "ratio") throw new InputError(where, "a number (percentages are for shares such as availability)", JSON.stringify(text));
    return Number(text.slice(0, -1)) / 100;
  }
  if (/^-?\d+(\.\d+)?(e-?\d+)?$/.test(text)) return Number(text);
  if (metric.kind === "signal" && metric.signal === "loadRps" && text.includes("/")) return parseRate(text, where);
  throw new InputError(where, unit === "ratio" ? "a share such as 0.999 or 99.9%" : "a number", JSON.stringify(text));
}

/** Parses `10m..2h`, `..30m` or `1h..` into [from, to) within a run of `durationMs`. Pure. */
export function parseWindow(text: string, durationMs: number, where = "window"): TimeWindow {
  const m = /^\s*([^.\s]*)\s*\.\.\s*([^.\s]*)\s*$/.exec(text);
  if (!m || (m[1] === "" && m[2] === "")) throw new InputError(where, "a time window such as `10m..2h`, `..30m` or `1h..`", JSON.stringify(text));
  const fromMs = m[1] === "" ? 0 : parseDuration(m[1], where);
  // An open end includes the sample taken at the very end of the run.
  const toMs = m[2] === "" ? durationMs + 1 : parseDuration(m[2], where);
  if (fromMs > durationMs) throw new InputError(where, `a window that starts within the run (duration ${formatDuration(durationMs)})`, JSON.stringify(text), "shorten the window or lengthen the scenario's duration");
  if (fromMs >= toMs) throw new InputError(where, "a window whose start is before its end", JSON.stringify(text));
  return { fromMs, toMs };
}

function thresholdHint(text: string): string {
  if (!/(<=|>=|==|!=|<|>)/.test(text)) return "a threshold needs an operator: <, <=, >, >=, == or !=";
  if (!/^\s*[A-Za-z][A-Za-z0-9_-]*\./.test(text)) return "start with the component id and a metric, e.g. `web.latency`";
  return `for example ${EXAMPLE}`;
}
