// The enactor (a DNS Enactor of the DynamoDB outage): checks ONCE that the newest plan is newer
// than the one the record points at, applies it after its apply latency, then cleans up plan
// versions more than `keepGenerations` older than the one it applied. Each step is correct
// alone; a slow enactor applying a stale plan while another cleans up empties the record.
// If the plan the record points at is gone, the enactor cannot compute its change and stops
// (blocked) until a human repairs the record, as in the published report.
// The apply happens in a later step than the check, so the enactor keeps what the check read
// (the plan's put, the record's last write) and cites it as the apply's causes, and logs the
// record version it read (`readVersion`) whether or not it is fenced.
import { assign, setup } from "xstate";
import type { EnactorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

interface EnactorContext {
  /** The plan version being applied. */
  plan: number;
  /** The record's knob version when the plan was checked (the fencing token). */
  recordVersion: number;
  applyMs: number;
  /** What the check read (log seqs): the causes of the apply, which runs in a later step. */
  checked: number[];
}

/** Builds the XState machine of an enactor bound to `io`. */
export function createEnactorMachine(spec: EnactorAgentSpec, io: AgentIO) {
  const applied = () => io.knob(spec.record, "plan");
  const appliedPlanMissing = () => applied() > 0 && io.document(spec.store, spec.document, applied()) === null;
  const newerPlan = () => {
    const latest = io.document(spec.store, spec.document);
    return latest !== null && latest.version > applied() ? latest.version : null;
  };
  return setup({
    types: { context: {} as EnactorContext, events: {} as { type: "wake" } },
    delays: {
      applyLatency: ({ context }) => context.applyMs,
      cleanupDelay: spec.cleanupDelayMs,
    },
    guards: {
      appliedPlanMissing,
      newerPlanAvailable: () => newerPlan() !== null,
    },
    actions: {
      choosePlan: assign(() => ({
        plan: newerPlan() ?? 0,
        recordVersion: io.knobVersion(spec.record, "plan"),
        // Apply latency varies per attempt (retries against endpoints), from the agent's own stream.
        applyMs: Math.round(spec.applyLatencyMs * (1 + spec.applyJitter * (2 * io.random() - 1))),
        // Last: everything the guards and the lines above read.
        checked: io.causesSoFar(),
      })),
      apply: ({ context }) => {
        io.command({
          target: spec.record,
          knob: "plan",
          value: context.plan,
          reason: `apply ${spec.document} generation ${context.plan} (checked newer than the applied one ${context.applyMs} ms ago)`,
          expectedVersion: spec.fencing ? context.recordVersion : undefined,
          readVersion: context.recordVersion,
          basis: context.checked,
        });
      },
      cleanUp: ({ context }) => {
        const referenced = applied();
        for (const version of io.documentVersions(spec.store, spec.document)) {
          if (version >= context.plan - spec.keepGenerations) break;
          if (spec.protectReferenced && version === referenced) continue;
          io.documentCommand({ op: "delete", target: spec.store, document: spec.document, version, reason: `clean up generation ${version}: older than ${context.plan} - ${spec.keepGenerations}` });
        }
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "idle",
    context: { plan: 0, recordVersion: 0, applyMs: spec.applyLatencyMs, checked: [] },
    states: {
      idle: {
        on: {
          wake: [
            { guard: "appliedPlanMissing", target: "blocked" },
            { guard: "newerPlanAvailable", target: "applying", actions: "choosePlan" },
          ],
        },
      },
      applying: { after: { applyLatency: { target: "cleaning", actions: "apply" } } },
      cleaning: { after: { cleanupDelay: { target: "idle", actions: "cleanUp" } } },
      blocked: {},
    },
  });
}
