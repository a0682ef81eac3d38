// One step of a server component's pool of replicas as an M/M/c queue: utilization, shedding,
// backlog, latency quantiles and timeouts from pods, capacity and offered load. Pure; stays
// finite for any finite input, however large the capacity or the server count.
import { stepBacklog } from "./backlog.js";
import { erlangC, waitQuantileGivenC } from "../../queueing.js";

/** Most of its capacity a server accepts; load above it is shed so the queueing formulas stay finite. */
export const UTILIZATION_SERVED_MAX = 0.99;

/**
 * Most servers (and slots per replica) the queue is modelled with. Larger pools are modelled as
 * this many faster servers with the same total capacity: at 1e12 servers a request waits only
 * when utilization is within about 1e-6 of 1, so the latency this changes is below anything a
 * scenario can observe, and Erlang C stays cheap and finite.
 */
export const SERVERS_MAX = 1e12;

/** What one step of a server pool depends on. Plain data. */
export interface ServerQueueInput {
  /** Serving pods: whole, or fractional after a capacity loss (a share of a zone). */
  pods: number;
  /** 1 without a capacity loss; otherwise the surviving share, and servers are rounded to whole ones. */
  lossFactor: number;
  perReplicaRps: number;
  baseLatencyMs: number;
  latencyMsMax: number;
  /** Longest wait in the backlog before a request is dropped; undefined or 0 = no backlog (shed at once). */
  maxQueueMs: number | undefined;
  offeredRps: number;
  /** Requests waiting from the previous step. */
  backlog: number;
  stepMs: number;
}

/** One step's outcome. Plain data. */
export interface ServerQueueStep {
  /** offered / capacity: Infinity when load meets no capacity, 0 when capacity is unbounded. */
  utilization: number;
  /** Load the pods accepted (at most UTILIZATION_SERVED_MAX of capacity), before timeouts. */
  acceptedRps: number;
  /** Load served within latencyMsMax. */
  servedRps: number;
  ownErrorRate: number;
  /** Own p50, p95 and p99 latency in ms (queueing, backlog and base latency; no dependencies). */
  latencyMs: [number, number, number];
  /** Requests waiting after the step. */
  backlog: number;
}

/**
 * Steps a pool of `pods` replicas, each `slots` = round(perReplicaRps x baseLatencyMs) parallel
 * servers of mean service time baseLatencyMs (Little's law), as an M/M/c queue. Returns the
 * step's signals and the new backlog. Pure.
 *
 * For ordinary inputs this is the arithmetic the world model has always done, operation for
 * operation, so event logs do not change. Beyond it: servers are capped at SERVERS_MAX (the
 * capped pool keeps the total capacity), and an infinite capacity (a capacityPerReplica
 * near the largest double) serves everything at base latency with utilization 0.
 */
export function stepServerQueue(input: ServerQueueInput, out: ServerQueueStep = emptyServerQueueStep()): ServerQueueStep {
  const { pods, lossFactor, perReplicaRps, baseLatencyMs, latencyMsMax, maxQueueMs, offeredRps: offered, stepMs } = input;
  const capacity = pods * perReplicaRps;
  const utilization = capacity > 0 ? offered / capacity : offered > 0 ? Infinity : 0;
  if (capacity === 0) {
    return fill(out, utilization, 0, 0, offered > 0 ? 1 : 0, latencyMsMax, latencyMsMax, latencyMsMax, input.backlog);
  }
  const hasBacklog = maxQueueMs !== undefined && maxQueueMs > 0;
  if (capacity === Infinity) {
    // Nothing queues: the servers below would need infinitely fast service, and Infinity * 0
    // in the timeout formula would give NaN.
    const latencyMs = Math.min(latencyMsMax, baseLatencyMs);
    return fill(out, utilization, offered, offered, 0, latencyMs, latencyMs, latencyMs, hasBacklog ? 0 : input.backlog);
  }
  const served = Math.min(offered, capacity * UTILIZATION_SERVED_MAX);
  let shed = offered > 0 ? (offered - served) / offered : 0;
  let backlog = input.backlog;
  let backlogDelayMs = 0;
  if (hasBacklog) {
    // With a backlog, load above capacity waits instead of being shed; only requests that
    // would wait longer than maxQueueMs are dropped.
    const b = stepBacklog(backlog, offered, capacity, stepMs, maxQueueMs);
    backlog = b.backlog;
    backlogDelayMs = b.delayMs;
    shed = offered > 0 ? Math.min(1, b.dropped / ((offered * stepMs) / 1000)) : 0;
  }
  const slots = Math.max(1, Math.round((perReplicaRps * baseLatencyMs) / 1000));
  // Erlang C needs whole servers: after a capacity loss the surviving capacity is spread
  // over the nearest whole number of servers, so service times stay close to baseLatencyMs.
  const uncapped = lossFactor === 1 ? pods * slots : Math.max(1, Math.round(pods * slots));
  // Huge pools, and the Infinity slots of a capacity per replica near the largest double, are
  // capped; a capped pool spreads the whole capacity over SERVERS_MAX servers, as a capacity loss does.
  const servers = Math.min(SERVERS_MAX, uncapped);
  const muPerMs = lossFactor === 1 && servers === uncapped ? perReplicaRps / slots / 1000 : capacity / servers / 1000;
  const lambdaPerMs = served / 1000;
  // Capacities near the smallest double can make muPerMs 0; with no load that is 0 Erlangs, with
  // load an unstable queue (erlangC is 1 from erlangs >= servers).
  const erlangs = lambdaPerMs > 0 ? Math.min(servers, lambdaPerMs / muPerMs) : 0;
  const waitProbability = erlangC(servers, erlangs);
  const drain = servers * muPerMs - lambdaPerMs;
  const floorMs = baseLatencyMs + backlogDelayMs;
  const p50 = Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.5));
  const p95 = Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.95));
  const p99 = Math.min(latencyMsMax, floorMs + waitQuantileGivenC(waitProbability, drain, 0.99));
  // Requests that wait past the latency cap time out: P(W > w) = C * exp(-(c*mu - lambda) * w).
  const timedOut = Math.min(1, waitProbability * Math.exp(-drain * Math.max(0, latencyMsMax - baseLatencyMs)));
  return fill(out, utilization, served, served * (1 - timedOut), 1 - (1 - shed) * (1 - timedOut), p50, p95, p99, backlog);
}

/** A step result to fill: callers on the hot path keep one and pass it as `out` (no allocation per step). */
export function emptyServerQueueStep(): ServerQueueStep {
  return { utilization: 0, acceptedRps: 0, servedRps: 0, ownErrorRate: 0, latencyMs: [0, 0, 0], backlog: 0 };
}

function fill(out: ServerQueueStep, utilization: number, acceptedRps: number, servedRps: number, ownErrorRate: number, p50: number, p95: number, p99: number, backlog: number): ServerQueueStep {
  out.utilization = utilization;
  out.acceptedRps = acceptedRps;
  out.servedRps = servedRps;
  out.ownErrorRate = ownErrorRate;
  out.latencyMs[0] = p50;
  out.latencyMs[1] = p95;
  out.latencyMs[2] = p99;
  out.backlog = backlog;
  return out;
}
