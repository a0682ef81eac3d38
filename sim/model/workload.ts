// Offered load over time: each workload pattern is a pure function of simulated time, with
// optional multiplicative noise drawn from the workload's own random stream.
import type { LoadPattern, WorkloadSpec } from "../scenario/types.js";
import type { RandomStream } from "../core/random.js";
import { rampValue } from "./ramp.js";

/** Requests per second that `pattern` offers at time `tMs`, before noise. Pure. */
export function patternRps(pattern: LoadPattern, tMs: number): number {
  switch (pattern.kind) {
    case "constant":
      return pattern.rps;
    case "steps": {
      let rps = 0;
      for (const s of pattern.steps) if (s.atMs <= tMs) rps = s.rps;
      return rps;
    }
    case "diurnal": {
      const phase = (2 * Math.PI * (tMs - pattern.peakAtMs)) / pattern.periodMs;
      return Math.max(0, pattern.meanRps * (1 + pattern.amplitude * Math.cos(phase)));
    }
    case "spike": {
      const inSpike = tMs >= pattern.atMs && tMs < pattern.atMs + pattern.durationMs;
      return inSpike ? pattern.baseRps * pattern.multiplier : pattern.baseRps;
    }
    case "ramp":
      return rampValue(pattern.fromRps, pattern.toRps, pattern.overMs > 0 ? (tMs - pattern.atMs) / pattern.overMs : tMs < pattern.atMs ? 0 : 1, pattern.shape);
  }
}

/**
 * Times at which the pattern changes abruptly (step edges, spike start and end) or a ramp starts
 * and ends. The engine logs a `workload.changed` event at each, so a load change can be named as
 * a cause: signals derived during a ramp cite its start (the rate in between is interpolated each
 * step, not logged). Pure.
 */
export function patternChangePoints(pattern: LoadPattern): number[] {
  switch (pattern.kind) {
    case "steps":
      return pattern.steps.map((s) => s.atMs).filter((t) => t > 0);
    case "spike":
      return [pattern.atMs, pattern.atMs + pattern.durationMs];
    case "ramp":
      return pattern.overMs > 0 ? [pattern.atMs, pattern.atMs + pattern.overMs] : [pattern.atMs];
    default:
      return [];
  }
}

/** A workload bound to its random stream: `rpsAt(t)` draws noise, so call it once per step. */
export class WorkloadSource {
  constructor(readonly spec: WorkloadSpec, private readonly random: RandomStream) {}

  /** Offered requests per second at `tMs`, noise included, never negative. */
  rpsAt(tMs: number): number {
    const base = patternRps(this.spec.pattern, tMs);
    if (this.spec.noise === 0) return base;
    return Math.max(0, base * (1 + this.spec.noise * this.random.normal()));
  }
}
