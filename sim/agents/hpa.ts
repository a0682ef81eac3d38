// The Kubernetes Horizontal Pod Autoscaler on CPU: every sync period it recommends
// ceil(replicas x cpuUtilization / target) replicas, scales up at once, and scales down only to
// the highest recommendation of its stabilization window (Kubernetes' defaults: 15 s, 300 s).
import { assign, setup } from "xstate";
import type { HpaAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

/** One sync's recommendation, kept for the scale-down stabilization window. */
interface Recommendation {
  atMs: number;
  replicas: number;
}

/** What one sync decided: the replicas to set and the sentence explaining why. */
interface Plan {
  from: number;
  to: number;
  recommended: number;
  reason: string;
}

/**
 * The replicas the HPA algorithm recommends for `current` replicas at `utilization`: unchanged
 * within the tolerance, else ceil(current x utilization / target), clamped to [min, max]. Pure.
 */
export function hpaRecommendation(current: number, utilization: number, spec: Pick<HpaAgentSpec, "cpuUtilizationTarget" | "tolerance" | "replicasMin" | "replicasMax">): number {
  const ratio = utilization / spec.cpuUtilizationTarget;
  const desired = Math.abs(ratio - 1) <= spec.tolerance ? current : Math.ceil(current * ratio);
  return Math.min(spec.replicasMax, Math.max(spec.replicasMin, desired));
}

/** Builds the XState machine of an HPA bound to `io`. */
export function createHpaMachine(spec: HpaAgentSpec, io: AgentIO) {
  /** Reads the target and plans this sync, given the recommendations still inside the window. */
  const plan = (window: readonly Recommendation[]): Plan => {
    const utilization = io.signal(spec.target, "cpuUtilization");
    const from = io.knob(spec.target, "replicas");
    let recommended = hpaRecommendation(from, utilization, spec);
    let observed = `${spec.target}.cpuUtilization = ${show(utilization)}`;
    let target = `target ${spec.cpuUtilizationTarget.toFixed(2)}`;
    if (spec.poolUtilizationTarget !== undefined) {
      // Several metrics: one recommendation each, the largest wins (Kubernetes' rule).
      const pool = io.signal(spec.target, "poolUtilization");
      const byPool = hpaRecommendation(from, pool, { ...spec, cpuUtilizationTarget: spec.poolUtilizationTarget });
      if (byPool > recommended) {
        recommended = byPool;
        observed = `${spec.target}.poolUtilization = ${show(pool)}`;
        target = `target ${spec.poolUtilizationTarget.toFixed(2)}`;
      }
    }
    if (recommended >= from) {
      // Scale-up has no stabilization window in Kubernetes' defaults: act on this sync alone.
      return { from, to: recommended, recommended, reason: `${observed} > ${target}: ${from} -> ${recommended} replicas` };
    }
    let highest = recommended;
    for (const r of window) highest = Math.max(highest, r.replicas);
    const to = Math.min(from, highest);
    const windowS = Math.round(spec.scaleDownStabilizationMs / 1000);
    return { from, to, recommended, reason: `${observed} < ${target}: ${from} -> ${to} replicas (highest recommendation of the last ${windowS}s)` };
  };
  /** Recommendations younger than the stabilization window, as of now. */
  const live = (recommendations: readonly Recommendation[]): Recommendation[] => {
    const since = io.now() - spec.scaleDownStabilizationMs;
    return recommendations.filter((r) => r.atMs > since);
  };

  return setup({
    types: { context: {} as { recommendations: Recommendation[] }, events: {} as { type: "wake" } },
    guards: {
      rescaleNeeded: ({ context }) => {
        const p = plan(live(context.recommendations));
        return p.to !== p.from;
      },
    },
    actions: {
      // The window holds at most window / sync period entries: older ones are dropped each sync.
      recordRecommendation: assign({
        recommendations: ({ context }) => {
          const recommended = plan(live(context.recommendations)).recommended;
          return [...live(context.recommendations), { atMs: io.now(), replicas: recommended }];
        },
      }),
      scale: ({ context }) => {
        const p = plan(context.recommendations);
        io.command({ target: spec.target, knob: "replicas", value: p.to, reason: p.reason });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "syncing",
    context: { recommendations: [] },
    states: {
      syncing: {
        on: {
          wake: [{ guard: "rescaleNeeded", actions: ["recordRecommendation", "scale"] }, { actions: "recordRecommendation" }],
        },
      },
    },
  });
}
