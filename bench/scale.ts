// Scale benchmark: how the engine's cost per component-step grows with the number of components
// (200 to 10,000 with agents in proportion), and the wall time of a simulated week, through
// runScenario alone so it measures any world model behind it. Sizes that would outrun a wall cap
// are cut short at a whole simulated minute and compared with the others over the same span.
import os from "node:os";
import { runScenario, type RunResult } from "../sim/engine/engine.js";
import type { Scenario } from "../sim/scenario/types.js";
import { formatCount, median, type BenchOptions, type BenchRow } from "./measure.js";
import { scaleScenario } from "./scale-topology.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const STEP_MS = 5000;

/** The budgets (docs: DESIGN.md "Budgets", Scale). */
const COST_GROWTH_MAX = 1.5;
const BUDGET_COMPONENTS = 10_000;
const BUDGET_SMALL_COMPONENTS = 200;
const BUDGET_HOURS = 2;
const BUDGET_WALL_SECONDS = 10;
const WEEK_WALL_SECONDS = 60;
const WEEK_COMPONENTS = 10_000;
const WEEK_AGENTS = 1_000;
const WEEK_DAYS = 7;
const WEEK_SAMPLE_EVERY_MS = HOUR_MS;

/**
 * Telemetry is every signal of every component per sample, allocated for the whole run up front;
 * the sampling interval is the smallest whole minute that keeps it under this at the largest size.
 */
const TELEMETRY_BYTES_MAX = 256 * 1024 * 1024;
/** Bytes per component per sample today (13 Float32 signals); only used to choose the interval. */
const TELEMETRY_BYTES_PER_COMPONENT_SAMPLE = 13 * 4;

/** A run whose first attempt follows a projection may overshoot the cap by this much before it is stopped and redone. */
const PROJECTED_OVERSHOOT_MAX = 1.5;

/** What `--only scale` runs. */
export interface ScaleOptions {
  /** Component counts, run smallest first (each a multiple of 5). */
  sizes: number[];
  /** Simulated hours per size. */
  hours: number;
  /** Run the size series. */
  series: boolean;
  /** Run the simulated week (10,000 components, 1,000 agents, sampled hourly). */
  week: boolean;
  agentsPerComponent: number;
  /** A run that would take longer than this is cut at a whole simulated minute. */
  wallCapSeconds: number;
}

/** Defaults: the four budget sizes for 2 simulated hours, a 60 s cap per size, no week. */
export const SCALE_DEFAULTS: ScaleOptions = {
  sizes: [200, 1_000, 5_000, 10_000],
  hours: BUDGET_HOURS,
  series: true,
  week: false,
  agentsPerComponent: 0.25,
  wallCapSeconds: 60,
};

/** Figures of one measured run (the median of the repetitions when there are several). */
interface SizeResult {
  components: number;
  agents: number;
  durationMs: number;
  sampleEveryMs: number;
  /** Simulated time reached: the duration, or the cut. */
  endTimeMs: number;
  cut: string | null;
  wallSeconds: number;
  /**
   * CPU seconds of this process (user + system) over the run: unlike wall time, barely moved by
   * other processes on a shared machine, but it counts V8's helper threads (GC) too.
   */
  cpuSeconds: number;
  /** Wall seconds at the end of simulated minute m (index m; 0 = after t = 0, set-up included). */
  wallAtMinute: number[];
  /** CPU seconds at the end of simulated minute m. */
  cpuAtMinute: number[];
  steps: number;
  decisions: number;
  commands: number;
  queueEvents: number;
  logEvents: number;
  peakRssMb: number;
  telemetryMb: number;
  bytesPerComponentSample: number;
  finalHashes: string[];
  stopReason: string;
}

/** Thrown from onTimeAdvance to stop a run that outgrew its wall budget; carries the trace so far. */
class WallCapExceeded extends Error {
  constructor(readonly wallAtMinute: number[]) {
    super("wall cap exceeded");
  }
}

