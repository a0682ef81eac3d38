// Crash, restart and cold start of a server's replicas: crash faults, CrashLoopBackOff restarts
// and cold starts that load state from a dependency before serving. Replicas are tracked in
// cohorts (replicas that share a phase and timers), so the cost is per cohort, not per replica.
// Deterministic: no randomness (jitter spreads loads evenly; failures are rounded by carrying
// the fraction from step to step).
import type { ComponentFaultSpec } from "../../../scenario/types.js";
import type { ActiveFault } from "../../impairment.js";
import type { ColdStartSpec, RestartSpec } from "./restarts-spec.js";

/** Phases of a replica. */
export const RUNNING = 0;
/** Crashed, waiting out its backoff before the restart. */
export const CRASHED = 1;
/** Restarted, waiting for its jittered slot before it loads. */
export const WAITING = 2;
/** Loading its state from the cold-start dependency; serves from the step after a good load. */
export const LOADING = 3;

/** Most slots a jitter window is divided into (cohorts made per start). */
export const JITTER_SLOTS_MAX = 1000;

/** Replicas sharing a phase and timers. Plain data. */
export interface Cohort {
  count: number;
  phase: number;
  /** When the container (re)started: a crash fault's `afterMs` counts from it. */
  startedMs: number;
  /** When it began serving (RUNNING): the backoff resets `resetAfterMs` later. */
  readyMs: number;
  /** CRASHED: when it restarts; WAITING: when it loads; LOADING: when it sent its load (-1 not yet). */
  untilMs: number;
  /** Consecutive crashes: the backoff exponent. */
  crashes: number;
  /** The crash fault that crashes it again `afterMs` after each start while it lasts; "" none. */
  hitBy: string;
}

/** The restart state of one server. Mutable; owned by the server's kind state. */
export interface RestartState {
  cohorts: Cohort[];
  /** Crash faults whose start already crashed replicas. */
  readonly applied: Set<string>;
  /** Fractional failures carried to the next settlement (keeps whole replicas unbiased). */
  failCarry: number;
  /** Restarts since the run began. */
  restarts: number;
  /** Cold-start requests per second sent this step. */
  coldStartRps: number;
  /** True while replicas restart because cold starts failed at the dependency (its failures drive the load). */
  reacting: boolean;
}

/** The kubelet's CrashLoopBackOff, used when a server declares no `restart` (docs/model.md). */
export const DEFAULT_RESTART: RestartSpec = { backoffBaseMs: 10_000, backoffMaxMs: 300_000, resetAfterMs: 600_000 };

/** A restart state with `replicas` replicas serving since t=0. Pure. */
export function freshRestartState(replicas: number): RestartState {
  const cohorts = replicas > 0 ? [{ count: replicas, phase: RUNNING, startedMs: 0, readyMs: 0, untilMs: -1, crashes: 0, hitBy: "" }] : [];
  return { cohorts, applied: new Set(), failCarry: 0, restarts: 0, coldStartRps: 0, reacting: false };
}

/**
 * The delay before the restart after the `crashes`-th consecutive crash (1-based):
 * min(backoffMax, backoffBase x 2^(crashes - 1)). 10s, 20s, 40s, ..., 300s with the defaults. Pure.
 */
export function backoffDelayMs(crashes: number, policy: RestartSpec): number {
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * Math.pow(2, Math.min(Math.max(0, crashes - 1), 60)));
}

/**
 * How the n replicas starting at one instant are spread over the jitter window, deterministically
 * at the midpoints of full jitter's quantiles: the window is cut into K slots (K = window / step,
 * at most JITTER_SLOTS_MAX, at least 1), slot i loads i x window / K after the start (rounded to
 * whole steps), and replica j (0-based) takes slot floor((j + 1/2) K / n), so slot i holds
 * ceil((i+1) n / K - 1/2) - ceil(i n / K - 1/2) replicas. One replica alone loads half a window
 * late (full jitter's mean); n >= K fill every slot. Empty slots are left out. Pure.
 */
export function jitterSlots(n: number, windowMs: number, stepMs: number): { delayMs: number; count: number }[] {
  const k = Math.max(1, Math.min(JITTER_SLOTS_MAX, Math.floor(windowMs / stepMs)));
  const upTo = (i: number) => Math.max(0, Math.ceil((2 * i * n - k) / (2 * k)));
  const out: { delayMs: number; count: number }[] = [];
  for (let i = 0; i < k; i++) {
    const count = upTo(i + 1) - upTo(i);
    if (count > 0) out.push({ delayMs: Math.round((i * windowMs) / k / stepMs) * stepMs, count });
  }
  return out;
}

/** What one step of restarts needs to know. */
export interface RestartStepInput {
  replicas: number;
  policy: RestartSpec;
  coldStart: ColdStartSpec | undefined;
  faults: readonly ActiveFault[];
  /** The cold-start dependency's error rate as of the previous step (when the load was sent): each load request fails with it. */
  dependencyErrorRate: number;
  stepMs: number;
  tMs: number;
}

