// Behaviour of `loadBalancer` components: split the offered load over the in-service targets in
// proportion to their weight knobs (`weight.<target>`, `inService.<target>`).
import type { LoadBalancerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { checkLoadBalancerKnob, inServiceKnob } from "./knobs.js";
import { weightKnob } from "../../signals.js";
import { aggregateSplit } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

/** Knob names per target, computed once: string building per step was a tenth of a large run. */
interface LoadBalancerState {
  weightKnobs: string[];
  /** In-service knob per target, or "" without health checks. */
  inServiceKnobs: string[];
  /** Routed weight per target (0 out of service), their sum and the sum of weights, derived from the knobs. */
  routed: Float64Array;
  total: number;
  weight: number;
  /** True after a knob write: routed, total and weight are derived again at the next step. */
  stale: boolean;
}

const specOf = (c: Component) => c.spec as LoadBalancerSpec;
const stateOf = (c: Component) => c.state as LoadBalancerState;

/** Load balancers (docs/model.md#loadbalancer). */
export const loadBalancerModel: ComponentKind = {
  kinds: ["loadBalancer"],
  docsAnchor: "loadbalancer",
  faultEffects: ["errors", "latency"],

  initialKnobs(raw) {
    const spec = raw as LoadBalancerSpec;
    const knobs: Record<string, number> = {};
    for (const t of spec.targets) knobs[weightKnob(t)] = spec.weights[t] ?? 0;
    if (spec.healthChecks) for (const t of spec.targets) knobs[inServiceKnob(t)] = 1;
    return knobs;
  },

  create(raw) {
    const spec = raw as LoadBalancerSpec;
    const state: LoadBalancerState = {
      weightKnobs: spec.targets.map(weightKnob),
      inServiceKnobs: spec.targets.map((t) => (spec.healthChecks ? inServiceKnob(t) : "")),
      routed: new Float64Array(spec.targets.length),
      total: 0,
      weight: 0,
      stale: true,
    };
    return state;
  },

  link(c, ctx) {
    for (const [i, target] of specOf(c).targets.entries()) ctx.connect(c, target, `components[${c.index}].targets[${i}]`, 1, weightKnob(target));
  },

  checkKnob(c, knob, value) {
    return checkLoadBalancerKnob(c.spec.id, knob, value);
  },

  onKnobWritten(c) {
    stateOf(c).stale = true;
  },

  serve(c, ctx) {
    const spec = specOf(c);
    const offered = c.offeredRps;
    // Only in-service targets take load: their weights are renormalised over `total`. The
    // shares change only when a knob does, so they are derived then, not every step (reading
    // knobs by name was a tenth of a large run).
    const state = stateOf(c);
    if (state.stale) deriveShares(c, state);
    const { routed, total, weight } = state;
    c.servedRps = total > 0 ? offered : 0;
    c.ownErrorRate = total > 0 || offered === 0 ? 0 : 1;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = spec.baseLatencyMs;
    const load = ctx.load;
    // Edges were added in target order (link), so edge k is target k.
    for (let k = 0; k < c.downstream.length; k++) {
      const d = c.downstream[k];
      const share = total > 0 ? routed[k] / total : 0;
      d.callsPerRequest = share;
      load[d.index] += c.servedRps * share;
    }
    c.signals.utilization = 0;
    c.signals.costPerHour = spec.costPerHour;
    c.signals.replicas = 0;
    c.signals.available = weight > 0 ? total / weight : 0;
  },

  aggregate(c, ctx) {
    aggregateSplit(c, ctx.components);
  },
};

/** Routed weight per target and the sums, from the knobs. */
function deriveShares(c: Component, state: LoadBalancerState): void {
  const { weightKnobs, inServiceKnobs, routed } = state;
  const knobs = c.knobs;
  let weight = 0;
  let total = 0;
  for (let k = 0; k < weightKnobs.length; k++) {
    const w = knobs[weightKnobs[k]];
    const r = inServiceKnobs[k] === "" ? w : w * knobs[inServiceKnobs[k]];
    routed[k] = r;
    weight += w;
    total += r;
  }
  state.total = total;
  state.weight = weight;
  state.stale = false;
}
