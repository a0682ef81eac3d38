// Behaviour of `dnsRecord` components: a record whose value is a plan version (knob `plan`) in a
// document store. It resolves while that version exists with rows; resolvers cache the answer
// for `ttl`, so callers fail on an empty record until their cached answer expires, and recover
// one refresh after it is repaired.
import type { DnsRecordSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import type { DocumentStore } from "../document-store/documents.js";
import { aggregateSplit } from "../aggregate.js";
import type { ComponentKind, StepContext } from "../kind.js";

/** What resolvers cached at their last refresh, and when. */
interface DnsState {
  store: DocumentStore | null;
  cachedResolvable: boolean;
  refreshedAtMs: number;
}

const specOf = (c: Component) => c.spec as DnsRecordSpec;
const stateOf = (c: Component) => c.state as DnsState;

/** True when the record's authoritative answer resolves: its plan version exists with rows. */
function resolvable(c: Component): boolean {
  const spec = specOf(c);
  const plan = c.knobs.plan;
  const doc = plan > 0 ? stateOf(c).store?.get(spec.document, plan) : undefined;
  return doc !== undefined && doc.rows > 0;
}

/** DNS records (docs/model.md#dnsrecord). */
export const dnsRecordModel: ComponentKind = {
  kinds: ["dnsRecord"],
  docsAnchor: "dnsrecord",
  faultEffects: ["errors", "latency"],
  cachedByCallers: true,

  initialKnobs(raw) {
    return { plan: (raw as DnsRecordSpec).plan };
  },

  create() {
    const state: DnsState = { store: null, cachedResolvable: true, refreshedAtMs: 0 };
    return state;
  },

  link(c, ctx) {
    const spec = specOf(c);
    for (const [i, target] of spec.targets.entries()) ctx.connect(c, target, `components[${c.index}].targets[${i}]`);
    stateOf(c).store = ctx.documentStore(spec.store, `components[${c.index}].store`);
    stateOf(c).cachedResolvable = resolvable(c);
  },

  checkKnob(c, _knob, value) {
    if (!Number.isInteger(value) || value < 0) return `${c.spec.id}.plan must be a whole version number >= 0, got ${value}`;
    return null;
  },

  watchedStores(c) {
    return [specOf(c).store];
  },

  beginStep(c, _ctx, tMs) {
    const state = stateOf(c);
    c.signals.available = resolvable(c) ? 1 : 0;
    // Resolvers re-ask the authoritative record once their cached answer is ttl old.
    if (tMs - state.refreshedAtMs >= specOf(c).ttlMs) {
      state.cachedResolvable = c.signals.available === 1;
      state.refreshedAtMs = tMs;
    }
    return false;
  },

  serve(c, ctx) {
    const offered = c.offeredRps;
    const ok = stateOf(c).cachedResolvable && c.downstream.length > 0;
    c.servedRps = ok ? offered : 0;
    c.ownErrorRate = ok || offered === 0 ? 0 : 1;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = specOf(c).baseLatencyMs;
    const load = ctx.load;
    for (const d of c.downstream) {
      d.callsPerRequest = ok ? 1 / c.downstream.length : 0;
      load[d.index] += c.servedRps * d.callsPerRequest;
    }
  },

  aggregate(c, ctx) {
    aggregateSplit(c, ctx.components);
  },

  provenance(c: Component, ctx: StepContext, out: number[]) {
    // What the answer is made of: the put of the plan version the record points at, or the
    // deletion that removed it (why the record is empty), not the document's latest write.
    const spec = specOf(c);
    const plan = c.knobs.plan;
    const doc = plan > 0 ? stateOf(c).store?.get(spec.document, plan) : undefined;
    const planEvent = doc !== undefined ? doc.writer : ctx.documentDeletion(spec.store, spec.document, plan);
    if (planEvent !== undefined) out.push(planEvent);
  },
};