/**
 * Advances `s` to `tMs`: matches the replica count to the knob, settles last step's loads
 * (a share `dependencyErrorRate` of the loading replicas fail their start), crashes replicas for
 * crash faults, restarts those whose backoff ran out, starts loads whose slot came and resets the
 * backoff of replicas serving for resetAfter. A load fails when any of its `requests` fails at the
 * dependency, so 1 - (1 - e)^requests of the loading replicas fail their start. Sets `s.coldStartRps`. Returns the replicas not
 * serving (crashed or cold-starting). Mutates `s`.
 */
export function stepRestarts(s: RestartState, input: RestartStepInput): number {
  const { policy, coldStart, tMs } = input;
  // The usual step: every replica serving and settled, no fault, no scaling: nothing to do.
  if (s.cohorts.length === 1 && input.faults.length === 0 && s.applied.size === 0) {
    const only = s.cohorts[0];
    if (only.phase === RUNNING && only.crashes === 0 && only.hitBy === "" && only.count === input.replicas) {
      s.coldStartRps = 0;
      s.reacting = false;
      return 0;
    }
  }
  matchReplicas(s, input);
  // Last step's loads: the dependency's failures fail starts (whole replicas, the fraction carried).
  for (const c of [...s.cohorts]) {
    if (c.phase !== LOADING || c.untilMs < 0 || c.untilMs >= tMs) continue;
    // A load fails when any of its requests fails: 1 - (1 - e)^requests of the replicas.
    const e = input.dependencyErrorRate;
    const failShare = e <= 0 ? 0 : e >= 1 ? 1 : -Math.expm1(input.coldStart ? input.coldStart.requests * Math.log1p(-e) : Math.log1p(-e));
    s.failCarry += c.count * failShare;
    const failed = Math.min(c.count, Math.floor(s.failCarry + 1e-9));
    s.failCarry = Math.max(0, s.failCarry - failed);
    const allFailed = failed >= c.count;
    if (failed > 0) {
      s.reacting = true;
      crash(s, take(s, c, failed), policy, tMs);
    }
    if (!allFailed) {
      c.phase = RUNNING;
      c.readyMs = tMs;
    }
  }
  // Crash faults: a new one crashes its share of the serving replicas (a starting replica takes no
  // requests, so a poison request or a bad input does not reach it); one with afterMs crashes
  // those it hit again afterMs after each start while it lasts, whether serving or starting.
  for (const f of input.faults) {
    const spec = f.spec as ComponentFaultSpec;
    if (spec.effect !== "crash") continue;
    if (!s.applied.has(spec.id)) {
      s.applied.add(spec.id);
      const up = s.cohorts.reduce((n, c) => (c.phase === RUNNING ? n + c.count : n), 0);
      let left = up > 0 ? Math.min(up, Math.max(1, Math.round(spec.share * up))) : 0;
      for (const c of [...s.cohorts]) {
        if (left === 0) break;
        if (c.phase !== RUNNING) continue;
        const n = Math.min(left, c.count);
        left -= n;
        const hit = take(s, c, n);
        hit.hitBy = spec.afterMs !== undefined ? spec.id : "";
        crash(s, hit, policy, tMs);
      }
    } else if (spec.afterMs !== undefined) {
      for (const c of [...s.cohorts]) {
        if (c.hitBy === spec.id && c.phase !== CRASHED && tMs - c.startedMs >= spec.afterMs) crash(s, c, policy, tMs);
      }
    }
  }
  // A crash loop ends with its fault: replicas it hit restart and stay up.
  for (const c of s.cohorts) if (c.hitBy !== "" && !input.faults.some((f) => f.spec.id === c.hitBy)) c.hitBy = "";
  // A fault that ended may start again (a flag turned back on): it crashes its share again then.
  for (const id of [...s.applied]) if (!input.faults.some((f) => f.spec.id === id)) s.applied.delete(id);
  // Restarts whose backoff ran out (one batch: they spread over one jitter window), backoff resets.
  const restarting: Cohort[] = [];
  for (const c of s.cohorts) {
    if (c.phase === CRASHED && c.untilMs <= tMs) {
      s.restarts += c.count;
      restarting.push(c);
    } else if (c.phase === RUNNING && c.crashes > 0 && tMs - c.readyMs >= policy.resetAfterMs) {
      c.crashes = 0;
    }
  }
  if (restarting.length > 0) start(s, restarting, coldStart, input.stepMs, tMs);
  let notServing = 0;
  s.coldStartRps = 0;
  for (const c of s.cohorts) {
    if (c.phase === WAITING && c.untilMs <= tMs) {
      c.phase = LOADING;
      c.untilMs = -1;
    }
    if (c.phase === LOADING && c.untilMs < 0) {
      c.untilMs = tMs;
      s.coldStartRps += (c.count * coldStart!.requests * 1000) / input.stepMs;
    }
    if (c.phase !== RUNNING) notServing += c.count;
  }
  if (notServing === 0) s.reacting = false;
  merge(s);
  return notServing;
}

