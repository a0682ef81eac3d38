// The clients component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { clientsModel } from "./model.js";
import { clientsKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const clients = { spec: clientsKind, model: clientsModel } as const;
