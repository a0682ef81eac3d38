// The document-store component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { documentStoreModel } from "./model.js";
import { documentStoreKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const documentStore = { spec: documentStoreKind, model: documentStoreModel } as const;
