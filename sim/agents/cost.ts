// The cost agent: a rightsizer that removes replicas when utilization is under its floor or the
// target's spend is over budget, for `breachesToAct` evaluations in a row, then cools down.
import type { CostAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";
import { createThresholdMachine } from "./threshold-scaler.js";

/** Builds the XState machine of a cost agent bound to `io`. */
export function createCostMachine(spec: CostAgentSpec, io: AgentIO) {
  const waste = (): string | null => {
    const cost = io.signal(spec.target, "costPerHour");
    if (cost > spec.budgetPerHour) return `${spec.target}.costPerHour = ${show(cost)} > budget ${show(spec.budgetPerHour)}`;
    const utilization = io.signal(spec.target, "utilization");
    if (utilization < spec.utilizationMin) return `${spec.target}.utilization = ${show(utilization)} < ${show(spec.utilizationMin)}`;
    return null;
  };
  const replicas = () => io.knob(spec.target, "replicas");
  return createThresholdMachine({
    id: spec.id,
    breachesToAct: spec.breachesToAct,
    cooldownMs: spec.cooldownMs,
    breach: waste,
    canAct: () => replicas() > spec.replicasMin,
    act: () => {
      const to = Math.max(spec.replicasMin, replicas() - spec.step);
      io.command({ target: spec.target, knob: "replicas", value: to, reason: waste() ?? "utilization under floor or over budget" });
    },
  });
}
