// The load-balancer component kind: its file format (spec.ts) and its behaviour in the world (model.ts),
// registered as one entry in ../registry.ts.
import { loadBalancerModel } from "./model.js";
import { loadBalancerKind } from "./spec.js";

/** The kind's spec module and model, as the registry lists them. */
export const loadBalancer = { spec: loadBalancerKind, model: loadBalancerModel } as const;
