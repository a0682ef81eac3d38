// A load balancer's health checker (an NLB's target health checks): every probe interval it probes
// each target, takes a target out of service after `failuresToRemove` failed probes in a row and
// returns it after `successesToReturn` good ones. A removed target gets no load, so it soon probes
// healthy again and returns: under load this flaps, and each removal pushes load onto the others.
import { assign, setup } from "xstate";
import { inServiceKnob } from "../model/kinds/load-balancer/knobs.js";
import type { HealthCheckerAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

/** Consecutive probe outcomes per target. */
interface ProbeCounts {
  failures: Record<string, number>;
  successes: Record<string, number>;
  /** Why the last probe of each target failed or passed, for reasons. */
  observed: Record<string, string>;
}

/** Builds the XState machine of a health checker bound to `io`. */
export function createHealthCheckerMachine(spec: HealthCheckerAgentSpec, io: AgentIO) {
  const lb = io.component(spec.target);
  if (lb.kind !== "loadBalancer") throw new Error(`healthChecker agent ${spec.id}: target ${spec.target} is a ${lb.kind}, not a loadBalancer; point it at the load balancer whose targets it probes`);
  if (!lb.healthChecks) throw new Error(`healthChecker agent ${spec.id}: load balancer ${spec.target} has no in-service knobs; add \`healthChecks: true\` to it`);
  const targets = lb.targets;
  const zeros = () => Object.fromEntries(targets.map((t) => [t, 0]));

  /** One probe of `target`: whether it failed, and what it saw (for reasons). */
  const probe = (target: string): { failed: boolean; observed: string } => {
    const errors = io.signal(target, "errorRate");
    const latency = io.signal(target, "latencyMsP95");
    if (errors > spec.errorRateMax) return { failed: true, observed: `${target}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)}` };
    if (latency > spec.latencyMsP95Max) return { failed: true, observed: `${target}.latencyMsP95 = ${show(latency)}ms > ${show(spec.latencyMsP95Max)}ms` };
    return { failed: false, observed: `${target}.errorRate = ${show(errors)}, latencyMsP95 = ${show(latency)}ms` };
  };

  return setup({
    types: { context: {} as ProbeCounts, events: {} as { type: "wake" } },
    guards: {
      enactsFailover: () => spec.failover,
    },
    actions: {
      probeTargets: assign(({ context }) => {
        const next: ProbeCounts = { failures: { ...context.failures }, successes: { ...context.successes }, observed: { ...context.observed } };
        for (const t of targets) {
          const p = probe(t);
          next.failures[t] = p.failed ? next.failures[t] + 1 : 0;
          next.successes[t] = p.failed ? 0 : next.successes[t] + 1;
          next.observed[t] = p.observed;
        }
        return next;
      }),
      removeAndReturn: ({ context }) => {
        for (const t of targets) {
          const knob = inServiceKnob(t);
          const inService = io.knob(spec.target, knob);
          if (inService === 1 && context.failures[t] >= spec.failuresToRemove) {
            io.command({ target: spec.target, knob, value: 0, reason: `${context.observed[t]} on ${context.failures[t]} probes in a row: take ${t} out of ${spec.target}` });
          } else if (inService === 0 && context.successes[t] >= spec.successesToReturn) {
            io.command({ target: spec.target, knob, value: 1, reason: `${t} passed ${context.successes[t]} probes in a row (${context.observed[t]}): return it to ${spec.target}` });
          }
        }
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "probing",
    context: { failures: zeros(), successes: zeros(), observed: {} },
    states: {
      probing: {
        on: {
          wake: [{ guard: "enactsFailover", actions: ["probeTargets", "removeAndReturn"] }, { actions: "probeTargets" }],
        },
      },
    },
  });
}
