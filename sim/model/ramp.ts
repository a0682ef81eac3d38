// Ramps: a value moving from one level to another over a window, linearly or geometrically, for
// workload patterns and for the magnitude of component faults. Pure functions of simulated time.
import type { FaultRamp, RampShape } from "../scenario/types.js";

/**
 * Where an exponential fault ramp starts, as a share of the fault's full magnitude: geometric
 * interpolation needs a level above 0, so an exponential ramp-up jumps from 0 to 1% at its start
 * and then grows by a constant factor (x100 over the window).
 */
export const EXPONENTIAL_RAMP_FLOOR = 0.01;

/**
 * The value at progress `f` (0 = start of the window, 1 = end; clamped to [0, 1]) of a ramp from
 * `from` to `to`: linear `from + (to - from) f`, or exponential `from (to / from)^f` (constant
 * growth rate; both endpoints must be above 0, else it is linear). Pure.
 */
export function rampValue(from: number, to: number, f: number, shape: RampShape): number {
  const p = f <= 0 ? 0 : f >= 1 ? 1 : f;
  if (p === 0) return from;
  if (p === 1) return to;
  if (shape === "exponential" && from > 0 && to > 0) return from * Math.pow(to / from, p);
  return from + (to - from) * p;
}

/**
 * Share (0..1) of a fault's full magnitude in effect at `tMs`, for a fault active over
 * [startMs, endMs) (endMs Infinity = to the end of the run): it ramps from 0 to 1 over
 * [startMs, startMs + rampUpMs] and from 1 back to 0 over [endMs - rampDownMs, endMs]; the smaller
 * of the two applies where they overlap. Exponential ramps interpolate geometrically between
 * EXPONENTIAL_RAMP_FLOOR and 1. Exactly 1 without ramps. Pure.
 */
export function faultRampFactor(ramp: FaultRamp, startMs: number, endMs: number, tMs: number): number {
  const shape = ramp.rampShape ?? "linear";
  const from = shape === "exponential" ? EXPONENTIAL_RAMP_FLOOR : 0;
  let factor = 1;
  if (ramp.rampUpMs !== undefined && ramp.rampUpMs > 0 && tMs < startMs + ramp.rampUpMs) {
    factor = tMs < startMs ? 0 : rampValue(from, 1, (tMs - startMs) / ramp.rampUpMs, shape);
  }
  if (ramp.rampDownMs !== undefined && ramp.rampDownMs > 0 && tMs > endMs - ramp.rampDownMs) {
    const down = tMs >= endMs ? 0 : rampValue(from, 1, (endMs - tMs) / ramp.rampDownMs, shape);
    factor = Math.min(factor, down);
  }
  return factor;
}

/** True when the fault ramps in or out (its magnitude depends on time). Pure. */
export function isRamping(ramp: FaultRamp): boolean {
  return (ramp.rampUpMs ?? 0) > 0 || (ramp.rampDownMs ?? 0) > 0;
}
