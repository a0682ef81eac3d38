// 24 h scenario benchmark: wall time of runScenario on a generated 200-component, 50-agent day
// with diurnal, noisy load at a 5 s step, and whether repeated runs give the same final hash,
// because "a realistic day in <= 5 s on 2 cores" is the budget users feel in the CLI and the UI.
import { runScenario, type RunResult } from "../sim/engine/engine.js";
import type { AgentSpec, ComponentSpec, Scenario, WorkloadSpec } from "../sim/scenario/types.js";
import { median, type BenchOptions, type BenchRow } from "./measure.js";
import { costAgent, database, loadBalancer, performanceAgent, routingAgent, scenario, service } from "./specs.js";

const HOUR_MS = 3_600_000;
const WALL_SECONDS_MAX = 5;
const SHARDS = 40;

/**
 * 40 shards of lb -> 2 web services -> 1 api -> its own database and (lightly) the next shard's:
 * 40 + 80 + 40 + 40 = 200 components, acyclic. Each lb gets a diurnal load peaking at a
 * different hour with 5% noise. Agents: 20 performance (10 on web, 10 on api), 15 cost on the
 * same web services as some performance agents (so they contend), 15 routing on lbs.
 */
export function dayScenario(stepMs = 5000): Scenario {
  const components: ComponentSpec[] = [];
  const workloads: WorkloadSpec[] = [];
  for (let i = 0; i < SHARDS; i++) {
    const next = (i + 1) % SHARDS;
    components.push(loadBalancer(`lb${i}`, [`web${i}a`, `web${i}b`]));
    for (const side of ["a", "b"]) {
      components.push(service(`web${i}${side}`, { replicas: 3, replicasMin: 1, replicasMax: 20, costPerReplicaHour: 0.4, dependsOn: [{ id: `api${i}`, callsPerRequest: 1 }] }));
    }
    components.push(
      service(`api${i}`, {
        replicas: 6,
        replicasMin: 2,
        replicasMax: 30,
        baseLatencyMs: 30,
        costPerReplicaHour: 0.6,
        dependsOn: [
          { id: `db${i}`, callsPerRequest: 2 },
          { id: `db${next}`, callsPerRequest: 0.5 },
        ],
      }),
    );
    components.push(database(`db${i}`, { replicas: 1, replicasMax: 8 }));
    workloads.push({
      id: `users${i}`,
      target: `lb${i}`,
      pattern: { kind: "diurnal", meanRps: 260 + 10 * (i % 8), amplitude: 0.6, periodMs: 24 * HOUR_MS, peakAtMs: (i % 24) * HOUR_MS },
      noise: 0.05,
    });
  }
  const agents: AgentSpec[] = [];
  for (let i = 0; i < 10; i++) agents.push(performanceAgent(`perf-web${i}`, `web${i}a`, { replicasMax: 20, step: 1, breachesToAct: 2 }));
  for (let i = 0; i < 10; i++) agents.push(performanceAgent(`perf-api${i}`, `api${i}`, { replicasMax: 30, step: 2, breachesToAct: 2, latencyMsP95Max: 150 }));
  for (let i = 0; i < 15; i++) agents.push(costAgent(`cost-web${i}`, `web${i}a`, { replicasMin: 1, breachesToAct: 2 }));
  for (let i = 20; i < 35; i++) agents.push(routingAgent(`route-lb${i}`, `lb${i}`));
  return scenario({
    name: "bench-24h-200c-50a",
    description: "benchmark: one day of 200 components and 50 agents",
    seed: 7,
    durationMs: 24 * HOUR_MS,
    stepMs,
    sampleEveryMs: stepMs,
    coordination: {},
    components,
    workloads,
    agents,
  });
}

/** Runs the day `warmups + repetitions` times (at least one of each) and reports the median wall time and hash agreement. */
export function runScenario24hBench(options: BenchOptions): BenchRow[] {
  const s = dayScenario();
  // Only figures are kept between runs: holding whole RunResults (telemetry is ~124 MB per run
  // here) would make later runs pay for collecting a heap the simulation did not create.
  const runs: { seconds: number; finalHash: string }[] = [];
  let first: { stats: RunResult["stats"]; logEvents: number; stopReason: RunResult["stopReason"] } | undefined;
  const warmups = Math.max(1, options.warmups);
  const total = warmups + Math.max(1, options.repetitions);
  for (let k = 0; k < total; k++) {
    const start = process.hrtime.bigint();
    const result = runScenario(s);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    runs.push({ seconds, finalHash: result.finalHash });
    first ??= { stats: result.stats, logEvents: result.log.length, stopReason: result.stopReason };
  }
  const timed = runs.slice(warmups).map((r) => r.seconds);
  const wall = median(timed);
  const hashes = new Set(runs.map((r) => r.finalHash));
  const stats = first!.stats;
  const details = {
    components: s.components.length,
    agents: s.agents.length,
    stepMs: s.stepMs,
    sampleEveryMs: s.sampleEveryMs,
    durationMs: s.durationMs,
    runs: runs.length,
    firstRunSeconds: Number(runs[0].seconds.toFixed(3)),
    timedSeconds: timed.map((x) => x.toFixed(3)).join(" "),
    logEvents: first!.logEvents,
    queueEvents: stats.queueEvents,
    steps: stats.steps,
    decisions: stats.decisions,
    commands: stats.commands,
    applied: stats.applied,
    rejected: stats.rejected,
    unchanged: stats.unchanged,
    stopReason: first!.stopReason,
    finalHash: runs[0].finalHash,
  };
  return [
    {
      name: `24 h scenario (${s.components.length} comp, ${s.agents.length} agents, step ${s.stepMs / 1000} s)`,
      measured: wall,
      baseline: null,
      unit: "s wall",
      ratio: wall / WALL_SECONDS_MAX,
      target: `<= ${WALL_SECONDS_MAX} s`,
      pass: wall <= WALL_SECONDS_MAX,
      samples: { measured: timed, baseline: null },
      details,
    },
    {
      name: `24 h scenario: finalHash equal over ${runs.length} runs`,
      measured: hashes.size,
      baseline: null,
      unit: "distinct hashes",
      ratio: null,
      target: "1 distinct hash",
      pass: hashes.size === 1,
      samples: { measured: [hashes.size], baseline: null },
      details: { hashes: [...hashes].map((h) => h.slice(0, 16)).join(" ") },
    },
  ];
}
