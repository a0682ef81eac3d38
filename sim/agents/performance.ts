// The performance agent: an autoscaler that adds replicas when latency or utilization is above
// its target for `breachesToAct` evaluations in a row, then waits out a cooldown.
import type { PerformanceAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";
import { createThresholdMachine } from "./threshold-scaler.js";

/** Builds the XState machine of a performance agent bound to `io`. */
export function createPerformanceMachine(spec: PerformanceAgentSpec, io: AgentIO) {
  const breach = (): string | null => {
    const latency = io.signal(spec.target, "latencyMsP95");
    if (latency > spec.latencyMsP95Max) return `${spec.target}.latencyMsP95 = ${show(latency)}ms > ${show(spec.latencyMsP95Max)}ms`;
    const utilization = io.signal(spec.target, "utilization");
    if (utilization > spec.utilizationMax) return `${spec.target}.utilization = ${show(utilization)} > ${show(spec.utilizationMax)}`;
    return null;
  };
  const replicas = () => io.knob(spec.target, "replicas");
  return createThresholdMachine({
    id: spec.id,
    breachesToAct: spec.breachesToAct,
    cooldownMs: spec.cooldownMs,
    breach,
    canAct: () => replicas() < spec.replicasMax,
    act: () => {
      const to = Math.min(spec.replicasMax, replicas() + spec.step);
      io.command({ target: spec.target, knob: "replicas", value: to, reason: breach() ?? "latency or utilization above target" });
    },
  });
}
