// Resource budgets a scenario must fit to be accepted: what `validate` refuses so that `run`
// never starts what it cannot finish (a typed array too long, a step count or a wake-up count
// that runs for minutes, a load or server count too large for finite arithmetic). The rule they
// keep, with the measurements behind each figure, is in docs/scenario-format.md "Budgets".
import { SIGNAL_NAMES } from "../model/signals.js";
import { patternChangePoints } from "../model/workload.js";
import type { Path, Unlocated } from "./resolve-tools.js";
import type { Scenario } from "./types.js";

/** Most world steps (duration / step): a week at 1 s is 604,800. */
export const STEPS_MAX = 20_000_000;
/** Most bytes of sampled telemetry (samples x components x signals x 4 bytes). */
export const TELEMETRY_BYTES_MAX = 1024 * 1024 * 1024;
/** The engine's default bound on queue events (RunOptions.maxEvents in sim/engine/engine.ts). */
export const ENGINE_MAX_EVENTS = 50_000_000;
/**
 * Most queue events a run may be estimated to need (world steps, agent wake-ups, statechart
 * `after` timers, workload changes, fault starts and ends): a twentieth of the engine's
 * maxEvents, so what the estimate leaves out (apply timers, retries) would have to multiply it
 * twentyfold before a validated run were cut short, and so a validated run stays within the
 * time budget (an agent wake-up costs 2.5 to 5 µs, and what it commands more).
 */
export const QUEUE_EVENTS_MAX = ENGINE_MAX_EVENTS / 20;
/**
 * Most agent wake-ups (and statechart `after` timers) a run may be estimated to need, all agents
 * together. A wake-up that issues a command costs about 75 µs (coordination, a hash-chained log
 * record, detectors), one that does not about 9 µs: 200,000 is at most 15 s. A day with one
 * agent waking every second is 86,400.
 */
export const AGENT_WAKEUPS_MAX = 200_000;
/** Most component-steps (world steps x components): 0.3 to 1.5 µs each (more with a dependency chain under commands), so at most 30 s. */
export const COMPONENT_STEPS_MAX = 20_000_000;
/** Fastest rate (requests per second) any field may give: far above any real service, and far from overflow. */
export const RATE_RPS_MAX = 1e9;
/** Most replicas a replica field (replicas, replicasMin, replicasMax) may give. */
export const REPLICAS_MAX = 1_000_000;
/**
 * Largest amount of one host resource any field may give (bytes of memory, millicores, file
 * descriptors, threads; per replica, per request, per second of a leak, or a host's limit): an
 * exabyte, far above any host, so usage sums over a million replicas stay finite.
 */
export const HOST_AMOUNT_MAX = 1e18;

/** A budget a scenario breaks: the field to blame, what was expected, what was found and a hint. */
export interface BudgetProblem {
  field: "step" | "sampleEvery";
  expected: string;
  found: string;
  hint: string;
}

const count = (n: number) => Math.round(n).toLocaleString("en-US");

/** The budgets `durationMs`, `stepMs`, `sampleEveryMs` and `components` (each sampling `signals` signals) break, if any. Pure. */
export function budgetProblems(durationMs: number, stepMs: number, sampleEveryMs: number, components: number, signals: number = SIGNAL_NAMES.length): BudgetProblem[] {
  if (!(durationMs > 0) || !(stepMs > 0) || !(sampleEveryMs > 0)) return [];
  const out: BudgetProblem[] = [];
  if (stepMs > durationMs) {
    out.push({ field: "step", expected: `a step no longer than the duration (${durationMs} ms)`, found: `${stepMs} ms`, hint: "a run would be one sample long and pass vacuously; shorten the step" });
  }
  const steps = Math.floor(durationMs / stepMs) + 1;
  if (steps > STEPS_MAX) {
    out.push({ field: "step", expected: `at most ${count(STEPS_MAX)} world steps (duration / step)`, found: `${count(steps)} steps`, hint: "use a longer step or a shorter duration" });
  }
  const samples = Math.floor(durationMs / sampleEveryMs) + 1;
  const bytes = samples * components * signals * 4;
  if (bytes > TELEMETRY_BYTES_MAX) {
    const mib = (n: number) => `${Math.round(n / (1024 * 1024)).toLocaleString("en-US")} MB`;
    out.push({ field: "sampleEvery", expected: `telemetry of at most ${mib(TELEMETRY_BYTES_MAX)} (samples x components x ${signals} signals x 4 bytes)`, found: `${mib(bytes)} (${count(samples)} samples of ${components} components)`, hint: "sample less often, e.g. `sampleEvery: 1m` (a multiple of step)" });
  }
  return out;
}

/** A rate above RATE_RPS_MAX (or not finite), as a problem at `path`; null when it fits. Pure. */
export function rateProblem(rps: number, path: Path): Unlocated | null {
  if (Number.isFinite(rps) && rps <= RATE_RPS_MAX) return null;
  return { path, expected: `a rate of at most ${count(RATE_RPS_MAX)}/s`, found: Number.isFinite(rps) ? `${rps.toExponential(3)}/s` : `${rps}/s`, hint: "the load and capacity model needs finite figures; a billion requests per second is beyond any one service" };
}

/** Replica fields above REPLICAS_MAX in `c` (any kind with replicas), as problems under `path`. Pure. */
export function replicaProblems(c: object, path: Path): Unlocated[] {
  const out: Unlocated[] = [];
  for (const field of ["replicas", "replicasMin", "replicasMax"] as const) {
    const value = (c as Record<string, unknown>)[field];
    if (typeof value === "number" && value > REPLICAS_MAX) {
      out.push({ path: [...path, field], expected: `at most ${count(REPLICAS_MAX)} replicas`, found: count(value), hint: "model a larger fleet as fewer, larger replicas: raise capacityPerReplica" });
    }
  }
  return out;
}

