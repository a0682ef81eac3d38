// Runs every detector over one run and returns their findings in a stable order, with the
// thresholds they use by default (docs/detectors.md explains each).
import { detectCascades, type CascadeOptions } from "./cascade.js";
import type { Finding, RunView } from "./finding.js";
import { detectFlapping, type FlappingOptions } from "./flapping.js";
import { detectIntentAttribution, type IntentAttributionOptions } from "./intent-attribution.js";
import { buildLogIndex } from "./log-index.js";
import { detectLostUpdates } from "./lost-update.js";
import { detectOscillation, type OscillationOptions } from "./oscillation.js";
import { detectRetryStorms, type RetryStormOptions } from "./retry-storm.js";
import { detectThrashing, type ThrashingOptions } from "./thrashing.js";

/** Every detector threshold; times in simulated milliseconds. */
export type DetectorOptions = ThrashingOptions & OscillationOptions & FlappingOptions & CascadeOptions & RetryStormOptions & IntentAttributionOptions;

/**
 * Default thresholds, and why:
 * - thrashWindowMs 1 h, thrashReversalsMin 3: INCIDENTS.md section 4 calls ">= 3 reversals of
 *   replica direction per hour" thrashing and "<= 1 reversal" healthy. One reversal is an agent
 *   correcting another's overshoot; a diurnal scale-up and scale-down is one reversal in 12 h.
 * - oscillationWindowMs 1 h, oscillationReversalsMin 3: the thrashing thresholds, for the same
 *   reason — one actor correcting its own overshoot once is a control loop settling; reversing
 *   itself three times within an hour is a loop that does not settle.
 * - flapWindowMs 30 min: holds three cycles of the 5-minute regeneration in INCIDENTS.md
 *   section 3 (the Cloudflare file flapped on a ~10 min cycle) and several health-check cycles;
 *   the health hysteresis (unhealthyAfterSteps / healthyAfterSteps) already filters step noise.
 * - healthFlipsMin 4: two complete fail-and-recover cycles. One cycle is an outage; failing
 *   again within the window after recovering is the pattern people call flapping.
 * - configReturnsMin 2: A -> B -> A -> B. A single A -> B -> A is a bad change and its
 *   rollback (or a lost update), which is not alternation.
 * - cascadeDepthMin 2: DESIGN.md defines a cascade as failure along >= 2 dependency hops; one
 *   hop is a caller failing with its own dependency, which every outage has.
 * - causalSearchMax 256: bounds the walk back from a root failure (and from a reaction, for
 *   intent attribution). Health records carry at most 8 causes (sim/model/provenance.ts), so 256
 *   records reach far past the first actions.
 * - retryAmplificationMin 1.5: half again as many attempts as requests. A service sized at the
 *   usual 60-75% utilization is over capacity at 1.5x its load, which is where retries start to
 *   feed themselves; a 10% retry budget (INCIDENTS.md section 6's fix) caps amplification at 1.1,
 *   and a healthy client sends 1.0.
 * - retryStormPersistMs 2 min: a backlog left by the trigger drains within a few client timeouts
 *   (1 s in the retry-storm sketch) or backoff caps (20 s by default), and a lease table's
 *   re-leasing burst (31 s in the DWFM sketch) within one job timeout; overload still there two
 *   minutes after the trigger ended is sustained by the retries themselves.
 * - intentWindowMs 10 min: the library's reacting agents act within a few evaluation periods of
 *   a change (health checker 3 probes x 10 s, performance 30 s, HPA 15 s, rollback 3 x 30 s, each
 *   plus cooldowns of 1-5 min); a cut older than that has had time to be seen for what it is,
 *   and the provenance that links it to later reactions keeps naming it until the knob changes.
 * - lost updates have no threshold: any write a compare-and-set would have rejected is reported.
 */
export const DETECTOR_DEFAULTS: Readonly<DetectorOptions> = Object.freeze({
  thrashWindowMs: 3_600_000,
  thrashReversalsMin: 3,
  oscillationWindowMs: 3_600_000,
  oscillationReversalsMin: 3,
  flapWindowMs: 1_800_000,
  healthFlipsMin: 4,
  configReturnsMin: 2,
  cascadeDepthMin: 2,
  causalSearchMax: 256,
  retryAmplificationMin: 1.5,
  retryStormPersistMs: 120_000,
  intentWindowMs: 600_000,
});

/**
 * Runs the thrashing, oscillation, flapping, cascade, lost-update, retry-storm and intent-attribution
 * detectors over `view` with `options` overriding DETECTOR_DEFAULTS; the log is indexed once
 * (log-index.ts) and every detector reads the index. Returns findings sorted by start time, then
 * kind, then first witness, so the same run always gives deep-equal findings. Pure.
 */
export function detect(view: RunView, options: Partial<DetectorOptions> = {}): Finding[] {
  const o: DetectorOptions = { ...DETECTOR_DEFAULTS, ...options };
  const index = buildLogIndex(view.log);
  const findings = [
    ...detectThrashing(view, o, index),
    ...detectOscillation(view, o, index),
    ...detectFlapping(view, o, index),
    ...detectCascades(view, o, index),
    ...detectLostUpdates(view, index),
    ...detectRetryStorms(view, o, index),
    ...detectIntentAttribution(view, o, index),
  ];
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
