// A small pool of worker threads that run fuzz cases with a wall-clock budget each: a case that
// overruns is stopped by terminating its worker (a synchronous run cannot be interrupted any
// other way), and a fresh worker takes its place. Fuzzing harness only; never the simulation.
import { Worker } from "node:worker_threads";

/** What a worker posts while a case runs (`progress`, any number) and when it ends (`done`). */
export type WorkerMessage<P, R> = { id: number; kind: "progress"; progress: P } | { id: number; kind: "done"; result: R };

/** How a case ended: its result, a timeout (with the last progress seen) or the worker dying. */
export type CaseEnd<P, R> =
  | { kind: "done"; result: R; wallMs: number }
  | { kind: "timeout"; progress: P | undefined; wallMs: number }
  | { kind: "crashed"; error: string; progress: P | undefined; wallMs: number };

interface Slot<P> {
  worker: Worker;
  busy: boolean;
  ready: Promise<void>;
  current?: { id: number; progress: P | undefined };
}

/**
 * A pool of `size` workers running `script` (an ES module that answers `{ id, input }` messages
 * with WorkerMessage values). `run` resolves with how the case ended; it never rejects.
 */
export class WorkerPool<I, P, R> {
  private readonly slots: Slot<P>[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;

  constructor(private readonly script: URL, size: number, private readonly resourceLimits: { maxOldGenerationSizeMb: number } = { maxOldGenerationSizeMb: 2048 }) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Runs one case on the next free worker, stopping it after `budgetMs` of wall-clock time. */
  async run(input: I, budgetMs: number): Promise<CaseEnd<P, R>> {
    const slot = await this.acquire();
    await slot.ready;
    const id = this.nextId++;
    slot.current = { id, progress: undefined };
    const started = Date.now();
    try {
      return await new Promise<CaseEnd<P, R>>((resolve) => {
        const finish = (end: CaseEnd<P, R>) => {
          clearTimeout(timer);
          slot.worker.off("message", onMessage);
          slot.worker.off("error", onError);
          slot.worker.off("exit", onExit);
          resolve(end);
        };
        const onMessage = (m: WorkerMessage<P, R>) => {
          if (m.id !== id) return;
          if (m.kind === "progress") slot.current!.progress = m.progress;
          else finish({ kind: "done", result: m.result, wallMs: Date.now() - started });
        };
        const replace = () => {
          void slot.worker.terminate();
          const fresh = this.spawn();
          slot.worker = fresh.worker;
          slot.ready = fresh.ready;
        };
        const onError = (e: Error) => {
          const progress = slot.current?.progress;
          replace();
          finish({ kind: "crashed", error: `${e.name}: ${e.message}`, progress, wallMs: Date.now() - started });
        };
        const onExit = (code: number) => {
          const progress = slot.current?.progress;
          replace();
          finish({ kind: "crashed", error: `worker exited with code ${code}`, progress, wallMs: Date.now() - started });
        };
        const timer = setTimeout(() => {
          const progress = slot.current?.progress;
          replace();
          finish({ kind: "timeout", progress, wallMs: Date.now() - started });
        }, budgetMs);
        slot.worker.on("message", onMessage);
        slot.worker.on("error", onError);
        slot.worker.on("exit", onExit);
        slot.worker.postMessage({ id, input });
      });
    } finally {
      slot.current = undefined;
      this.release(slot);
    }
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot<P> {
    const worker = new Worker(this.script, { resourceLimits: this.resourceLimits, stdout: true, stderr: true });
    // The simulation prints nothing itself; a worker's stray output would garble the report.
    worker.stdout.resume();
    worker.stderr.resume();
    const ready = new Promise<void>((resolve) => {
      const onReady = (m: { kind?: string }) => {
        if (m?.kind !== "ready") return;
        worker.off("message", onReady);
        resolve();
      };
      worker.on("message", onReady);
      // A worker that dies while loading is replaced when its first case fails.
      worker.once("error", () => resolve());
      worker.once("exit", () => resolve());
    });
    return { worker, busy: false, ready };
  }

  private async acquire(): Promise<Slot<P>> {
    for (;;) {
      const free = this.slots.find((s) => !s.busy);
      if (free) {
        free.busy = true;
        return free;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  private release(slot: Slot<P>): void {
    slot.busy = false;
    this.waiting.shift()?.();
  }
}
