// The worker's side of a streamed run: cuts the engine's growing log, state changes and telemetry
// into chunks of what was added since the previous take (ui/model/run-assembler.ts puts them back
// together). Pure; the telemetry rows are copies, so they can be transferred.
import type { RunProgress } from "../../sim/engine/engine.js";
import type { RunChunk } from "./payload.js";

export class ChunkStream {
  private records = 0;
  private states = 0;
  private samples = 0;

  /** What `p` holds beyond the previous take, and the buffers to transfer with it. */
  take(p: RunProgress): { chunk: RunChunk; transfer: ArrayBuffer[] } {
    const t = p.telemetry;
    const times = t.times.slice(this.samples, t.count);
    const values = t.values.slice(this.samples * t.width, t.count * t.width);
    const chunk: RunChunk = { reachedMs: p.tMs, log: p.log.slice(this.records), agentStates: p.agentStates.slice(this.states), times, values };
    this.records = p.log.length;
    this.states = p.agentStates.length;
    this.samples = t.count;
    return { chunk, transfer: [times.buffer, values.buffer] };
  }
}
