// What every fuzz target provides: `npm run fuzz` (fuzz/run.ts) and the time-boxed slice inside
// `npm test` (test/fuzz/*.test.ts) drive targets through this interface only. A target is a
// property over generated inputs; each case has its own seed so one failure reproduces alone.

/** One input that broke the property. */
export interface FuzzFailure {
  /** The seed that regenerates exactly this case (`npm run fuzz -- --only <target> --case-seed <n>`). */
  caseSeed: number;
  /** What went wrong, in one line: exit 3, a hang past the budget, NaN in output, injected markup... */
  what: string;
  /** The generated input (or the part that matters), elided to a few KB so a report stays readable. */
  input: string;
}

/** What a target reports after a batch. */
export interface FuzzReport {
  target: string;
  /** The batch seed the case seeds were drawn from. */
  seed: number;
  tried: number;
  failures: FuzzFailure[];
}

export interface FuzzOptions {
  /** Batch seed: case seeds are drawn from it deterministically. */
  seed: number;
  /** Cases to try (a target may stop earlier at the deadline). */
  cases: number;
  /** Wall-clock deadline in ms since the epoch; the target stops starting new cases after it. */
  deadlineMs?: number;
  /** Only this case (reproduction): `cases` is then ignored. */
  caseSeed?: number;
  /** Progress lines for a terminal (optional). */
  log?: (line: string) => void;
}

export interface FuzzTarget {
  /** Short name used by `--only`. */
  name: string;
  /** One line: the property checked. */
  property: string;
  run(options: FuzzOptions): Promise<FuzzReport>;
}
