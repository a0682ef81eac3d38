// The shards component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { shardsModel } from "./model.js";
import { shardsKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const shards = { spec: shardsKind, model: shardsModel } as const;
