// The cleanup operator (Azure Front Door, 9 Oct): a manual or cleanup path that, at one moment,
// writes a config version straight to 100% of a consumer, bypassing the rollout stages. Only a
// stagedRollout policy in the command pipeline can stop it.
import { setup } from "xstate";
import { ROLLOUT_KNOB, VERSION_KNOB } from "../model/kinds/config-consumer/fleet.js";
import type { CleanupOperatorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

/** Builds the XState machine of a cleanup operator bound to `io`. */
export function createCleanupOperatorMachine(spec: CleanupOperatorAgentSpec, io: AgentIO) {
  return setup({
    types: { events: {} as { type: "wake" } },
    delays: { at: spec.atMs },
    actions: {
      write: () => {
        const why = `cleanup: ${spec.target} version ${spec.version} straight to 100%, bypassing the rollout stages`;
        io.command({ target: spec.target, knob: VERSION_KNOB, value: spec.version, reason: why });
        io.command({ target: spec.target, knob: ROLLOUT_KNOB, value: 100, reason: why });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "waiting",
    states: {
      waiting: { after: { at: { target: "done", actions: "write" } } },
      done: {},
    },
  });
}
