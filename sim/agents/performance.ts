// The performance agent: an autoscaler that adds replicas when latency or utilization is above
// its target for `breachesToAct` evaluations in a row, then waits out a cooldown.
import { assign, setup } from "xstate";
import type { PerformanceAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

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

  return setup({
    types: { context: {} as { breaches: number }, events: {} as { type: "wake" } },
    delays: {
      cooldown: spec.cooldownMs,
    },
    guards: {
      breachConfirmed: ({ context }) => context.breaches + 1 >= spec.breachesToAct && replicas() < spec.replicasMax && breach() !== null,
      breaching: () => breach() !== null,
    },
    actions: {
      countBreach: assign({ breaches: ({ context }) => context.breaches + 1 }),
      resetBreaches: assign({ breaches: 0 }),
      scaleOut: () => {
        const from = replicas();
        const to = Math.min(spec.replicasMax, from + spec.step);
        io.command({ target: spec.target, knob: "replicas", value: to, reason: breach() ?? "latency or utilization above target" });
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
            { guard: "breachConfirmed", target: "coolingDown", actions: ["scaleOut", "resetBreaches"] },
            { guard: "breaching", actions: "countBreach" },
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
