// Causal-graph benchmark: building the CSR graph of a day-sized log (800 k records, the upper end
// of what a 24 h run logs) against a bare pass that only reads every record's causes, plus the
// cost of the queries the UI makes per click, because the browser budget is a first frame of a
// 100 k-event run in <= 1 s and the graph is built before anything is drawn.
import { buildCausalGraph } from "../sim/causal/graph.js";
import { neighbourhoodLayout, spaceTimeLayout } from "../sim/causal/layout.js";
import { runScenario } from "../sim/engine/engine.js";
import type { EventRecord } from "../sim/log/record.js";
import { describeSamples, interleave, timeSeconds, type BenchOptions, type BenchRow, type Sample } from "./measure.js";
import { dayScenario } from "./scenario-24h.js";

const RECORDS = 800_000;
const COMPONENTS = 200;
const AGENTS = 50;
/** Records per second the build must reach: 800 k in <= 0.8 s leaves a 100 k run ~0.1 s. */
const RATE_MIN = 1e6;
const QUERIES = 1000;

// Keeps the JIT from dropping the baseline loop.
let sink = 0;

/**
 * A deterministic log shaped like a busy day (xorshift32, no Math.random): mostly health changes
 * citing up to 8 recent records (as provenance sets do), agent knob changes citing run.started
 * and 1-3 recent records, and a few workload changes and faults with no causes. Pure.
 */
export function syntheticDayLog(records = RECORDS): EventRecord[] {
  let x = 0x2545f491;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const log: EventRecord[] = [{ seq: 0, t: 0, type: "run.started", actor: "engine", data: {}, causes: [], prev: "", hash: "" }];
  const stepMs = Math.max(1, Math.floor(86_400_000 / records));
  for (let seq = 1; seq < records; seq++) {
    const t = seq * stepMs;
    const roll = next() % 100;
    const recent = (): number => Math.max(0, seq - 1 - (next() % Math.min(seq, 5000)));
    const causes = new Set<number>();
    let r: EventRecord;
    if (roll < 70) {
      const n = 1 + (next() % 8);
      for (let k = 0; k < n; k++) causes.add(recent());
      const c = `c${next() % COMPONENTS}`;
      r = { seq, t, type: "health.changed", actor: c, target: c, data: { healthy: (next() & 1) === 1 }, causes: [], prev: "", hash: "" };
    } else if (roll < 98) {
      causes.add(0);
      const n = 1 + (next() % 3);
      for (let k = 0; k < n; k++) causes.add(recent());
      const from = next() % 20;
      r = { seq, t, type: "replicas.scaled", actor: `a${next() % AGENTS}`, target: `c${next() % COMPONENTS}`, data: { knob: "replicas", from, to: from + 1 }, causes: [], prev: "", hash: "" };
    } else if (roll < 99) {
      r = { seq, t, type: "workload.changed", actor: `w${next() % 10}`, target: `c${next() % COMPONENTS}`, data: { from: 1, to: 2 }, causes: [], prev: "", hash: "" };
    } else {
      r = { seq, t, type: "fault.started", actor: `f${seq}`, target: `c${next() % COMPONENTS}`, data: { effect: "errors" }, causes: [], prev: "", hash: "" };
    }
    r.causes = [...causes].sort((a, b) => a - b);
    log.push(r);
  }
  return log;
}