/** The defaults overridden by `over`. Pure. */
export function resolveScaleOptions(over: Partial<ScaleOptions>): ScaleOptions {
  return { ...SCALE_DEFAULTS, ...over };
}

/** Runs the scale series and/or the week and returns their rows. Not pure: reads the real clock and prints progress to stderr. */
export function runScaleBench(options: BenchOptions, over: Partial<ScaleOptions> = {}): BenchRow[] {
  const o = resolveScaleOptions(over);
  const rows: BenchRow[] = [];
  if (o.series) rows.push(...runSeries(o, options));
  if (o.week) rows.push(...runWeek(o, options));
  return rows;
}

function runSeries(o: ScaleOptions, options: BenchOptions): BenchRow[] {
  const sizes = [...o.sizes].sort((a, b) => a - b);
  const durationMs = Math.max(1, Math.round(o.hours * 60)) * MINUTE_MS;
  const sampleEveryMs = samplingFor(durationMs, sizes[sizes.length - 1]);
  const build = (n: number): Scenario => scaleScenario({ components: n, durationMs, agentsPerComponent: o.agentsPerComponent, stepMs: STEP_MS, sampleEveryMs });
  progress(
    `scale: ${sizes.join(", ")} components, ~${o.agentsPerComponent} agents per component, ${formatMinutes(durationMs)} simulated each, step ${STEP_MS / 1000} s, wall cap ${o.wallCapSeconds} s per size.\n` +
      `scale: telemetry sampled every ${formatMinutes(sampleEveryMs)}, not every step: the engine keeps every signal of every component per sample, ` +
      `~${mb(telemetryBytes(durationMs, STEP_MS, sizes[sizes.length - 1]))} MB at ${sizes[sizes.length - 1]} components if it sampled every step vs ~${mb(telemetryBytes(durationMs, sampleEveryMs, sizes[sizes.length - 1]))} MB now.`,
  );
  progress(loadNote());
  for (let w = 0; w < options.warmups; w++) {
    const warm = measureOnce(build(sizes[0]), undefined, o.wallCapSeconds);
    progress(`scale: warm-up ${sizes[0]} components: ${warm.kind === "done" ? `${warm.result.wallSeconds.toFixed(2)} s` : `stopped at the ${o.wallCapSeconds} s cap`}`);
  }
  progress(
    `scale: ${"components".padStart(10)} ${"agents".padStart(6)} ${"simulated".padStart(9)} ${"wall s".padStart(7)} ${"cpu s".padStart(7)} ${"comp-steps/s".padStart(12)} ${"decisions/s".padStart(11)} ` +
      `${"log ev".padStart(7)} ${"peak RSS".padStart(8)} ${"us/comp-step".padStart(12)} ${`wall ${formatMinutes(durationMs)}`.padStart(10)}`,
  );
  const results: SizeResult[] = [];
  for (const n of sizes) {
    const previous = results.length > 0 ? { result: results[results.length - 1], exponent: projectionExponent(results.slice(-2)) } : undefined;
    const r = measureSize(build(n), o.wallCapSeconds, options.repetitions, previous);
    results.push(r);
    progress(
      `scale: ${String(n).padStart(10)} ${String(r.agents).padStart(6)} ${formatMinutes(r.endTimeMs).padStart(9)} ${r.wallSeconds.toFixed(2).padStart(7)} ${r.cpuSeconds.toFixed(2).padStart(7)} ${formatCount(componentStepsPerSecond(r)).padStart(12)} ` +
        `${formatCount(r.decisions / r.wallSeconds).padStart(11)} ${String(r.logEvents).padStart(7)} ${`${r.peakRssMb} MB`.padStart(8)} ${(costPerComponentStep(r) * 1e6).toFixed(2).padStart(12)} ` +
        `${`${r.cut ? "~" : ""}${wallFor(r, durationMs).seconds.toFixed(1)}`.padStart(10)}${r.cut ? `  ${r.cut}; ~ = projected` : ""}`,
    );
  }
  return seriesRows(results, durationMs);
}