/**
 * A server's cold start whose herd (every replica loading in one step: replicasMax x requests
 * per step) would offer its dependency more than RATE_RPS_MAX, as a problem at
 * `coldStart.requests`; none without a cold start. Pure.
 */
export function coldStartProblems(c: object, path: Path, stepMs: number): Unlocated[] {
  const cold = (c as { coldStart?: { requests: number }; replicasMax?: number }).coldStart;
  if (cold === undefined || !(stepMs > 0)) return [];
  const herdRps = (((c as { replicasMax?: number }).replicasMax ?? 1) * cold.requests * 1000) / stepMs;
  const problem = rateProblem(herdRps, [...path, "coldStart", "requests"]);
  return problem ? [{ ...problem, hint: "replicasMax x requests per step is the load of a herd of cold starts; send fewer requests, lower replicasMax or use a longer step" }] : [];
}

/** One contributor to a run's queue events: the field that sets it, how many it adds and what they are. */
export interface QueueEventSource {
  path: Path;
  events: number;
  what: string;
}

/**
 * Estimates the queue events a run of `scenario` needs: one per world step, one per agent
 * wake-up (duration / period), the fastest `after` timer of each statechart firing back to back,
 * one per workload change point and two per fault. Leaves out what agents schedule themselves in
 * response (apply delays, retries): QUEUE_EVENTS_MAX keeps room for those. Pure.
 */
export function queueEventEstimate(scenario: Scenario): { total: number; sources: QueueEventSource[] } {
  const { durationMs, stepMs } = scenario;
  const sources: QueueEventSource[] = [{ path: ["step"], events: Math.floor(durationMs / stepMs) + 1, what: "world steps" }];
  scenario.agents.forEach((a, i) => {
    if (a.evaluationPeriodMs > 0) sources.push({ path: ["agents", i, a.kind === "healthChecker" ? "probeInterval" : "evaluationPeriod"], events: Math.floor(durationMs / a.evaluationPeriodMs), what: `wake-ups of ${a.id}` });
    if (a.kind === "statechart") {
      const delays = Object.entries(a.states).flatMap(([name, s]) => s.after.map((d) => ({ name, delayMs: d.delayMs })));
      const fastest = delays.filter((d) => d.delayMs > 0).sort((x, y) => x.delayMs - y.delayMs)[0];
      if (fastest) sources.push({ path: ["agents", i, "states", fastest.name, "after"], events: Math.floor(durationMs / fastest.delayMs), what: `${a.id}'s \`after\` timers (at most one per ${fastest.delayMs} ms)` });
    }
  });
  const changes = scenario.workloads.reduce((n, w) => n + patternChangePoints(w.pattern).length, 0);
  if (changes > 0) sources.push({ path: ["workload"], events: changes, what: "workload changes" });
  const faults = scenario.faults?.length ?? 0;
  if (faults > 0) sources.push({ path: ["faults"], events: 2 * faults, what: "fault starts and ends" });
  return { total: sources.reduce((n, s) => n + s.events, 0), sources };
}

/**
 * The run-length budgets `scenario` breaks — estimated queue events, agent wake-ups and
 * component-steps — each as a problem at its largest contributor's field. Pure.
 */
export function runLengthProblems(scenario: Scenario, durationText: string): Unlocated[] {
  const { total, sources } = queueEventEstimate(scenario);
  const out: Unlocated[] = [];
  const listed = (list: QueueEventSource[]) => list.slice(0, 3).map((s) => `${count(s.events)} ${s.what}`).join(", ");
  const ranked = [...sources].sort((a, b) => b.events - a.events);
  const agentHint = (top: QueueEventSource) => {
    const agent = scenario.agents[top.path[1] as number];
    return top.path[2] === "states"
      ? "use longer `after` delays: a timer that re-arms itself fires once per delay for the whole run"
      : `wake ${agent.id} less often: every ${agent.evaluationPeriodMs} ms is ${count(top.events)} wake-ups in ${durationText}; e.g. \`${top.path[2]}: 30s\`, or leave it out for the default`;
  };
  if (total > QUEUE_EVENTS_MAX) {
    const top = ranked[0];
    out.push({
      path: top.path,
      expected: `a run of at most ${count(QUEUE_EVENTS_MAX)} queue events (a twentieth of the engine's maxEvents, ${count(ENGINE_MAX_EVENTS)})`,
      found: `about ${count(total)}: ${listed(ranked)}`,
      hint: top.path[0] === "step" ? "use a longer step or a shorter duration" : top.path[0] === "agents" ? agentHint(top) : "fewer workload change points or faults",
    });
  }
  const agentSources = ranked.filter((s) => s.path[0] === "agents");
  const wakeups = agentSources.reduce((n, s) => n + s.events, 0);
  if (wakeups > AGENT_WAKEUPS_MAX && !out.some((p) => p.path.join(".") === agentSources[0].path.join("."))) {
    out.push({ path: agentSources[0].path, expected: `at most ${count(AGENT_WAKEUPS_MAX)} agent wake-ups in the run, all agents together`, found: `about ${count(wakeups)}: ${listed(agentSources)}`, hint: agentHint(agentSources[0]) });
  }
  const componentSteps = sources[0].events * scenario.components.length;
  if (componentSteps > COMPONENT_STEPS_MAX && !out.some((p) => p.path[0] === "step")) {
    out.push({ path: ["step"], expected: `at most ${count(COMPONENT_STEPS_MAX)} component-steps (world steps x components)`, found: `${count(componentSteps)} (${count(sources[0].events)} steps of ${scenario.components.length} components)`, hint: "use a longer step or a shorter duration" });
  }
  return out;
}
