// The config generator (the Bot Management feature-file job of the Cloudflare outage): every
// evaluation period it queries one random shard and stores the result as a new version of the
// config document. A migrated shard's query returns duplicate rows, so its file is oversized.
// With `stopAtMs` it stops for good at its first wake at or after that time (an operator
// stopping the job), which shows as its state `stopped`.
import { setup } from "xstate";
import { MIGRATED_KNOB, shardMigrated } from "../model/kinds/shards/knobs.js";
import type { ConfigGeneratorAgentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";

/** Builds the XState machine of a config generator bound to `io`. */
export function createConfigGeneratorMachine(spec: ConfigGeneratorAgentSpec, io: AgentIO) {
  return setup({
    types: { events: {} as { type: "wake" } },
    actions: {
      generate: () => {
        const shards = io.component(spec.shards);
        const count = shards.kind === "shards" ? shards.count : 0;
        const shard = Math.floor(io.random() * count);
        const migrated = io.knob(spec.shards, MIGRATED_KNOB);
        const bad = shardMigrated(migrated, shard);
        const rows = bad ? spec.rowsBad : spec.rowsGood;
        const observed = `read shard ${shard} of ${spec.shards} (${migrated} of ${count} migrated)`;
        io.documentCommand({
          op: "put",
          target: spec.store,
          document: spec.document,
          rows,
          sizeBytes: rows * spec.bytesPerRow,
          schema: spec.schema,
          reason: bad ? `${observed}: it is migrated, its query returns duplicate rows, so the file has ${rows} rows` : `${observed}: not migrated, the file has ${rows} rows`,
        });
      },
    },
    guards: {
      stopped: () => spec.stopAtMs !== undefined && io.now() >= spec.stopAtMs,
    },
  }).createMachine({
    id: spec.id,
    initial: "generating",
    states: {
      generating: { on: { wake: [{ guard: "stopped", target: "stopped" }, { actions: "generate" }] } },
      stopped: {},
    },
  });
}
