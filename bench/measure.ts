// Timing helpers shared by the benchmarks: wall-clock timing with process.hrtime.bigint(),
// interleaved warm-up and repetitions of a measured case and its baseline, and the median.
// Benchmarks may read real time; the simulation (sim/) never does.

/** One benchmark's verdict line for the report table. */
export interface BenchRow {
  name: string;
  /** The measured figure (higher is better unless `lowerIsBetter`). */
  measured: number;
  /** The baseline figure in the same unit, or null when the target is absolute. */
  baseline: number | null;
  unit: string;
  /** Slowdown of measured vs baseline (>= 1 means slower), or measured / budget for absolute targets. */
  ratio: number | null;
  target: string;
  /** Whether the target is met, or null for an informational row with no target of its own. */
  pass: boolean | null;
  /** Every timed repetition (same unit as measured/baseline), for --json consumers. */
  samples: { measured: number[]; baseline: number[] | null };
  /** Extra figures printed under the table and included in --json. */
  details: Record<string, number | string | boolean>;
}

/** Options shared by every benchmark: how many warm-up and timed repetitions to run. */
export interface BenchOptions {
  warmups: number;
  repetitions: number;
}

/** Seconds elapsed while running `body` once. Not pure: reads the real clock. */
export function timeSeconds(body: () => void): number {
  const start = process.hrtime.bigint();
  body();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Median of a non-empty list (mean of the middle two for even lengths). Pure. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** What one timed run of a case did: operations performed and the seconds they took. */
export interface Sample {
  ops: number;
  seconds: number;
}

/** Median rate and the individual rates (operations/s) of one case. */
export interface CaseResult {
  rate: number;
  samples: number[];
}

/**
 * Runs every case `warmups` times, then `repetitions` rounds in which each case runs once in
 * turn (A, B, C, A, B, C, ...), so drift in machine speed hits all cases alike. A case times
 * itself (so it can leave its set-up out) and reports operations and seconds. Returns the median
 * rate per case. A case is told whether it is warming up, so it may do a smaller run then.
 */
export function interleave(cases: Record<string, (warmUp: boolean) => Sample>, options: BenchOptions): Record<string, CaseResult> {
  const names = Object.keys(cases);
  for (let w = 0; w < options.warmups; w++) for (const name of names) cases[name](true);
  const samples: Record<string, number[]> = {};
  for (const name of names) samples[name] = [];
  for (let r = 0; r < options.repetitions; r++) {
    for (const name of names) {
      const { ops, seconds } = cases[name](false);
      samples[name].push(ops / seconds);
    }
  }
  const out: Record<string, CaseResult> = {};
  for (const name of names) out[name] = { rate: median(samples[name]), samples: samples[name] };
  return out;
}

/** Formats a rate or count with a k/M suffix. Pure. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (abs >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(abs >= 100 ? 0 : 2);
}

/** The samples of a case as "median (min..max)" with k/M suffixes, to show run-to-run spread. Pure. */
export function describeSamples(samples: readonly number[]): string {
  return `${formatCount(median(samples))} (${formatCount(Math.min(...samples))}..${formatCount(Math.max(...samples))}, n=${samples.length})`;
}
