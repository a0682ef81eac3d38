// Behaviour of `clients` components: a population forwarding the load offered to it to one
// target, retrying failed or timed-out attempts (knob `retries`) with a backoff, an optional
// retry budget, concurrency limit and circuit breaker. Retries react to the failures the clients
// saw one step ago, which is what lets a retry storm sustain itself.
import type { ClientsSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { CircuitBreaker } from "./breaker.js";
import { RetryPipeline, attemptFailureProbability, slowerThanProbability } from "./retries.js";
import { edgeAddedLatencyMs, edgeErrorRate, edgeImpairmentOf } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

/** Largest value of a clients component's `retries` knob. */
const CLIENT_RETRIES_MAX = 100;
/**
 * Retries above this share of first attempts make the clients' extra load a reaction to their
 * target's failures, so the target's load provenance carries what made it fail.
 */
const AMPLIFICATION_REACTING_MIN = 1.001;

interface ClientsState {
  retries: RetryPipeline | null;
  breaker: CircuitBreaker | null;
}

/**
 * Most attempts per second a concurrency limit lets the clients send this step (Little's law):
 * `limit` requests held, less `waitingRequests` held waiting out a backoff, each attempt holding
 * one for `holdMs` (its latency, at most the timeout). Infinity when attempts hold nothing. Pure.
 */
export function concurrencySendCapRps(limit: number, waitingRequests: number, holdMs: number): number {
  return holdMs > 0 ? (Math.max(0, limit - waitingRequests) * 1000) / holdMs : Infinity;
}

const specOf = (c: Component) => c.spec as ClientsSpec;
const stateOf = (c: Component) => c.state as ClientsState;

/** Retrying clients (docs/model.md#clients). */
export const clientsModel: ComponentKind = {
  kinds: ["clients"],
  docsAnchor: "clients",
  faultEffects: [],

  initialKnobs(raw) {
    return { retries: (raw as ClientsSpec).retries };
  },

  create() {
    const state: ClientsState = { retries: null, breaker: null };
    return state;
  },

  link(c, ctx) {
    ctx.connect(c, specOf(c).target, `components[${c.index}].target`);
  },

  checkKnob(c, _knob, value) {
    if (!Number.isInteger(value) || value < 0 || value > CLIENT_RETRIES_MAX) return `${c.spec.id}.retries must be a whole number in [0, ${CLIENT_RETRIES_MAX}], got ${value}`;
    return null;
  },

  serve(c, ctx) {
    const spec = specOf(c);
    const state = stateOf(c);
    const offered = c.offeredRps;
    const edge = c.downstream[0];
    const target = ctx.components[edge.index];
    // The target's signals are still last step's here (callers are served first).
    const t = target.signals;
    // An edge fault on the clients' calls (sim/model/impairment.ts) shifts what they see of the target.
    const add = edgeAddedLatencyMs(edgeImpairmentOf(c, 0));
    const p = attemptFailureProbability(edgeErrorRate(edgeImpairmentOf(c, 0), t), slowerThanProbability(spec.timeoutMs, t.latencyMsP50 + add, t.latencyMsP95 + add, t.latencyMsP99 + add));
    state.retries ??= new RetryPipeline(spec.backoff, ctx.stepMs, CLIENT_RETRIES_MAX);
    let sendCapRps = Infinity;
    if (spec.concurrencyLimit !== undefined) {
      // An attempt holds a request for its latency, or until the client gives up at the timeout;
      // the median stands for the mean (fluid). A request waiting out a backoff holds one too.
      const holdMs = Math.min(spec.timeoutMs, t.latencyMsP50);
      const waiting = state.retries.waitingRps(c.knobs.retries) * (ctx.stepMs / 1000);
      sendCapRps = concurrencySendCapRps(spec.concurrencyLimit, waiting, holdMs);
    }
    if (spec.circuitBreaker !== undefined) {
      state.breaker ??= new CircuitBreaker(spec.circuitBreaker, ctx.stepMs);
      const share = state.breaker.observe(p, c.signals.sentRps > 0);
      if (share < 1) sendCapRps = Math.min(sendCapRps, share * (offered + state.retries.dueRps(c.knobs.retries)));
      c.signals.breakerState = state.breaker.state;
    }
    const sent = state.retries.step(offered, p, c.knobs.retries, spec.retryBudget, sendCapRps);
    c.signals.sentRps = sent.sentRps;
    c.signals.retriedRps = sent.retriedRps;
    const attempts = offered > 0 ? sent.sentRps / offered : 1;
    c.signals.amplification = attempts;
    c.ownErrorRate = offered > 0 ? Math.min(1, sent.failedRps / offered) : 0;
    c.servedRps = offered;
    edge.callsPerRequest = attempts;
    ctx.load[edge.index] += sent.sentRps;
    c.signals.utilization = 0;
    c.signals.costPerHour = 0;
    c.signals.replicas = 0;
    c.signals.available = 1;
  },

  aggregate(c, ctx) {
    const s = c.signals;
    const edge = c.downstream[0];
    const t = ctx.components[edge.index].signals;
    const add = edgeAddedLatencyMs(edgeImpairmentOf(c, 0));
    s.latencyMsP50 = t.latencyMsP50 + add;
    s.latencyMsP95 = t.latencyMsP95 + add;
    s.latencyMsP99 = t.latencyMsP99 + add;
    s.errorRate = c.ownErrorRate;
  },

  reactsToCallees(c) {
    return c.signals.amplification > AMPLIFICATION_REACTING_MIN;
  },

  optionalSignals(raw) {
    const spec = raw as ClientsSpec;
    return spec.concurrencyLimit !== undefined || spec.circuitBreaker !== undefined ? ["sentRps", "retriedRps", "breakerState"] : [];
  },
};
