// Agents benchmark: the engine's cost per agent decision (runScenario with N performance agents)
// against raw XState in the same process — A: actor.send loop; B: `after` delays on a bare clock
// (how agents woke before the engine delivered wakes itself; kept to show why it changed) —
// because XState sets the ceiling on decisions/s and the engine may add at most 25% on top.
import { assign, createActor, setup, type AnyActorRef } from "xstate";
import { runScenario } from "../sim/engine/engine.js";
import type { Scenario } from "../sim/scenario/types.js";
import { describeSamples, interleave, type BenchOptions, type BenchRow, type CaseResult, type Sample } from "./measure.js";
import { performanceAgent, scenario, service } from "./specs.js";

const OVERHEAD_MAX = 0.25;
const EVALUATION_PERIOD_MS = 1000;
const LATENCY_MS_P95_MAX = 100;
const UTILIZATION_MAX = 0.75;
const REPLICAS_MAX = 100;

/** What a baseline agent reads: plain numbers per agent, standing in for the engine's signals. */
interface Readings {
  latencyMsP95: Float64Array;
  utilization: Float64Array;
  replicas: Float64Array;
}

/**
 * The guards and actions of sim/agents/performance.ts with reads from plain arrays instead of
 * the observation API: breachConfirmed / breaching guards reading numbers, assign actions.
 */
function baselineSetup(r: Readings, i: number) {
  const breach = () => r.latencyMsP95[i] > LATENCY_MS_P95_MAX || r.utilization[i] > UTILIZATION_MAX;
  return setup({
    types: { context: {} as { breaches: number }, events: {} as { type: "tick" } },
    delays: { evaluationPeriod: EVALUATION_PERIOD_MS, cooldown: 60_000 },
    guards: {
      breachConfirmed: ({ context }) => context.breaches + 1 >= 1 && r.replicas[i] < REPLICAS_MAX && breach(),
      breaching: () => breach(),
    },
    actions: {
      countBreach: assign({ breaches: ({ context }) => context.breaches + 1 }),
      resetBreaches: assign({ breaches: 0 }),
    },
  });
}

/** Baseline A's machine: the same guards and actions, driven by `tick` events (flat, no timers). */
function sendMachine(r: Readings, i: number) {
  return baselineSetup(r, i).createMachine({
    initial: "watching",
    context: { breaches: 0 },
    states: {
      watching: {
        on: {
          tick: [
            { guard: "breachConfirmed", target: "coolingDown", actions: "resetBreaches" },
            { guard: "breaching", actions: "countBreach" },
            { actions: "resetBreaches" },
          ],
        },
      },
      coolingDown: { on: { tick: "watching" } },
    },
  });
}

/** Baseline B's machine: the same, woken by XState `after` delays instead of engine wakes. */
function afterMachine(r: Readings, i: number) {
  return baselineSetup(r, i).createMachine({
    initial: "watching",
    context: { breaches: 0 },
    states: {
      watching: {
        after: {
          evaluationPeriod: [
            { guard: "breachConfirmed", target: "coolingDown", actions: "resetBreaches" },
            { guard: "breaching", target: "watching", reenter: true, actions: "countBreach" },
            { target: "watching", reenter: true, actions: "resetBreaches" },
          ],
        },
      },
      coolingDown: { after: { cooldown: "watching" } },
    },
  });
}

/** Readings that never breach: 20 ms p95, 25% utilization, 2 replicas (as the engine scenario). */
function quietReadings(agents: number): Readings {
  return {
    latencyMsP95: new Float64Array(agents).fill(20),
    utilization: new Float64Array(agents).fill(0.25),
    replicas: new Float64Array(agents).fill(2),
  };
}

/** Baseline A: create and start `agents` actors, then send `decisions` ticks round-robin. */
export function rawSend(agents: number, decisions: number): Sample {
  const r = quietReadings(agents);
  const start = process.hrtime.bigint();
  const actors: AnyActorRef[] = [];
  for (let i = 0; i < agents; i++) actors.push(createActor(sendMachine(r, i)).start());
  const event = { type: "tick" } as const;
  for (let d = 0; d < decisions; d++) actors[d % agents].send(event);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  for (const a of actors) a.stop();
  return { ops: decisions, seconds };
}

/**
 * The least a clock can do for XState: pending callbacks in a binary heap keyed by
 * (time, id), fired in order by a loop; cancel forgets the callback.
 */
class BareClock {
  now = 0;
  private heapTimes: number[] = [];
  private heapIds: number[] = [];
  private callbacks: ((() => void) | undefined)[] = [];

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    const id = this.callbacks.length;
    this.callbacks.push(fn as () => void);
    const t = this.now + timeout;
    const times = this.heapTimes;
    const ids = this.heapIds;
    let i = times.length;
    times.push(t);
    ids.push(id);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < t || (times[p] === t && ids[p] < id)) break;
      times[i] = times[p];
      ids[i] = ids[p];
      i = p;
    }
    times[i] = t;
    ids[i] = id;
    return id;
  }

  clearTimeout(id: unknown): void {
    this.callbacks[id as number] = undefined;
  }

  /** Fires due callbacks in order until `count` have run or none is pending; returns how many ran. */
  run(count: number): number {
    let fired = 0;
    const times = this.heapTimes;
    const ids = this.heapIds;
    while (fired < count && times.length > 0) {
      const t = times[0];
      const id = ids[0];
      const lastT = times.pop()!;
      const lastId = ids.pop()!;
      const n = times.length;
      if (n > 0) {
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= n) break;
          if (c + 1 < n && (times[c + 1] < times[c] || (times[c + 1] === times[c] && ids[c + 1] < ids[c]))) c++;
          if (lastT < times[c] || (lastT === times[c] && lastId < ids[c])) break;
          times[i] = times[c];
          ids[i] = ids[c];
          i = c;
        }
        times[i] = lastT;
        ids[i] = lastId;
      }
      const fn = this.callbacks[id];
      if (fn === undefined) continue;
      this.callbacks[id] = undefined;
      this.now = t;
      fn();
      fired++;
    }
    return fired;
  }
}

