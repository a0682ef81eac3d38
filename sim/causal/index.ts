// The causal-graph stage in one import: build the graph of a run, query it, lay it out.
export { buildCausalGraph, CausalGraph } from "./graph.js";
export type { BlastRadius, CausalGraphOptions, Reached, RootCause, RootCauseMode, RootCauseOptions, Traversal, TraversalOptions } from "./graph.js";
export { influenceGraph, findCycles } from "./influence.js";
export type { InfluenceEdge, InfluenceGraph, InfluenceOptions } from "./influence.js";
export { neighbourhoodLayout, spaceTimeLayout } from "./layout.js";
export { criticalPath, findingPath } from "./critical-path.js";
export type { CriticalPathOptions, FindingPath, PathStep } from "./critical-path.js";
export type { CauseEdge, Lane, LaneKind, NeighbourhoodLayout, NeighbourhoodNode, NeighbourhoodOptions, SpaceTimeLayout, SpaceTimeNode, SpaceTimeOptions } from "./layout.js";
export { classCode, recordClass, RECORD_CLASSES } from "./classify.js";
export { ACTION_KINDS, classifyActions, KIND_RANKS, RANK_NAMES, REVERSAL_WINDOW_MS } from "../detect/action-rank.js";
export type { ActionKind } from "../detect/action-rank.js";
export type { RecordClass } from "./classify.js";
