// The distributor (the config push of the Cloudflare outage): when the config document has a
// version it has not handled, it waits the propagation delay and sets every consumer's `version`
// knob to it. With keepLastGood it skips versions breaking its rules, so consumers keep the last
// good one; without, it copies whatever was generated.
import { assign, setup } from "xstate";
import { VERSION_KNOB } from "../model/kinds/config-consumer/fleet.js";
import { ruleViolation } from "../model/kinds/document-store/documents.js";
import type { DistributorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";
import { show } from "./io.js";

interface DistributorContext {
  /** The newest version handled (deployed or skipped). */
  handled: number;
}

/** Builds the XState machine of a distributor bound to `io`. */
export function createDistributorMachine(spec: DistributorAgentSpec, io: AgentIO) {
  const key = `${spec.store}.${spec.document}`;
  return setup({
    types: { context: {} as DistributorContext, events: {} as { type: "wake" } },
    delays: { propagation: spec.propagationMs },
    guards: {
      newVersion: ({ context }) => (io.document(spec.store, spec.document)?.version ?? 0) > context.handled,
    },
    actions: {
      take: assign(() => ({ handled: io.document(spec.store, spec.document)?.version ?? 0 })),
      deploy: ({ context }) => {
        const doc = io.document(spec.store, spec.document, context.handled);
        // A version deleted while it propagated is not deployed: there is nothing to copy.
        if (!doc) return;
        if (spec.keepLastGood && ruleViolation(doc, spec.rules) !== null) return;
        for (const target of spec.targets) {
          io.command({
            target,
            knob: VERSION_KNOB,
            value: doc.version,
            reason: `deploy ${key} version ${doc.version} (${doc.rows} rows, ${doc.sizeBytes} bytes, schema ${doc.schema}), the newest when seen, after ${show(spec.propagationMs / 1000)} s propagation`,
          });
        }
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "idle",
    context: { handled: 0 },
    states: {
      idle: { on: { wake: { guard: "newVersion", target: "propagating", actions: "take" } } },
      propagating: { after: { propagation: { target: "idle", actions: "deploy" } } },
    },
  });
}