/** Baseline B: `agents` actors on `after` timers over a BareClock, until `decisions` timers fired. */
export function rawAfter(agents: number, decisions: number): Sample {
  const r = quietReadings(agents);
  const clock = new BareClock();
  const start = process.hrtime.bigint();
  const actors: AnyActorRef[] = [];
  for (let i = 0; i < agents; i++) actors.push(createActor(afterMachine(r, i), { clock }).start());
  const fired = clock.run(decisions);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  for (const a of actors) a.stop();
  if (fired !== decisions) throw new Error(`bare clock fired ${fired} timers, expected ${decisions}`);
  return { ops: fired, seconds };
}

/**
 * N services, each with a constant 50 rps (25% of 2 x 100 rps: never a breach) and its own
 * performance agent evaluating every second; the world steps once an hour, so steps are
 * negligible and nearly all work is agent decisions.
 */
export function agentScenario(agents: number, decisions: number): Scenario {
  const seconds = Math.ceil(decisions / agents);
  return scenario({
    name: `bench-agents-${agents}`,
    description: "benchmark: many performance agents, no world load to speak of",
    seed: 1,
    durationMs: seconds * EVALUATION_PERIOD_MS,
    stepMs: 3_600_000,
    sampleEveryMs: 3_600_000,
    coordination: {},
    components: Array.from({ length: agents }, (_, i) => service(`svc${i}`)),
    workloads: Array.from({ length: agents }, (_, i) => ({ id: `load${i}`, target: `svc${i}`, pattern: { kind: "constant" as const, rps: 50 }, noise: 0 })),
    agents: Array.from({ length: agents }, (_, i) =>
      performanceAgent(`perf${i}`, `svc${i}`, { evaluationPeriodMs: EVALUATION_PERIOD_MS, latencyMsP95Max: LATENCY_MS_P95_MAX, utilizationMax: UTILIZATION_MAX, replicasMax: REPLICAS_MAX }),
    ),
  });
}

/** The engine: runScenario on agentScenario; decisions come from its own stats. */
function engineRun(s: Scenario): Sample {
  const start = process.hrtime.bigint();
  const result = runScenario(s);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.stats.commands !== 0) throw new Error(`agent benchmark scenario issued ${result.stats.commands} commands; it should only evaluate`);
  return { ops: result.stats.decisions, seconds };
}

/** Runs the agents benchmark and returns rows against baselines A and B. Not pure: reads the real clock. */
export function runAgentsBench(options: BenchOptions, agents = 200, decisions = 200_000): BenchRow[] {
  const warmDecisions = Math.max(agents * 20, Math.floor(decisions / 5));
  const full = agentScenario(agents, decisions);
  const warm = agentScenario(agents, warmDecisions);
  const r = interleave(
    {
      rawSend: (warmUp) => rawSend(agents, warmUp ? warmDecisions : decisions),
      rawAfter: (warmUp) => rawAfter(agents, warmUp ? warmDecisions : decisions),
      engine: (warmUp) => engineRun(warmUp ? warm : full),
    },
    options,
  );
  const measured = r.engine.rate;
  const row = (name: string, baseline: CaseResult, details: BenchRow["details"]): BenchRow => {
    const slowdown = baseline.rate / measured;
    return {
      name,
      measured,
      baseline: baseline.rate,
      unit: "decisions/s",
      ratio: slowdown,
      target: `overhead <= ${OVERHEAD_MAX * 100}%`,
      pass: slowdown - 1 <= OVERHEAD_MAX,
      samples: { measured: r.engine.samples, baseline: baseline.samples },
      details: { overheadPercent: Number(((slowdown - 1) * 100).toFixed(1)), ...details },
    };
  };
  return [
    row(`agents: engine vs raw send (A), ${agents} agents`, r.rawSend, {
      agents,
      decisionsPerRun: decisions,
      engineDecisionsPerSecond: describeSamples(r.engine.samples),
      rawSendPerSecond: describeSamples(r.rawSend.samples),
      rawAfterPerSecond: describeSamples(r.rawAfter.samples),
      microsecondsPerDecision: `engine ${(1e6 / measured).toFixed(1)}, A ${(1e6 / r.rawSend.rate).toFixed(1)}, B ${(1e6 / r.rawAfter.rate).toFixed(1)}`,
    }),
    row(`agents: engine vs after+bare clock (B)`, r.rawAfter, {
      xstateAfterSlowdownVsSend: `${(r.rawSend.rate / r.rawAfter.rate).toFixed(2)}x (B vs A: XState's own cost of delayed events)`,
    }),
  ];
}
