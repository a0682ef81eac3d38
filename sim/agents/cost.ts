// The cost agent: a rightsizer that removes replicas when utilization is under its floor or the
// target's spend is over budget, for `breachesToAct` evaluations in a row, then cools down.
import { assign, setup } from "xstate";
import type { CostAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

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

  return setup({
    types: { context: {} as { breaches: number }, events: {} as { type: "wake" } },
    delays: {
      cooldown: spec.cooldownMs,
    },
    guards: {
      wasteConfirmed: ({ context }) => context.breaches + 1 >= spec.breachesToAct && replicas() > spec.replicasMin && waste() !== null,
      wasting: () => waste() !== null,
    },
    actions: {
      countBreach: assign({ breaches: ({ context }) => context.breaches + 1 }),
      resetBreaches: assign({ breaches: 0 }),
      scaleIn: () => {
        const from = replicas();
        const to = Math.max(spec.replicasMin, from - spec.step);
        io.command({ target: spec.target, knob: "replicas", value: to, reason: waste() ?? "utilization under floor or over budget" });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "watching",
    context: { breaches: 0 },
    states: {
      watching: {
        on: {
          wake: [
            { guard: "wasteConfirmed", target: "coolingDown", actions: ["scaleIn", "resetBreaches"] },
            { guard: "wasting", actions: "countBreach" },
            { actions: "resetBreaches" },
          ],
        },
      },
      coolingDown: {
        after: { cooldown: "watching" },
      },
    },
  });
}