/**
 * Rows for the series. Cost per component-step is compared over the simulated span every size
 * ran (the shortest cut, or the whole duration when none was cut), so a cut size is compared
 * with the others over the same minutes of the same scenario, start-up burst included.
 */
function seriesRows(results: SizeResult[], durationMs: number): BenchRow[] {
  const windowMs = Math.min(...results.map((r) => r.endTimeMs));
  const windowNote = windowMs < durationMs ? `, first ${formatMinutes(windowMs)}` : "";
  const smallest = results[0];
  const costSmall = costOver(smallest, windowMs);
  const rows: BenchRow[] = results.map((r) => {
    const cost = costOver(r, windowMs);
    const isSmallest = r === smallest;
    const isBudget = r.components === BUDGET_COMPONENTS && smallest.components === BUDGET_SMALL_COMPONENTS;
    const growth = cost / costSmall;
    return {
      name: `scale: ${r.components} comp, ${r.agents} agents${windowNote}${isSmallest ? " (reference)" : ` vs ${smallest.components}`}`,
      measured: 1 / cost,
      baseline: isSmallest ? null : 1 / costSmall,
      unit: "component-steps/s",
      ratio: isSmallest ? null : growth,
      target: isBudget ? `cost/comp-step <= ${COST_GROWTH_MAX}x of ${BUDGET_SMALL_COMPONENTS}` : "-",
      pass: isBudget ? growth <= COST_GROWTH_MAX : null,
      samples: { measured: [1 / cost], baseline: isSmallest ? null : [1 / costSmall] },
      details: { ...sizeDetails(r, windowMs), ...(isSmallest ? {} : { cpuGrowthVsSmallest: `${(costOver(r, windowMs, "cpu") / costOver(smallest, windowMs, "cpu")).toFixed(2)}x` }) },
    };
  });
  if (results.length >= 2) {
    const k = fitExponent(results.map((r) => r.components), results.map((r) => costOver(r, windowMs)));
    const largest = results[results.length - 1];
    rows.push({
      name: `scale: growth exponent k, cost/comp-step ~ N^k (${results.map((r) => r.components).join(", ")}${windowNote})`,
      measured: k,
      baseline: null,
      unit: "k",
      ratio: null,
      target: "0 linear, 1 quadratic",
      pass: null,
      samples: { measured: [k], baseline: null },
      details: {
        fit: "least squares of log(cost per component-step) on log(components)",
        costPerComponentStepUs: results.map((r) => `${r.components}: ${(costOver(r, windowMs) * 1e6).toFixed(3)}`).join(", "),
        growthVsSmallest: results.map((r) => `${r.components}: ${(costOver(r, windowMs) / costSmall).toFixed(2)}x`).join(", "),
        kFromCpuTime: round(fitExponent(results.map((r) => r.components), results.map((r) => costOver(r, windowMs, "cpu")))),
        cpuGrowthVsSmallest: results.map((r) => `${r.components}: ${(costOver(r, windowMs, "cpu") / costOver(smallest, windowMs, "cpu")).toFixed(2)}x`).join(", "),
        budgetEquivalent: `${COST_GROWTH_MAX}x from ${BUDGET_SMALL_COMPONENTS} to ${BUDGET_COMPONENTS} components is k <= ${(Math.log(COST_GROWTH_MAX) / Math.log(BUDGET_COMPONENTS / BUDGET_SMALL_COMPONENTS)).toFixed(3)}`,
        span: windowMs < durationMs ? `first ${formatMinutes(windowMs)} of ${formatMinutes(durationMs)}: ${largest.components} components were cut at the wall cap` : `all ${formatMinutes(durationMs)}`,
      },
    });
  }
  const budget = results.find((r) => r.components === BUDGET_COMPONENTS);
  if (budget && budget.agents === 2_500) {
    const { seconds, cpuSeconds, how } = wallFor(budget, BUDGET_HOURS * HOUR_MS);
    rows.push({
      name: `scale: ${BUDGET_COMPONENTS} comp, ${budget.agents} agents, ${BUDGET_HOURS} h wall${how === "measured" ? "" : " (projected)"}`,
      measured: seconds,
      baseline: null,
      unit: "s wall",
      ratio: seconds / BUDGET_WALL_SECONDS,
      target: `<= ${BUDGET_WALL_SECONDS} s`,
      pass: seconds <= BUDGET_WALL_SECONDS,
      samples: { measured: [seconds], baseline: null },
      details: { how, cpuSecondsFor2h: round(cpuSeconds), measuredWallSeconds: round(budget.wallSeconds), measuredSimulated: formatMinutes(budget.endTimeMs) },
    });
  }
  return rows;
}

