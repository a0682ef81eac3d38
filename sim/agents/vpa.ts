// The Kubernetes Vertical Pod Autoscaler on CPU (recommender and updater in one): every update
// period (1 min) it recommends per-pod CPU usage x (1 + safety margin) and, when the current
// request is off by more than the update threshold, sets the request, which evicts the pods.
import { setup } from "xstate";
import { CPU_REQUEST_KNOB } from "../model/kinds/server/cpu.js";
import type { VpaAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

/**
 * The CPU request (millicores) the VPA recommends for a per-pod usage: usage x (1 + margin),
 * rounded up to a whole millicore and clamped to [minAllowed, maxAllowed]. Pure.
 */
export function vpaRecommendation(usageMillicores: number, spec: Pick<VpaAgentSpec, "safetyMargin" | "minAllowedMillicores" | "maxAllowedMillicores">): number {
  const wanted = Math.ceil(usageMillicores * (1 + spec.safetyMargin));
  return Math.min(spec.maxAllowedMillicores, Math.max(spec.minAllowedMillicores, wanted));
}

/** Builds the XState machine of a VPA bound to `io`. */
export function createVpaMachine(spec: VpaAgentSpec, io: AgentIO) {
  /** The resize this update would make, or null when the request is within the threshold. */
  const planResize = (): { to: number; reason: string } | null => {
    // Pods evicted by the last resize are still restarting with the new request: the updater
    // waits for them, and the usage of the pods covering for them is no steady-state sample.
    if (io.signal(spec.target, "available") < 1) return null;
    const request = io.knob(spec.target, CPU_REQUEST_KNOB);
    const utilization = io.signal(spec.target, "cpuUtilization");
    const usage = utilization * request;
    const to = vpaRecommendation(usage, spec);
    if (Math.abs(to - request) <= spec.updateThreshold * request) return null;
    const margin = Math.round(spec.safetyMargin * 100);
    return {
      to,
      reason: `${spec.target} per-pod CPU usage = ${show(usage)}m (cpuUtilization ${show(utilization)} of ${request}m): request ${request}m -> ${to}m (usage + ${margin}%), evicting pods`,
    };
  };

  return setup({
    types: { events: {} as { type: "wake" } },
    guards: {
      requestOffTarget: () => planResize() !== null,
    },
    actions: {
      resize: () => {
        const plan = planResize();
        if (plan) io.command({ target: spec.target, knob: CPU_REQUEST_KNOB, value: plan.to, reason: plan.reason });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "updating",
    states: {
      updating: {
        on: {
          wake: { guard: "requestOffTarget", actions: "resize" },
        },
      },
    },
  });
}
