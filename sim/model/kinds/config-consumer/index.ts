// The config-consumer component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { configConsumerModel } from "./model.js";
import { configConsumerKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const configConsumer = { spec: configConsumerKind, model: configConsumerModel } as const;
