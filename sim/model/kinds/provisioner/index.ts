// The provisioner component kind: its file format (spec.ts) and its behaviour in the world
// (model.ts), registered as one entry in ../registry.ts.
import { provisionerModel } from "./model.js";
import { provisionerKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const provisioner = { spec: provisionerKind, model: provisionerModel } as const;
