// The `detectors:` part of a scenario file as zod types: per-scenario detector thresholds that
// override DETECTOR_DEFAULTS (sim/detect/index.ts). Durations stay strings; resolve.ts converts them.
import { z } from "zod";
import { parseDuration } from "../core/units.js";
import { checkedBy } from "./checked-by.js";

/** `250ms`, `30s`, `5m`, `1h30m`. No description here: each field says what it means. */
const duration = z.string().superRefine(checkedBy((v) => parseDuration(v)));
const count = z.int().min(1);

export const detectorsSchema = z
  .strictObject({
    thrashWindow: duration.optional().describe("Thrashing: length of the sliding window the reversals must fall in, e.g. `1h`. Default `1h`."),
    thrashReversalsMin: count.optional().describe("Thrashing: reversals of one knob by different actors within one window that make an episode. Default 3."),
    oscillationWindow: duration.optional().describe("Oscillation: length of the sliding window one actor's reversals of its own changes must fall in, e.g. `1h`. Default `1h`."),
    oscillationReversalsMin: count.optional().describe("Oscillation: reversals by one actor of its own change of one knob within one window that make an episode. Default 3."),
    flapWindow: duration.optional().describe("Flapping: length of the sliding window health flips or config returns must fall in, e.g. `30m`. Default `30m`."),
    healthFlipsMin: count.optional().describe("Flapping: `health.changed` records of one component within one window that make it flapping. Default 4."),
    configReturnsMin: count.optional().describe("Flapping: returns of a served config or DNS plan to the value before its last switch (A -> B -> A) within one window. Default 2."),
    cascadeDepthMin: count.optional().describe("Cascade: fewest dependency hops from the root failure to the furthest failed caller. Default 2."),
    causalSearchMax: count.optional().describe("Cascade and intent attribution: most log records visited when tracing causes backwards. Default 256."),
    retryAmplificationMin: z.number().min(1).optional().describe("Retry storm: attempts per request (for a lease table, jobs per steady renewal) at or above which load counts as amplified. Default 1.5."),
    retryStormPersist: duration.optional().describe("Retry storm: how long amplification must outlast the end of its trigger (a fault, a load spike, a capacity cut), e.g. `2m`. Default `2m`."),
    intentWindow: duration.optional().describe("Intent attribution: longest time from another agent's deliberate capacity cut to a reaction blamed on it, e.g. `10m`. Default `10m`."),
  })
  .describe("Detector thresholds for this scenario, overriding the defaults (docs/detectors.md); fields left out keep their default.");

/** The `detectors:` section as written. */
export type DetectorsFile = z.infer<typeof detectorsSchema>;
