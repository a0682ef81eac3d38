// Behaviour of `configConsumer` components: a fleet serving traffic like a service while loading
// a config document (knobs `replicas`, `version`, `rollout`); the config logic itself is in
// sim/model/config-consumer.ts.
import type { ConfigConsumerSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { forwardServed } from "../../component.js";
import { flagKnob } from "../../flags.js";
import { checkConsumerKnob, createConsumerState, ROLLOUT_KNOB, serveConsumer, updateConsumer, VERSION_KNOB, type ConsumerState } from "./fleet.js";
import type { DocumentStore } from "../document-store/documents.js";
import { aggregateSequential } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

interface ConsumerKindState {
  store: DocumentStore | null;
  consumer: ConsumerState | null;
}

const specOf = (c: Component) => c.spec as ConfigConsumerSpec;
const stateOf = (c: Component) => c.state as ConsumerKindState;

/** Config consumers (docs/model.md#configconsumer). */
export const configConsumerModel: ComponentKind = {
  kinds: ["configConsumer"],
  docsAnchor: "configconsumer",
  faultEffects: ["errors", "latency"],

  initialKnobs(raw) {
    const spec = raw as ConfigConsumerSpec;
    return { replicas: spec.replicas, [VERSION_KNOB]: spec.version, [ROLLOUT_KNOB]: 100 };
  },

  create() {
    const state: ConsumerKindState = { store: null, consumer: null };
    return state;
  },

  link(c, ctx) {
    const spec = specOf(c);
    const state = stateOf(c);
    state.store = ctx.documentStore(spec.store, `components[${c.index}].store`);
    state.consumer = createConsumerState(spec, state.store);
    ctx.connectDependencies(c, spec.dependsOn);
  },

  checkKnob(c, knob, value) {
    return checkConsumerKnob(specOf(c), knob, value);
  },

  beginStep(c, _ctx, tMs) {
    // A newly loaded config changes what the consumer's signals derive from (its writer).
    const state = stateOf(c);
    const spec = specOf(c);
    const applying = spec.applyWhenFlag === undefined || c.knobs[flagKnob(spec.applyWhenFlag)] === 1;
    return updateConsumer(state.consumer!, spec, c.knobs[VERSION_KNOB], state.store!, tMs, c.knobs[ROLLOUT_KNOB], applying);
  },

  serve(c, ctx, tMs) {
    const spec = specOf(c);
    const r = serveConsumer(spec, stateOf(c).consumer!, c.knobs.replicas, c.offeredRps, tMs);
    c.servedRps = r.servedRps;
    c.ownErrorRate = r.ownErrorRate;
    c.ownLatencyMs[0] = r.latencyMs[0];
    c.ownLatencyMs[1] = r.latencyMs[1];
    c.ownLatencyMs[2] = r.latencyMs[2];
    Object.assign(c.signals, { utilization: r.utilization, costPerHour: c.knobs.replicas * spec.costPerReplicaHour, replicas: c.knobs.replicas, available: r.available, degraded: r.degraded, cpuUtilization: 0 });
    forwardServed(c, ctx.load);
  },

  aggregate(c, ctx) {
    aggregateSequential(c, ctx.components, specOf(c).latencyMsMax);
  },

  provenance(c, _ctx, out) {
    const consumer = stateOf(c).consumer!;
    out.push(consumer.loaded.writer);
    if (consumer.stable !== consumer.loaded) out.push(consumer.stable.writer);
  },
};