function runWeek(o: ScaleOptions, options: BenchOptions): BenchRow[] {
  const durationMs = WEEK_DAYS * 24 * HOUR_MS;
  const s = scaleScenario({ components: WEEK_COMPONENTS, durationMs, agentsPerComponent: WEEK_AGENTS / WEEK_COMPONENTS, stepMs: STEP_MS, sampleEveryMs: WEEK_SAMPLE_EVERY_MS });
  progress(
    `scale week: ${WEEK_COMPONENTS} components, ${s.agents.length} agents, ${WEEK_DAYS} simulated days, step ${STEP_MS / 1000} s, telemetry sampled every ${formatMinutes(WEEK_SAMPLE_EVERY_MS)} ` +
      `(~${mb(telemetryBytes(durationMs, WEEK_SAMPLE_EVERY_MS, WEEK_COMPONENTS))} MB; every step would need ~${mb(telemetryBytes(durationMs, STEP_MS, WEEK_COMPONENTS))} MB); wall cap ${o.wallCapSeconds} s.`,
  );
  progress(loadNote());
  const r = measureSize(s, o.wallCapSeconds, options.repetitions, undefined);
  const { seconds, cpuSeconds, how } = wallFor(r, durationMs);
  progress(`scale week: ${r.wallSeconds.toFixed(2)} s wall (${r.cpuSeconds.toFixed(2)} s CPU) for ${formatMinutes(r.endTimeMs)}${r.cut ? ` (${r.cut}); a week ${how}: ${seconds.toFixed(0)} s wall, ${cpuSeconds.toFixed(0)} s CPU` : ""}`);
  return [
    {
      name: `scale week: ${WEEK_COMPONENTS} comp, ${r.agents} agents, ${WEEK_DAYS} d wall${how === "measured" ? "" : " (projected)"}`,
      measured: seconds,
      baseline: null,
      unit: "s wall",
      ratio: seconds / WEEK_WALL_SECONDS,
      target: `<= ${WEEK_WALL_SECONDS} s (aim)`,
      pass: seconds <= WEEK_WALL_SECONDS,
      samples: { measured: [seconds], baseline: null },
      details: { how, cpuSecondsForWeek: round(cpuSeconds), ...sizeDetails(r, r.endTimeMs) },
    },
  ];
}

/**
 * Measures one scenario `repetitions` times (same span each time) and keeps the median run.
 * The span: the whole duration if it fits the wall cap. A projection from the previous (smaller)
 * size (projectionExponent) may cut it up front; otherwise a run that passes the cap is stopped
 * and redone to the last whole simulated minute it reached within the cap, so every figure of
 * the kept run comes from a run that completed.
 */
