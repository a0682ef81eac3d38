// Behaviour of `loadBalancer` components: split the offered load over the in-service targets in
// proportion to their weight knobs (`weight.<target>`, `inService.<target>`).
import type { LoadBalancerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { checkLoadBalancerKnob, inServiceKnob, routedWeight } from "../../load-balancer.js";
import { weightKnob } from "../../signals.js";
import { aggregateSplit } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

const specOf = (c: Component) => c.spec as LoadBalancerSpec;

/** Load balancers (docs/model.md#loadbalancer). */
export const loadBalancerKind: ComponentKind = {
  kinds: ["loadBalancer"],
  docsAnchor: "loadbalancer",
  faultEffects: ["errors", "latency"],

  create(raw) {
    const spec = raw as LoadBalancerSpec;
    const knobs: Record<string, number> = {};
    for (const t of spec.targets) knobs[weightKnob(t)] = spec.weights[t] ?? 0;
    if (spec.healthChecks) for (const t of spec.targets) knobs[inServiceKnob(t)] = 1;
    return { knobs, state: null };
  },

  link(c, ctx) {
    for (const [i, target] of specOf(c).targets.entries()) ctx.connect(c, target, `components[${c.index}].targets[${i}]`, 1, weightKnob(target));
  },

  checkKnob(c, knob, value) {
    return checkLoadBalancerKnob(c.spec.id, knob, value);
  },

  serve(c, ctx) {
    const spec = specOf(c);
    const offered = c.offeredRps;
    // Only in-service targets take load: their weights are renormalised over `total`.
    let weight = 0;
    let total = 0;
    for (const d of c.downstream) {
      weight += c.knobs[d.weightKnob];
      total += routedWeight(c.knobs, d.weightKnob);
    }
    c.servedRps = total > 0 ? offered : 0;
    c.ownErrorRate = total > 0 || offered === 0 ? 0 : 1;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = spec.baseLatencyMs;
    const cs = ctx.components;
    for (const d of c.downstream) {
      const share = total > 0 ? routedWeight(c.knobs, d.weightKnob) / total : 0;
      d.callsPerRequest = share;
      cs[d.index].offeredRps += c.servedRps * share;
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
