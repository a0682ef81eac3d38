// The lease-table component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { leaseTableModel } from "./model.js";
import { leaseTableKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const leaseTable = { spec: leaseTableKind, model: leaseTableModel } as const;
