// The clock XState actors run on: setTimeout and clearTimeout become entries in the simulation's
// event queue, so `after` delays elapse in simulated time and fire in (time, priority, seq)
// order. XState's SimulatedClock is not used: it fires every due timer with `now` at the end time.

/** What the clock needs from the engine: schedule a callback after a delay, and cancel it. */
export interface TimerHost {
  scheduleTimer(owner: number, callback: () => void, delayMs: number): number;
  cancelTimer(timerId: number): void;
}

/** The shape of XState v5's clock option (`createActor(machine, { clock })`). */
export interface ActorClock {
  setTimeout(fn: (...args: unknown[]) => void, timeout: number): unknown;
  clearTimeout(id: unknown): void;
}

/** An XState clock bound to one agent (the owner), backed by the engine's queue. */
export class SimulationClock implements ActorClock {
  constructor(private readonly host: TimerHost, private readonly owner: number) {}

  setTimeout(fn: (...args: unknown[]) => void, timeout: number): number {
    return this.host.scheduleTimer(this.owner, fn, timeout);
  }

  clearTimeout(id: unknown): void {
    if (typeof id === "number") this.host.cancelTimer(id);
  }
}
