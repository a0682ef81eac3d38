// A server's request backlog under sustained overload: arrivals beyond capacity wait in a FIFO
// queue instead of being shed at once, so latency climbs with the backlog and stays high until
// it drains. Requests that would wait longer than `maxQueueMs` are dropped (errors). Pure.

/** Outcome of one step of the backlog. */
export interface BacklogStep {
  /** Requests still waiting after the step. */
  backlog: number;
  /** Requests dropped because they would wait longer than maxQueueMs. */
  dropped: number;
  /** Extra wait every request sees behind the backlog, in ms. */
  delayMs: number;
}

/** Advances the backlog by `dtMs` with `arrivalsRps` arriving and `capacityRps` served. Pure. */
export function stepBacklog(backlog: number, arrivalsRps: number, capacityRps: number, dtMs: number, maxQueueMs: number): BacklogStep {
  if (capacityRps <= 0) return { backlog: 0, dropped: backlog + (arrivalsRps * dtMs) / 1000, delayMs: maxQueueMs };
  const arrivals = (arrivalsRps * dtMs) / 1000;
  const served = (capacityRps * dtMs) / 1000;
  let next = Math.max(0, backlog + arrivals - served);
  const limit = (capacityRps * maxQueueMs) / 1000;
  const dropped = Math.max(0, next - limit);
  next -= dropped;
  return { backlog: next, dropped, delayMs: (next / capacityRps) * 1000 };
}
