// The host component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { hostModel } from "./model.js";
import { hostKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const host = { spec: hostKind, model: hostModel } as const;