function measureSize(s: Scenario, wallCapSeconds: number, repetitions: number, previous: { result: SizeResult; exponent: number } | undefined): SizeResult {
  let cutMs: number | undefined;
  let cut: string | null = null;
  const projected = previous ? projectCut(previous.result, previous.exponent, s, wallCapSeconds) : undefined;
  if (projected !== undefined) {
    cutMs = projected;
    cut = `cut at ${formatMinutes(projected)}: the ${previous!.result.components}-component run scaled by (N ratio)^${previous!.exponent.toFixed(1)} projects the whole span past the ${wallCapSeconds} s cap`;
  }
  const attemptCap = projected !== undefined ? wallCapSeconds * PROJECTED_OVERSHOOT_MAX : wallCapSeconds;
  const runs: SizeResult[] = [];
  const first = measureOnce(s, cutMs, attemptCap);
  if (first.kind === "aborted") {
    let reached = first.wallAtMinute.length - 1;
    while (reached > 0 && first.wallAtMinute[reached] > wallCapSeconds) reached--;
    cutMs = Math.max(1, reached) * MINUTE_MS;
    cut = `cut at ${formatMinutes(cutMs)}: a full run passed the ${attemptCap.toFixed(0)} s cap at ${formatMinutes((first.wallAtMinute.length - 1) * MINUTE_MS)} and was redone to the last minute inside ${wallCapSeconds} s`;
    const again = measureOnce(s, cutMs, Infinity);
    if (again.kind === "aborted") throw new Error("unreachable: a redo runs without a cap");
    runs.push(again.result);
  } else {
    runs.push(first.result);
  }
  for (let k = 1; k < repetitions; k++) {
    const more = measureOnce(s, cutMs, Infinity);
    if (more.kind === "aborted") throw new Error("unreachable: repetitions run without a cap");
    runs.push(more.result);
  }
  const wall = median(runs.map((r) => r.wallSeconds));
  const kept = runs.reduce((best, r) => (Math.abs(r.wallSeconds - wall) < Math.abs(best.wallSeconds - wall) ? r : best));
  return { ...kept, cut, finalHashes: runs.map((r) => r.finalHashes[0]) };
}

type Once = { kind: "done"; result: SizeResult } | { kind: "aborted"; wallAtMinute: number[] };

/** One timed runScenario to `maxTimeMs` (or the end), stopped by exception if it passes `abortAfterSeconds`. */
function measureOnce(s: Scenario, maxTimeMs: number | undefined, abortAfterSeconds: number): Once {
  const wallAtMinute: number[] = [];
  const cpuAtMinute: number[] = [];
  let nextMinuteMs = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = (): number => {
    const used = process.cpuUsage(cpuStart);
    return (used.user + used.system) / 1e6;
  };
  let result: RunResult;
  try {
    result = runScenario(s, {
      maxTimeMs,
      onTimeAdvance: (tMs) => {
        const wall = elapsed();
        if (nextMinuteMs <= tMs) {
          const cpuNow = cpu();
          while (nextMinuteMs <= tMs) {
            wallAtMinute.push(wall);
            cpuAtMinute.push(cpuNow);
            nextMinuteMs += MINUTE_MS;
          }
        }
        if (wall > abortAfterSeconds) throw new WallCapExceeded(wallAtMinute);
      },
    });
  } catch (e) {
    if (e instanceof WallCapExceeded) return { kind: "aborted", wallAtMinute: e.wallAtMinute };
    throw e;
  }
  const wallSeconds = elapsed();
  const cpuSeconds = cpu();
  const telemetryBytes = result.telemetry.values.byteLength + result.telemetry.times.byteLength;
  return {
    kind: "done",
    result: {
      components: s.components.length,
      agents: s.agents.length,
      durationMs: s.durationMs,
      sampleEveryMs: s.sampleEveryMs,
      endTimeMs: result.endTimeMs,
      cut: null,
      wallSeconds,
      cpuSeconds,
      wallAtMinute,
      cpuAtMinute,
      steps: result.stats.steps,
      decisions: result.stats.decisions,
      commands: result.stats.commands,
      queueEvents: result.stats.queueEvents,
      logEvents: result.log.length,
      // maxRSS is the process's high-water mark in KiB: with sizes ascending it is this size's peak.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      telemetryMb: Math.round(telemetryBytes / 2 ** 20),
      bytesPerComponentSample: result.telemetry.values.byteLength / Math.max(1, result.telemetry.capacity * s.components.length),
      finalHashes: [result.finalHash],
      stopReason: result.stopReason,
    },
  };
}

