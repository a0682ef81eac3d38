// A simulation worker whose newest request wins: the app, the compare view and the what-if view
// each own one, so their runs never block the UI or each other, and a reply to a request that
// was superseded (or cancelled) is dropped instead of overwriting a newer answer.
import type { RunRequest, WorkerReply } from "./payload.js";

export class SimClient {
  private worker?: Worker;
  private latest = 0;

  constructor(
    private readonly onReply: (reply: WorkerReply) => void,
    private readonly onFailure?: (message: string) => void,
  ) {}

  /** Runs `request` in the worker (started on first use), superseding any request still running. */
  run(request: Omit<RunRequest, "type" | "requestId">): void {
    const requestId = ++this.latest;
    this.ensureWorker().postMessage({ type: "run", requestId, ...request } satisfies RunRequest);
  }

  /** Forgets the request still running, if any: its reply will be dropped. */
  cancel(): void {
    this.latest++;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL("../worker/sim.worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      if (event.data.requestId === this.latest) this.onReply(event.data);
    };
    worker.onerror = (e) => this.onFailure?.(e.message);
    this.worker = worker;
    return worker;
  }
}
