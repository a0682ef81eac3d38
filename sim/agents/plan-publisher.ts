// The plan publisher (the DNS Planner of the DynamoDB outage): every evaluation period it writes
// a new generation of a plan document (a set of endpoints) to a document store.
import { setup } from "xstate";
import type { PlanPublisherAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

/** Builds the XState machine of a plan publisher bound to `io`. */
export function createPlanPublisherMachine(spec: PlanPublisherAgentSpec, io: AgentIO) {
  return setup({
    types: { events: {} as { type: "wake" } },
    actions: {
      publish: () => {
        const latest = io.document(spec.store, spec.document);
        const generation = (latest?.version ?? 0) + 1;
        io.documentCommand({
          op: "put",
          target: spec.store,
          document: spec.document,
          rows: spec.rows,
          sizeBytes: spec.rows * 400,
          schema: "plan/v1",
          reason: `new ${spec.document} generation ${generation} with ${spec.rows} endpoints`,
        });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "publishing",
    states: {
      publishing: { on: { wake: { actions: "publish" } } },
    },
  });
}