/**
 * The exponent e of wall ~ N^e used to project the next size from the last: 2 (cost per
 * component-step growing linearly, as today), or steeper if the last two sizes grew faster, plus
 * a margin, since on today's engine the growth itself steepens with N. Pure.
 */
function projectionExponent(last: readonly SizeResult[]): number {
  if (last.length < 2) return 2;
  const [a, b] = last;
  const spanMs = Math.min(a.endTimeMs, b.endTimeMs);
  const k = fitExponent([a.components, b.components], [costOver(a, spanMs), costOver(b, spanMs)]);
  return Math.max(2, 1 + k + 0.5);
}

/**
 * The largest whole simulated minute the previous size's wall trace, scaled by (N / N_prev)^e,
 * keeps within the cap; undefined when the whole duration fits. Pure.
 */
function projectCut(previous: SizeResult, exponent: number, s: Scenario, wallCapSeconds: number): number | undefined {
  const factor = (s.components.length / previous.components) ** exponent;
  const minutes = Math.floor(s.durationMs / MINUTE_MS);
  const predicted = (m: number): number => wallAt(previous, m * MINUTE_MS) * factor;
  if (predicted(minutes) <= wallCapSeconds) return undefined;
  let m = 1;
  while (m + 1 < minutes && predicted(m + 1) <= wallCapSeconds) m++;
  return m * MINUTE_MS;
}

/**
 * Wall (or CPU) seconds a run took (or would take) to reach `tMs`: read off its trace within the span it
 * ran, beyond that extrapolated at the rate of the second half of that span, which leaves out
 * the start-up burst (JIT, agents' first actions). Pure.
 */
function wallAt(r: SizeResult, tMs: number, clock: "wall" | "cpu" = "wall"): number {
  const trace = clock === "wall" ? r.wallAtMinute : r.cpuAtMinute;
  const last = trace.length - 1;
  const m = tMs / MINUTE_MS;
  if (tMs === r.endTimeMs) return clock === "wall" ? r.wallSeconds : r.cpuSeconds;
  if (m <= last) return trace[Math.floor(m)];
  const half = Math.floor(last / 2);
  const rate = last > half ? (trace[last] - trace[half]) / (last - half) : trace[last];
  return trace[last] + (m - last) * rate;
}

/** Wall and CPU seconds for `durationMs` of simulated time: measured if the run covered it, else projected. Pure. */
function wallFor(r: SizeResult, durationMs: number): { seconds: number; cpuSeconds: number; how: string } {
  if (r.endTimeMs >= durationMs && r.durationMs === durationMs) return { seconds: r.wallSeconds, cpuSeconds: r.cpuSeconds, how: "measured" };
  return {
    seconds: wallAt(r, durationMs),
    cpuSeconds: wallAt(r, durationMs, "cpu"),
    how: `projected from ${formatMinutes(r.endTimeMs)} measured (${round(r.wallSeconds)} s wall, ${round(r.cpuSeconds)} s CPU) at the rate of its second half; a rough figure, the load changes over the day`,
  };
}

/** Wall (or CPU) seconds per component-step over the first `windowMs` of a run. Pure. */
function costOver(r: SizeResult, windowMs: number, clock: "wall" | "cpu" = "wall"): number {
  if (windowMs === r.endTimeMs) return costPerComponentStep(r, clock);
  const minute = Math.floor(windowMs / MINUTE_MS);
  const seconds = clock === "wall" ? r.wallAtMinute[minute] : r.cpuAtMinute[minute];
  return seconds / (r.components * ((minute * MINUTE_MS) / STEP_MS + 1));
}

