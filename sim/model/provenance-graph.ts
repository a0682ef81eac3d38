// Incremental, exact provenance over the component graph. A change marks dirty only what it can
// reach: a component's own events reach its callers' performance and its callees' load; a load
// change reaches everything downstream and, through performance, their callers. Reads derive
// what is dirty on demand, so a read of an unchanged signal costs O(1) and a change costs the
// part of the graph it reaches, never the whole world.
import type { Component } from "./component.js";
import type { StepContext } from "./kinds/kind.js";
import { EMPTY_PROVENANCE, sameProvenance, unionProvenance, type Provenance } from "./provenance.js";

/** Provenance sets of every component, kept exact under changes. Owned by one World. */
export class ProvenanceGraph {
  /** Position of each component in the callers-before-callees order. */
  private readonly position: Int32Array;
  private readonly stack: number[] = [];
  private readonly collected: number[] = [];
  private readonly visited: Uint32Array;
  private epoch = 0;
  private readonly scratch: number[] = [];

  constructor(private readonly components: readonly Component[], order: readonly number[], private readonly ctx: StepContext) {
    this.position = new Int32Array(components.length);
    order.forEach((index, k) => (this.position[index] = k));
    this.visited = new Uint32Array(components.length);
  }

  /** Something that shapes `c` itself changed (a knob, its health, a fault, its config). */
  ownChanged(c: Component): void {
    c.provenance.ownDirty = true;
    this.markPerf(c.index);
    for (const d of c.downstream) this.markLoad(d.index);
  }

  /**
   * An edge fault on `c`'s calls changed: it shapes `c`'s view of its callees (its perf), not
   * what it forwards to them (their load), unless its load reacts to failures (feedback).
   */
  edgeChanged(c: Component): void {
    this.markPerf(c.index);
  }

  /** The load offered to `c` from outside the graph changed (a workload event). */
  loadSourceChanged(c: Component): void {
    this.markLoad(c.index);
  }

  /**
   * Latches the provenance of `c`'s callees while its load reacts to their failures, and drops
   * it when it no longer does. Call once per step after the world derived its signals.
   */
  updateFeedback(c: Component, reacting: boolean): void {
    const p = c.provenance;
    let next: Provenance = EMPTY_PROVENANCE;
    if (reacting) {
      const sets: Provenance[] = [];
      for (const d of c.downstream) sets.push(this.perf(this.components[d.index]));
      next = unionProvenance(sets, c.edgeFaultEvents.size > 0 ? [...c.edgeFaultEvents.values()] : undefined);
    }
    if (sameProvenance(next, p.feedback)) return;
    p.feedback = next;
    for (const d of c.downstream) this.markLoad(d.index);
  }

  /** Events that set the load offered to `c`. */
  load(c: Component): Provenance {
    if (!c.provenance.loadDirty) return c.provenance.load;
    // Dirty callers are all that is needed (a clean component has clean callers); derive them
    // callers first.
    const dirty = this.collect(c.index, true);
    for (const i of dirty) this.deriveLoad(this.components[i]);
    return c.provenance.load;
  }

  /** Events that shaped `c`'s latency, errors, availability and health. */
  perf(c: Component): Provenance {
    if (!c.provenance.perfDirty) return c.provenance.perf;
    const dirty = this.collect(c.index, false);
    for (let k = dirty.length - 1; k >= 0; k--) this.derivePerf(this.components[dirty[k]]);
    return c.provenance.perf;
  }

  /** Events that shape `c` itself. */
  own(c: Component): Provenance {
    const p = c.provenance;
    if (!p.ownDirty) return p.own;
    const out = this.scratch;
    out.length = 0;
    for (const k in c.knobWriters) out.push(c.knobWriters[k]);
    if (c.healthSeq >= 0) out.push(c.healthSeq);
    for (const seq of c.faultEvents.values()) out.push(seq);
    c.kind.provenance?.(c, this.ctx, out);
    const next = unionProvenance([], out);
    p.own = sameProvenance(next, p.own) ? p.own : next;
    p.ownDirty = false;
    return p.own;
  }

  private deriveLoad(c: Component): void {
    const sets: Provenance[] = [];
    const seqs: number[] = [];
    for (const seq of c.workloadEvents.values()) seqs.push(seq);
    for (const u of c.upstream) {
      const caller = this.components[u];
      // What a caller forwards depends on the load it got, on itself (replicas, weights,
      // faults, health) and, while it retries, on what made its callees fail.
      sets.push(caller.provenance.load, this.own(caller), caller.provenance.feedback);
    }
    const next = unionProvenance(sets, seqs);
    c.provenance.load = sameProvenance(next, c.provenance.load) ? c.provenance.load : next;
    c.provenance.loadDirty = false;
  }

  private derivePerf(c: Component): void {
    const sets: Provenance[] = [this.load(c), this.own(c)];
    for (const d of c.downstream) sets.push(this.components[d.index].provenance.perf);
    const next = unionProvenance(sets, c.edgeFaultEvents.size > 0 ? [...c.edgeFaultEvents.values()] : undefined);
    c.provenance.perf = sameProvenance(next, c.provenance.perf) ? c.provenance.perf : next;
    c.provenance.perfDirty = false;
  }

  /**
   * The dirty components `start` depends on (itself included), in callers-before-callees order:
   * through dirty callers for load, through dirty callees for perf.
   */
  private collect(start: number, load: boolean): number[] {
    const out = this.collected;
    out.length = 0;
    const stamp = ++this.epoch;
    const stack = this.stack;
    stack.length = 0;
    stack.push(start);
    this.visited[start] = stamp;
    while (stack.length > 0) {
      const i = stack.pop()!;
      out.push(i);
      const c = this.components[i];
      if (load) {
        for (const u of c.upstream) {
          if (this.visited[u] !== stamp && this.components[u].provenance.loadDirty) {
            this.visited[u] = stamp;
            stack.push(u);
          }
        }
      } else {
        for (const d of c.downstream) {
          if (this.visited[d.index] !== stamp && this.components[d.index].provenance.perfDirty) {
            this.visited[d.index] = stamp;
            stack.push(d.index);
          }
        }
      }
    }
    const position = this.position;
    return out.sort((a, b) => position[a] - position[b]).slice();
  }

  /** Marks `start`'s load dirty and everything downstream of it (and their perf). */
  private markLoad(start: number): void {
    const stack = this.stack;
    stack.length = 0;
    stack.push(start);
    while (stack.length > 0) {
      const c = this.components[stack.pop()!];
      if (c.provenance.loadDirty) continue;
      c.provenance.loadDirty = true;
      this.markPerf(c.index);
      for (const d of c.downstream) stack.push(d.index);
    }
  }

  /** Marks `start`'s perf dirty and every caller upstream of it. */
  private markPerf(start: number): void {
    const c0 = this.components[start];
    if (c0.provenance.perfDirty) return;
    const stack: number[] = [start];
    while (stack.length > 0) {
      const c = this.components[stack.pop()!];
      if (c.provenance.perfDirty) continue;
      c.provenance.perfDirty = true;
      for (const u of c.upstream) stack.push(u);
    }
  }
}
