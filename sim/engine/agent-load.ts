// Load that agents send (the statechart `sendLoad` action): each send offers a fixed rate to one
// component for a while, added to the offered load of every world step in (sent, sent + for],
// exactly like a workload, so latency, errors, pools, retries and detectors see it. The engine
// logs `load.sent` and `load.ended`; this module keeps what is in flight. Deterministic.

/** One send in flight. */
interface Send {
  agent: string;
  /** Index of the target component (scenario order). */
  target: number;
  rps: number;
  /** Last world step (inclusive) that carries it. */
  untilMs: number;
  /** Seq of its `load.sent` record. */
  seq: number;
}

/** The sends in flight, in the order they were made. Mutable; the engine owns the only instance. */
export class AgentLoads {
  private readonly sends: Send[] = [];

  /** True when no send is in flight (the common case: a step then adds nothing). */
  get idle(): boolean {
    return this.sends.length === 0;
  }

  /** Adds a send made at `tMs` for `forMs`: steps after `tMs` up to and including `tMs + forMs` carry it. */
  start(agent: string, target: number, rps: number, tMs: number, forMs: number, seq: number): void {
    this.sends.push({ agent, target, rps, untilMs: tMs + forMs, seq });
  }

  /** Adds the rate of every send in flight at `tMs` to `offered` (by component index). Sends made at `tMs` start at the next step. */
  addTo(offered: Float64Array, tMs: number): void {
    for (const s of this.sends) if (tMs <= s.untilMs) offered[s.target] += s.rps;
  }

  /**
   * Removes the send logged as `seq` (its time is up) and returns it, with whether another send of
   * the same agent to the same target is still in flight (its `load.sent` then stays the load's cause).
   */
  end(seq: number): { send: Send; othersInFlight: boolean } | undefined {
    const i = this.sends.findIndex((s) => s.seq === seq);
    if (i < 0) return undefined;
    const [send] = this.sends.splice(i, 1);
    return { send, othersInFlight: this.sends.some((s) => s.agent === send.agent && s.target === send.target) };
  }
}
