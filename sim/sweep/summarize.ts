// What a sweep of many seeds showed, as counts with 95% Wilson intervals: how often each finding
// kind appeared, how often each expectation failed, how many seeds passed, and the first
// failing seed to replay. Pure; the order of the input does not matter.
import { FINDING_KINDS } from "../detect/finding.js";
import type { SeedResult } from "./run-seed.js";
import { wilsonInterval, type Interval } from "./wilson.js";
import type { SystemState } from "../story/types.js";

/** `count` of `of` seeds, the share, and its 95% Wilson score interval. */
export interface SeedShare {
  count: number;
  of: number;
  /** count / of (0 when of = 0). */
  rate: number;
  ci95: Interval;
}

/** How often one finding kind appeared across the sweep. */
export interface FindingKindSummary {
  kind: string;
  /** Seeds with at least one finding of this kind. */
  seeds: SeedShare;
  /** Findings of this kind summed over all seeds. */
  total: number;
}

/** How often one expectation failed across the sweep. */
export interface ExpectationSummary {
  name: string;
  failedSeeds: number;
  /** The lowest seed where it failed, if any did. */
  firstFailingSeed?: number;
}

/** The aggregate of a sweep. */
export interface SweepSummary {
  /** How many seeds ran. */
  seeds: number;
  passed: SeedShare;
  failed: number;
  /** Seeds whose run stopped early (they also count as failed). */
  incomplete: number;
  /** Every failing seed, ascending. */
  failingSeeds: number[];
  /** The lowest failing seed: the one to replay first. */
  firstFailingSeed?: number;
  /** Every known finding kind (seen or not, in a fixed order), then any other kind seen, sorted. */
  findings: FindingKindSummary[];
  /** The declared expectations in order, then any other failing name, sorted. */
  expectations: ExpectationSummary[];
  /** How many different final hashes the seeds produced; 1 means the seed changed nothing. */
  distinctFinalHashes: number;
  /** Seeds per system state (sim/story), for the seeds whose result says it: apart from the expectations. */
  systems: Record<SystemState, number>;
}

/**
 * Aggregates per-seed results. `expectationNames` (the variant's expectations in declaration
 * order) makes expectations that never failed show up with 0; without it only failing ones are
 * listed. Pure; throws a RangeError if a seed appears twice (a sweep bug, not bad input).
 */
export function summarizeSweep(results: readonly SeedResult[], expectationNames: readonly string[] = []): SweepSummary {
  const sorted = [...results].sort((a, b) => a.seed - b.seed);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].seed === sorted[i - 1].seed) throw new RangeError(`summarizeSweep: seed ${sorted[i].seed} appears twice`);
  }
  const n = sorted.length;
  const share = (count: number): SeedShare => ({ count, of: n, rate: n === 0 ? 0 : count / n, ci95: wilsonInterval(count, n) });

  const failingSeeds = sorted.filter((r) => !r.passed).map((r) => r.seed);

  const seenKinds = new Set(sorted.flatMap((r) => Object.keys(r.findings)));
  const known: readonly string[] = FINDING_KINDS;
  const kinds = [...known, ...[...seenKinds].filter((k) => !known.includes(k)).sort()];
  const findings = kinds.map((kind) => {
    const counts = sorted.map((r) => r.findings[kind] ?? 0);
    return { kind, seeds: share(counts.filter((c) => c > 0).length), total: counts.reduce((a, b) => a + b, 0) };
  });

  const failedNames = new Set(sorted.flatMap((r) => r.failedExpectations));
  const declared = [...new Set(expectationNames)];
  const names = [...declared, ...[...failedNames].filter((name) => !declared.includes(name)).sort()];
  const expectations = names.map((name) => {
    const failing = sorted.filter((r) => r.failedExpectations.includes(name));
    return { name, failedSeeds: failing.length, ...(failing.length > 0 ? { firstFailingSeed: failing[0].seed } : {}) };
  });

  return {
    seeds: n,
    passed: share(n - failingSeeds.length),
    failed: failingSeeds.length,
    incomplete: sorted.filter((r) => r.incomplete !== undefined).length,
    failingSeeds,
    ...(failingSeeds.length > 0 ? { firstFailingSeed: failingSeeds[0] } : {}),
    findings,
    expectations,
    distinctFinalHashes: new Set(sorted.map((r) => r.finalHash)).size,
    systems: { outage: sorted.filter((r) => r.system === "outage").length, degraded: sorted.filter((r) => r.system === "degraded").length, healthy: sorted.filter((r) => r.system === "healthy").length },
  };
}
