// Hand-built logs for causal-graph tests: consecutive seqs, dummy hashes, the engine's event
// types, and seq 0 = run.started as in every real run.
import type { EventRecord, JsonValue } from "../../sim/log/record.js";

/** Appends records with consecutive seqs; `add` returns the new record's seq. */
export class HandLog {
  readonly records: EventRecord[] = [];

  constructor(withRunStarted = true) {
    if (withRunStarted) this.add(0, "run.started", "engine", {}, []);
  }

  add(t: number, type: string, actor: string, data: { [key: string]: JsonValue }, causes: number[], target?: string): number {
    const seq = this.records.length;
    this.records.push({ seq, t, type, actor, ...(target !== undefined ? { target } : {}), data, causes, prev: `h${seq - 1}`, hash: `h${seq}` });
    return seq;
  }

  fault(t: number, id: string, target: string): number {
    return this.add(t, "fault.started", id, { effect: "errors", rate: 1 }, [], target);
  }

  health(t: number, component: string, healthy: boolean, causes: number[]): number {
    return this.add(t, "health.changed", component, { healthy, errorRate: healthy ? 0 : 1, latencyMsP95: 10 }, causes, component);
  }

  scale(t: number, agent: string, target: string, from: number, to: number, causes: number[]): number {
    return this.add(t, "replicas.scaled", agent, { knob: "replicas", from, to, reason: `${agent} wants ${to}` }, causes, target);
  }

  workload(t: number, id: string, target: string, from: number, to: number): number {
    return this.add(t, "workload.changed", id, { from, to, pattern: "step" }, [], target);
  }
}

/**
 * A cascade written out: fault on db (#1); db, then web, then lb go unhealthy, each citing only
 * its dependency's health change (#2..#4); an agent scales web in reaction to web's failure (#5);
 * lb recovers citing the scale-out (#6).
 */
export function cascadeLog(): { log: EventRecord[]; fault: number; dbDown: number; webDown: number; lbDown: number; scale: number; lbUp: number } {
  const h = new HandLog();
  const fault = h.fault(600_000, "db-down", "db");
  const dbDown = h.health(610_000, "db", false, [fault]);
  const webDown = h.health(615_000, "web", false, [dbDown]);
  const lbDown = h.health(620_000, "lb", false, [webDown]);
  const scale = h.scale(630_000, "perf", "web", 4, 6, [0, webDown]);
  const lbUp = h.health(640_000, "lb", true, [lbDown, scale]);
  return { log: h.records, fault, dbDown, webDown, lbDown, scale, lbUp };
}
