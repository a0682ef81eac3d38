// A config author (a control plane publishing a customer's config change): at one moment it puts
// one version of a document with the given content. The validation policy can refuse it.
import { setup } from "xstate";
import type { ConfigAuthorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

/** Builds the XState machine of a config author bound to `io`. */
export function createConfigAuthorMachine(spec: ConfigAuthorAgentSpec, io: AgentIO) {
  return setup({
    types: { events: {} as { type: "wake" } },
    delays: { at: spec.atMs },
    actions: {
      put: () =>
        io.documentCommand({
          op: "put",
          target: spec.store,
          document: spec.document,
          rows: spec.rows,
          sizeBytes: spec.sizeBytes,
          schema: spec.schema,
          reason: `${spec.reason} (${spec.rows} rows, schema ${spec.schema})`,
        }),
    },
  }).createMachine({
    id: spec.id,
    initial: "waiting",
    states: {
      waiting: { after: { at: { target: "done", actions: "put" } } },
      done: {},
    },
  });
}