/** The least any builder does: read every record's time, actor and causes once. */
function bareTouch(log: readonly EventRecord[]): Sample {
  const start = process.hrtime.bigint();
  let acc = 0;
  for (let i = 0; i < log.length; i++) {
    const r = log[i];
    acc += r.t + r.actor.length;
    const causes = r.causes;
    for (let k = 0; k < causes.length; k++) acc ^= causes[k];
  }
  sink = acc;
  return { ops: log.length, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

function build(log: readonly EventRecord[]): Sample {
  const start = process.hrtime.bigint();
  const g = buildCausalGraph(log);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  sink = g.edgeCount;
  return { ops: log.length, seconds };
}

/** Runs the causal benchmark: build rate on the synthetic day, query costs, and the real 24 h run's log. Not pure: reads the real clock. */
export function runCausalBench(options: BenchOptions): BenchRow[] {
  const log = syntheticDayLog();
  const r = interleave({ build: () => build(log), bare: () => bareTouch(log) }, options);
  const graph = buildCausalGraph(log);
  const picks = Array.from({ length: QUERIES }, (_, i) => Math.floor(((i + 0.5) / QUERIES) * log.length));
  const perQueryMs = (body: (seq: number) => void, count = picks.length): number => (timeSeconds(() => picks.slice(0, count).forEach(body)) * 1000) / count;
  const rootCausesMs = perQueryMs((s) => graph.rootCauses(s));
  const originMs = perQueryMs((s) => graph.rootCauses(s, { mode: "origin" }), 100);
  const ancestorsMs = perQueryMs((s) => graph.ancestors(s, { depth: 3 }));
  const neighbourhoodMs = perQueryMs((s) => neighbourhoodLayout(graph, s), 200);
  const pathMs = perQueryMs((s) => graph.path(Math.max(0, s - 50), s));
  const influenceSeconds = timeSeconds(() => graph.influence());
  const blastSeconds = timeSeconds(() => graph.blastRadius(picks[0]));
  const spaceTimeSeconds = timeSeconds(() => spaceTimeLayout(log));
  const graphBytes = graph.times.byteLength + graph.actorIndex.byteLength + graph.classes.byteLength + graph.ranks.byteLength + graph.kinds.byteLength + graph.against.byteLength + graph.parentStart.byteLength + graph.parentSeqs.byteLength + graph.childStart.byteLength + graph.childSeqs.byteLength;

  const day = runScenario(dayScenario()).log;
  const dayBuildMs = timeSeconds(() => buildCausalGraph(day)) * 1000;
  const dayInfluenceMs = timeSeconds(() => buildCausalGraph(day).influence()) * 1000;

  const measured = r.build.rate;
  const baseline = r.bare.rate;
  return [
    {
      name: `causal graph build, ${log.length / 1000} k records`,
      measured,
      baseline,
      unit: "records/s",
      ratio: baseline / measured,
      target: `>= ${RATE_MIN / 1e6} M records/s`,
      pass: measured >= RATE_MIN,
      samples: { measured: r.build.samples, baseline: r.bare.samples },
      details: {
        records: log.length,
        edges: graph.edgeCount,
        buildMsMedian: Number(((log.length / measured) * 1000).toFixed(1)),
        buildRecordsPerSecond: describeSamples(r.build.samples),
        bareTouchRecordsPerSecond: describeSamples(r.bare.samples),
        graphTypedArrayMB: Number((graphBytes / 1e6).toFixed(1)),
        rootCausesProximateMsPerQuery: Number(rootCausesMs.toFixed(4)),
        rootCausesOriginMsPerQuery: Number(originMs.toFixed(3)),
        ancestorsDepth3MsPerQuery: Number(ancestorsMs.toFixed(4)),
        neighbourhoodLayoutMsPerQuery: Number(neighbourhoodMs.toFixed(3)),
        pathWithin50MsPerQuery: Number(pathMs.toFixed(4)),
        influenceSeconds: Number(influenceSeconds.toFixed(3)),
        blastRadiusOfAnEarlyRecordSeconds: Number(blastSeconds.toFixed(3)),
        spaceTimeLayoutWholeLogSeconds: Number(spaceTimeSeconds.toFixed(3)),
        realDayRecords: day.length,
        realDayBuildMs: Number(dayBuildMs.toFixed(2)),
        realDayBuildAndInfluenceMs: Number(dayInfluenceMs.toFixed(2)),
        sink,
      },
    },
  ];
}