/** Replicas per phase (crashed, waiting + loading) for the signals. Pure. */
export function restartCounts(s: RestartState): { crashed: number; coldStarting: number } {
  let crashed = 0;
  let coldStarting = 0;
  for (const c of s.cohorts) {
    if (c.phase === CRASHED) crashed += c.count;
    else if (c.phase !== RUNNING) coldStarting += c.count;
  }
  return { crashed, coldStarting };
}

/**
 * Adds replicas a scale-up asked for (they start: cold start or serve at once) and removes those
 * a scale-down asked for, the ones not serving first — crashed, waiting, loading, then running,
 * newest first — as a ReplicaSet deletes not-ready pods before ready ones.
 */
function matchReplicas(s: RestartState, input: RestartStepInput): void {
  const total = s.cohorts.reduce((n, c) => n + c.count, 0);
  if (input.replicas > total) {
    const added: Cohort = { count: input.replicas - total, phase: RUNNING, startedMs: input.tMs, readyMs: input.tMs, untilMs: -1, crashes: 0, hitBy: "" };
    s.cohorts.push(added);
    start(s, [added], input.coldStart, input.stepMs, input.tMs);
    return;
  }
  let excess = total - input.replicas;
  for (const phase of [CRASHED, WAITING, LOADING, RUNNING]) {
    for (let i = s.cohorts.length - 1; i >= 0 && excess > 0; i--) {
      const c = s.cohorts[i];
      if (c.phase !== phase) continue;
      const n = Math.min(excess, c.count);
      c.count -= n;
      excess -= n;
    }
  }
  s.cohorts = s.cohorts.filter((c) => c.count > 0);
}

/** Splits `n` replicas off cohort `c` into a new cohort (the same cohort when n is all of it). */
function take(s: RestartState, c: Cohort, n: number): Cohort {
  if (n >= c.count) return c;
  c.count -= n;
  const part = { ...c, count: n };
  s.cohorts.push(part);
  return part;
}

/** Crashes the cohort: it waits backoffDelay(crashes + 1) before it restarts. */
function crash(s: RestartState, c: Cohort, policy: RestartSpec, tMs: number): void {
  c.crashes += 1;
  c.phase = CRASHED;
  c.untilMs = tMs + backoffDelayMs(c.crashes, policy);
}

/**
 * (Re)starts the cohorts at `tMs`: serving at once without a cold start, else loading now, or in
 * the jitter slots of all of them together (replicas starting at one instant share one window).
 */
function start(s: RestartState, batch: readonly Cohort[], coldStart: ColdStartSpec | undefined, stepMs: number, tMs: number): void {
  for (const c of batch) {
    c.startedMs = tMs;
    c.untilMs = -1;
    c.phase = coldStart === undefined ? RUNNING : LOADING;
    if (coldStart === undefined) c.readyMs = tMs;
  }
  if (coldStart === undefined || coldStart.jitter === "none") return;
  const slots = jitterSlots(batch.reduce((n, c) => n + c.count, 0), coldStart.windowMs, stepMs);
  let slot = 0;
  let left = slots.length > 0 ? slots[0].count : 0;
  for (const c of batch) {
    let remaining = c.count;
    while (remaining > 0 && slot < slots.length) {
      const n = Math.min(remaining, left);
      const part = n === remaining ? c : take(s, c, n);
      const delayMs = slots[slot].delayMs;
      part.phase = delayMs === 0 ? LOADING : WAITING;
      part.untilMs = delayMs === 0 ? -1 : tMs + delayMs;
      remaining -= n;
      left -= n;
      if (left === 0 && ++slot < slots.length) left = slots[slot].count;
    }
  }
}

/** Merges cohorts that no longer differ in anything that matters, so their number stays small. */
function merge(s: RestartState): void {
  if (s.cohorts.length < 2) return;
  const byKey = new Map<string, Cohort>();
  const kept: Cohort[] = [];
  for (const c of s.cohorts) {
    // Only what still matters tells cohorts apart: serving replicas past their backoff reset and
    // not crash-looping are all alike; the start time matters only to a crash loop, the ready
    // time only to a pending reset, the timer only to crashed, waiting and loading replicas.
    const settled = c.phase === RUNNING && c.crashes === 0 && c.hitBy === "";
    const loopStart = c.hitBy === "" ? "" : `|${c.startedMs}`;
    const key = settled ? "settled" : c.phase === RUNNING ? `${c.phase}|${c.crashes}|${c.readyMs}|${c.hitBy}${loopStart}` : `${c.phase}|${c.untilMs}|${c.crashes}|${c.hitBy}${loopStart}`;
    const same = byKey.get(key);
    if (same) {
      same.count += c.count;
      if (settled) same.readyMs = Math.max(same.readyMs, c.readyMs);
    } else {
      byKey.set(key, c);
      kept.push(c);
    }
  }
  s.cohorts = kept;
}
