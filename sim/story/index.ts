// The story of a run in one import: the verdict in words, the system's health and the incident
// summary every surface opens with (types.ts is the contract). Pure and isomorphic.
export type * from "./types.js";
export { expectationVerdict, describesFailure, describesPrevention, type ExpectationVerdictInput, type StoryExpectation } from "./verdict-words.js";
export { systemHealth, entryComponents, formatPercent, AVAILABILITY_WINDOW_MS, DEGRADED_AVAILABILITY, OUTAGE_AVAILABILITY, type StoryComponent, type StoryTelemetry, type SystemHealthInput } from "./system-health.js";
export { splitDescription, firstLines } from "./description.js";
export { summarizeRun, type SummarizeInput } from "./summarize.js";
export { storyComponents, storyOfRun } from "./of-run.js";