function costPerComponentStep(r: SizeResult, clock: "wall" | "cpu" = "wall"): number {
  return (clock === "wall" ? r.wallSeconds : r.cpuSeconds) / (r.components * r.steps);
}

function componentStepsPerSecond(r: SizeResult): number {
  return (r.components * r.steps) / r.wallSeconds;
}

function sizeDetails(r: SizeResult, windowMs: number): BenchRow["details"] {
  return {
    components: r.components,
    agents: r.agents,
    simulated: `${formatMinutes(r.endTimeMs)} of ${formatMinutes(r.durationMs)}`,
    cut: r.cut ?? "no",
    wallSeconds: round(r.wallSeconds),
    cpuSeconds: round(r.cpuSeconds),
    steps: r.steps,
    componentStepsPerSecond: Math.round(componentStepsPerSecond(r)),
    costPerComponentStepUs: round(costPerComponentStep(r) * 1e6),
    cpuCostPerComponentStepUs: round(costPerComponentStep(r, "cpu") * 1e6),
    ...(windowMs !== r.endTimeMs ? { costPerComponentStepUsInComparedSpan: round(costOver(r, windowMs) * 1e6), cpuCostPerComponentStepUsInComparedSpan: round(costOver(r, windowMs, "cpu") * 1e6) } : {}),
    decisions: r.decisions,
    decisionsPerSecond: Math.round(r.decisions / r.wallSeconds),
    commands: r.commands,
    queueEvents: r.queueEvents,
    logEvents: r.logEvents,
    peakRssMb: `${r.peakRssMb} (process maxRSS after this run: a high-water mark, this size's peak because sizes run smallest first)`,
    telemetry: `${r.telemetryMb} MB, sampled every ${formatMinutes(r.sampleEveryMs)} (${r.bytesPerComponentSample} B per component per sample; every ${STEP_MS / 1000} s step would need ~${mb((r.durationMs / STEP_MS + 1) * r.components * r.bytesPerComponentSample)} MB)`,
    finalHash: [...new Set(r.finalHashes.map((h) => h.slice(0, 16)))].join(" "),
    stopReason: r.stopReason,
  };
}

/** Least-squares slope of log(y) on log(x). Pure. */
export function fitExponent(xs: readonly number[], ys: readonly number[]): number {
  const lx = xs.map(Math.log);
  const ly = ys.map(Math.log);
  const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
  const my = ly.reduce((a, b) => a + b, 0) / ly.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lx.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The smallest whole-minute sampling interval that keeps telemetry for `components` under TELEMETRY_BYTES_MAX. Pure. */
function samplingFor(durationMs: number, components: number): number {
  let everyMs = MINUTE_MS;
  while (telemetryBytes(durationMs, everyMs, components) > TELEMETRY_BYTES_MAX) everyMs += MINUTE_MS;
  return everyMs;
}

function telemetryBytes(durationMs: number, sampleEveryMs: number, components: number): number {
  return (Math.floor(durationMs / sampleEveryMs) + 1) * components * TELEMETRY_BYTES_PER_COMPONENT_SAMPLE;
}

function formatMinutes(ms: number): string {
  const minutes = ms / MINUTE_MS;
  if (minutes >= 60 * 24 && minutes % (60 * 24) === 0) return `${minutes / (60 * 24)} d`;
  if (minutes >= 60 && minutes % 60 === 0) return `${minutes / 60} h`;
  return Number.isInteger(minutes) ? `${minutes} min` : `${ms / 1000} s`;
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

function round(x: number): number {
  return Number(x.toFixed(3));
}

/** The 1-minute load average against the core count: on a shared machine wall time is only as good as this. */
function loadNote(): string {
  const load = os.loadavg()[0];
  const cores = os.cpus().length;
  return `scale: load average ${load.toFixed(1)} on ${cores} cores${load > cores ? ": other processes compete for the CPU, so wall times are inflated; compare CPU seconds" : ""}`;
}

function progress(text: string): void {
  console.error(text);
}
