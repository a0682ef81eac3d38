// The migrator (the gradual ClickHouse permissions rollout of the Cloudflare outage): from
// `startAt`, on every wake it migrates one more shard (shards.migrated += 1) until all are done.
import { setup } from "xstate";
import { MIGRATED_KNOB } from "../model/kinds/shards/knobs.js";
import type { MigratorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

/** Builds the XState machine of a migrator bound to `io`. */
export function createMigratorMachine(spec: MigratorAgentSpec, io: AgentIO) {
  const count = () => {
    const shards = io.component(spec.target);
    return shards.kind === "shards" ? shards.count : 0;
  };
  return setup({
    types: { events: {} as { type: "wake" } },
    guards: {
      allMigrated: () => io.knob(spec.target, MIGRATED_KNOB) >= count(),
      started: () => io.now() >= spec.startAtMs,
    },
    actions: {
      migrate: () => {
        const migrated = io.knob(spec.target, MIGRATED_KNOB);
        io.command({
          target: spec.target,
          knob: MIGRATED_KNOB,
          value: migrated + 1,
          reason: `migrate shard ${migrated} of ${spec.target}: ${migrated} of ${count()} shards migrated so far`,
        });
      },
    },
  }).createMachine({
    id: spec.id,
    initial: "waiting",
    states: {
      waiting: {
        on: {
          wake: [
            { guard: "allMigrated", target: "done" },
            { guard: "started", target: "migrating", actions: "migrate" },
          ],
        },
      },
      migrating: {
        on: {
          wake: [{ guard: "allMigrated", target: "done" }, { actions: "migrate" }],
        },
      },
      done: {},
    },
  });
}
