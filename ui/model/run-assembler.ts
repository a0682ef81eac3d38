// Builds the UI's RunPayload from the worker's stream (ui/model/payload.ts WorkerReply): the head
// allocates the telemetry arrays at their final size, and each chunk appends records, state
// changes and telemetry rows in place. Every update returns a NEW RunPayload object (so the store
// notices) sharing the same growing arrays and the same runId (so views can extend, not rebuild).
import type { RunChunk, RunHead, RunPayload, TelemetryPayload } from "./payload.js";
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { IncidentSummary } from "../../sim/story/types.js";

export class RunAssembler {
  private current: RunPayload;

  constructor(runId: number, head: RunHead) {
    const { componentIds, signalNames, capacity } = head.telemetry;
    const width = componentIds.length * signalNames.length;
    const { telemetry: _sizes, ...known } = head;
    this.current = {
      ...known,
      runId,
      complete: false,
      reachedMs: 0,
      finalHash: "",
      log: [],
      telemetry: { componentIds, signalNames, count: 0, times: new Float64Array(capacity), values: new Float32Array(capacity * width) },
      agentStates: [],
      findings: [],
      expectations: [],
      passed: false,
    };
  }

  /** The run as assembled so far. */
  get run(): RunPayload {
    return this.current;
  }

  /** Appends `chunk` and returns the grown (still incomplete) run. */
  append(chunk: RunChunk): RunPayload {
    const run = this.current;
    const log = run.log as RunChunk["log"];
    for (const r of chunk.log) log.push(r);
    for (const s of chunk.agentStates) run.agentStates.push(s);
    const t = run.telemetry;
    const rows = chunk.times.length;
    const width = t.componentIds.length * t.signalNames.length;
    if (t.count + rows > t.times.length) throw new RangeError(`RunAssembler: ${t.count + rows} telemetry rows exceed the announced capacity ${t.times.length}`);
    t.times.set(chunk.times, t.count);
    t.values.set(chunk.values, t.count * width);
    this.current = { ...run, reachedMs: chunk.reachedMs, telemetry: { ...t, count: t.count + rows } };
    return this.current;
  }

  /** Appends the last chunk and the verdict: the complete run. */
  finish(chunk: RunChunk, verdict: { finalHash: string; findings: Finding[]; expectations: ExpectationResult[]; passed: boolean; groups?: TelemetryPayload; story?: IncidentSummary }): RunPayload {
    this.append(chunk);
    const { finalHash, findings, expectations, passed } = verdict;
    const telemetry = verdict.groups !== undefined ? { ...this.current.telemetry, groups: verdict.groups } : this.current.telemetry;
    this.current = { ...this.current, telemetry, finalHash, findings, expectations, passed, complete: true, ...(verdict.story !== undefined ? { story: verdict.story } : {}) };
    return this.current;
  }
}
