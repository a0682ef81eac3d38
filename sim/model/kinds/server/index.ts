// The server component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { serverModel } from "./model.js";
import { serverKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const server = { spec: serverKind, model: serverModel } as const;
