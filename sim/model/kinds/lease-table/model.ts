// Behaviour of `leaseTable` components (EC2's DropletWorkflow Manager): the load is the table's
// own renewals and re-leases, served by a worker pool (sim/model/lease-table.ts); every processed
// job calls the dependencies, and a failed or timed-out job is queued again.
import type { LeaseTableSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { forwardServed } from "../../component.js";
import { LeaseTable, QUEUE_LIMIT_KNOB, checkLeaseTableKnob } from "./table.js";
import { aggregateOwn, edgeErrorRate, edgeImpairmentOf } from "../aggregate.js";
import type { ComponentKind } from "../kind.js";

interface LeaseTableState {
  table: LeaseTable;
  /** True when last step's jobs failed or were wasted: the jobs queued again react to the dependencies. */
  requeueing: boolean;
}

const specOf = (c: Component) => c.spec as LeaseTableSpec;
const stateOf = (c: Component) => c.state as LeaseTableState;

/** Lease tables (docs/model.md#leasetable). */
export const leaseTableModel: ComponentKind = {
  kinds: ["leaseTable"],
  docsAnchor: "leasetable",
  faultEffects: ["errors", "latency"],

  initialKnobs(raw) {
    return { [QUEUE_LIMIT_KNOB]: (raw as LeaseTableSpec).queueLimit };
  },

  create(raw, ctx) {
    const state: LeaseTableState = { table: new LeaseTable(raw as LeaseTableSpec, ctx.stepMs), requeueing: false };
    return state;
  },

  link(c, ctx) {
    ctx.connectDependencies(c, specOf(c).dependsOn);
  },

  checkKnob(c, knob, value) {
    return checkLeaseTableKnob(c.spec.id, knob, value);
  },

  /**
   * Its jobs succeed with the dependencies' success rate of the last step (callers are served
   * first, like clients). Signals: loadRps = jobs processed per second, errorRate = share of them
   * that renewed nothing, latency = queue wait + work, utilization = jobs offered / worker
   * capacity, available = share of leases held.
   */
  serve(c, ctx, tMs) {
    const spec = specOf(c);
    const state = stateOf(c);
    const cs = ctx.components;
    let success = 1;
    for (let k = 0; k < c.downstream.length; k++) {
      const d = c.downstream[k];
      const t = cs[d.index].signals;
      // A cached dependency's `available` is the authoritative answer (a DNS record's); its
      // callers use the cached one, which its error rate already reflects. Other dependencies
      // without capacity fail jobs.
      const reachable = t.available > 0 || cs[d.index].kind.cachedByCallers === true;
      success *= reachable ? Math.pow(1 - edgeErrorRate(edgeImpairmentOf(c, k), t), d.callsPerRequest) : 0;
    }
    const r = state.table.step(tMs, success, c.knobs[QUEUE_LIMIT_KNOB]);
    const seconds = ctx.stepMs / 1000;
    c.offeredRps = r.processedJobs / seconds;
    c.servedRps = c.offeredRps;
    c.ownErrorRate = r.processedJobs > 0 ? (r.failedJobs + r.wastedJobs) / r.processedJobs : 0;
    c.ownLatencyMs[0] = c.ownLatencyMs[1] = c.ownLatencyMs[2] = r.queueWaitMs + spec.workPerLeaseMs;
    c.signals.utilization = r.offeredJobs / ((spec.workers * ctx.stepMs) / spec.workPerLeaseMs);
    c.signals.available = r.heldLeases / spec.leases;
    c.signals.costPerHour = 0;
    c.signals.replicas = 0;
    state.requeueing = r.failedJobs + r.wastedJobs > 0;
    forwardServed(c, ctx.load);
  },

  aggregate(c) {
    // Dependency failures are already counted in the jobs that failed.
    aggregateOwn(c);
  },

  reactsToCallees(c) {
    return stateOf(c).requeueing;
  },
};
