// Runs every detector over one run and returns their findings in a stable order, with the
// thresholds they use by default (docs/detectors.md explains each).
import { detectCascades, type CascadeOptions } from "./cascade.js";
import type { Finding, RunView } from "./finding.js";
import { detectFlapping, type FlappingOptions } from "./flapping.js";
import { detectThrashing, type ThrashingOptions } from "./thrashing.js";

/** Every detector threshold; times in simulated milliseconds. */
export type DetectorOptions = ThrashingOptions & FlappingOptions & CascadeOptions;

/**
 * Default thresholds, and why:
 * - thrashWindowMs 1 h, thrashReversalsMin 3: INCIDENTS.md section 4 calls ">= 3 reversals of
 *   replica direction per hour" thrashing and "<= 1 reversal" healthy. One reversal is an agent
 *   correcting another's overshoot; a diurnal scale-up and scale-down is one reversal in 12 h.
 * - flapWindowMs 30 min: holds three cycles of the 5-minute regeneration in INCIDENTS.md
 *   section 3 (the Cloudflare file flapped on a ~10 min cycle) and several health-check cycles;
 *   the health hysteresis (unhealthyAfterSteps / healthyAfterSteps) already filters step noise.
 * - healthFlipsMin 4: two complete fail-and-recover cycles. One cycle is an outage; failing
 *   again within the window after recovering is the pattern people call flapping.
 * - configReturnsMin 2: A -> B -> A -> B. A single A -> B -> A is a bad change and its
 *   rollback (or a lost update), which is not alternation.
 * - cascadeDepthMin 2: DESIGN.md defines a cascade as failure along >= 2 dependency hops; one
 *   hop is a caller failing with its own dependency, which every outage has.
 * - causalSearchMax 256: bounds the walk back from a root failure. Health records carry at most
 *   8 causes (sim/model/provenance.ts), so 256 records reach far past the first actions.
 */
export const DETECTOR_DEFAULTS: Readonly<DetectorOptions> = Object.freeze({
  thrashWindowMs: 3_600_000,
  thrashReversalsMin: 3,
  flapWindowMs: 1_800_000,
  healthFlipsMin: 4,
  configReturnsMin: 2,
  cascadeDepthMin: 2,
  causalSearchMax: 256,
});

/**
 * Runs the thrashing, flapping and cascade detectors over `view` with `options` overriding
 * DETECTOR_DEFAULTS. Returns findings sorted by start time, then kind, then first witness, so the
 * same run always gives deep-equal findings. Pure.
 */
export function detect(view: RunView, options: Partial<DetectorOptions> = {}): Finding[] {
  const o: DetectorOptions = { ...DETECTOR_DEFAULTS, ...options };
  const findings = [...detectThrashing(view, o), ...detectFlapping(view, o), ...detectCascades(view, o)];
  return findings.sort(
    (a, b) =>
      a.from - b.from ||
      compare(a.kind, b.kind) ||
      (a.witnesses[0] ?? -1) - (b.witnesses[0] ?? -1) ||
      compare(a.subjects.join(" "), b.subjects.join(" ")),
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type { Finding, RunView } from "./finding.js";
