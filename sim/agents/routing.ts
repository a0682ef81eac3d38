// The routing agent: moves load-balancer weight from the target that is slowest or failing most
// (relative to its limits) to the healthiest one, one step per evaluation, then cools down.
import { setup } from "xstate";
import { weightKnob } from "../model/signals.js";
import type { RoutingAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

interface Shift {
  from: string;
  to: string;
  amount: number;
  why: string;
}

/** Builds the XState machine of a routing agent bound to `io`. */
export function createRoutingMachine(spec: RoutingAgentSpec, io: AgentIO) {
  const lb = io.component(spec.target);
  if (lb.kind !== "loadBalancer") throw new Error(`routing agent ${spec.id}: target ${spec.target} is a ${lb.kind}, not a loadBalancer`);
  const targets = lb.targets;

  /** The worst breaching target with weight to give, and the best target to receive it. */
  const planShift = (): Shift | null => {
    let worst: { id: string; badness: number; why: string } | null = null;
    let best: { id: string; badness: number } | null = null;
    for (const id of targets) {
      const latency = io.signal(id, "latencyMsP95");
      const errors = io.signal(id, "errorRate");
      const badness = Math.max(latency / spec.latencyMsP95Max, errors / spec.errorRateMax);
      const weight = io.knob(spec.target, weightKnob(id));
      if (badness > 1 && weight > spec.weightMin && (!worst || badness > worst.badness)) {
        const why = latency > spec.latencyMsP95Max ? `${id}.latencyMsP95 = ${show(latency)}ms > ${show(spec.latencyMsP95Max)}ms` : `${id}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)}`;
        worst = { id, badness, why };
      }
      if (badness <= 1 && weight < 100 && (!best || badness < best.badness)) best = { id, badness };
    }
    if (!worst || !best) return null;
    const available = io.knob(spec.target, weightKnob(worst.id)) - spec.weightMin;
    const room = 100 - io.knob(spec.target, weightKnob(best.id));
    const amount = Math.min(spec.shiftStep, available, room);
    return amount > 0 ? { from: worst.id, to: best.id, amount, why: worst.why } : null;
  };

  return setup({
    types: { events: {} as { type: "wake" } },
    delays: {
      cooldown: spec.cooldownMs,
    },
    guards: {
      shiftNeeded: () => planShift() !== null,
    },
    actions: {
      shiftWeight: () => {
        const shift = planShift();
        if (!shift) return;
        const fromKnob = weightKnob(shift.from);
        const toKnob = weightKnob(shift.to);
        const fromWeight = io.knob(spec.target, fromKnob);
        const toWeight = io.knob(spec.target, toKnob);
        const reason = `${shift.why}: move ${show(shift.amount)} weight ${shift.from} -> ${shift.to}`;
        io.command({ target: spec.target, knob: fromKnob, value: fromWeight - shift.amount, reason });
        io.command({ target: spec.target, knob: toKnob, value: toWeight + shift.amount, reason });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "watching",
    states: {
      watching: {
        on: {
          wake: { guard: "shiftNeeded", target: "coolingDown", actions: "shiftWeight" },
        },
      },
      coolingDown: {
        after: { cooldown: "watching" },
      },
    },
  });
}
