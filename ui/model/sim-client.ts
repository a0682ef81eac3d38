// A simulation worker whose newest request wins: the app, the compare view and the what-if view
// each own one, so their runs never block the UI or each other, and a reply to a request that
// was superseded (or cancelled) is dropped instead of overwriting a newer answer. The worker
// streams a run in chunks (ui/model/payload.ts); this client assembles them into RunPayloads.
import type { Problem } from "../../sim/scenario/problems.js";
import { RunAssembler } from "./run-assembler.js";
import type { RunPayload, RunRequest, WorkerReply } from "./payload.js";

/** What a SimClient reports at the end of a request: the complete run, or why there is none. */
export type SimReply = { type: "result"; requestId: number; run: RunPayload } | { type: "error"; requestId: number; message: string; problems?: Problem[] };

export class SimClient {
  private worker?: Worker;
  private latest = 0;
  private assembler?: RunAssembler;
  /** True from posting a request until its result or error: the worker is simulating. */
  private busy = false;

  /**
   * `onReply` gets each request's end; `onProgress`, if given, each partial run while it streams
   * (same runId as its final result, which is the request id).
   */
  constructor(
    private readonly onReply: (reply: SimReply) => void,
    private readonly onFailure?: (message: string) => void,
    private readonly onProgress?: (run: RunPayload) => void,
  ) {}

  /** Runs `request` in the worker (started on first use), superseding any request still running. Returns its id (the run's runId). */
  run(request: Omit<RunRequest, "type" | "requestId">): number {
    const requestId = ++this.latest;
    this.assembler = undefined;
    this.stopIfBusy();
    this.busy = true;
    this.ensureWorker().postMessage({ type: "run", requestId, ...request } satisfies RunRequest);
    return requestId;
  }

  /** Forgets the request still running, if any: its reply will be dropped. */
  cancel(): void {
    this.latest++;
    this.assembler = undefined;
    this.stopIfBusy();
  }

  /**
   * A worker runs one simulation at a time, synchronously: a superseded run would hold the next
   * one back until it ended (seconds, for a long run). Its worker is stopped instead; a fresh
   * one starts on the next request.
   */
  private stopIfBusy(): void {
    if (!this.busy || !this.worker) return;
    this.worker.terminate();
    this.worker = undefined;
    this.busy = false;
  }

  private receive(reply: WorkerReply): void {
    if (reply.requestId !== this.latest) return;
    switch (reply.type) {
      case "started":
        this.assembler = new RunAssembler(reply.requestId, reply.head);
        return;
      case "progress": {
        const run = this.assembler!.append(reply.chunk);
        this.onProgress?.(run);
        return;
      }
      case "result": {
        this.busy = false;
        const run = this.assembler!.finish(reply.chunk, reply);
        this.assembler = undefined;
        this.onReply({ type: "result", requestId: reply.requestId, run });
        return;
      }
      case "error":
        this.busy = false;
        this.assembler = undefined;
        this.onReply(reply);
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("../worker/sim.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => this.receive(event.data);
    worker.onerror = (e) => this.onFailure?.(e.message);
    this.worker = worker;
    return worker;
  }
}
