// The story of a run as sim/ holds it (a scenario, its run and its verdict): what the CLI, the
// worker and the sweep call, so every surface builds the summary the same way. Pure.
import type { ComponentSpec } from "../scenario/types.js";
import type { EventRecord } from "../log/record.js";
import type { Finding } from "../detect/finding.js";
import type { ExpectationResult } from "../assert/expectation.js";
import { dependencyEdges } from "../detect/cascade.js";
import type { IncidentSummary } from "./types.js";
import type { StoryComponent, StoryTelemetry } from "./system-health.js";
import { summarizeRun } from "./summarize.js";

/** Each component and the ids it sends load to (the cascade detector's dependency edges). Pure. */
export function storyComponents(components: readonly ComponentSpec[]): StoryComponent[] {
  const edges = dependencyEdges(components);
  return components.map((c) => ({ id: c.id, calls: edges.get(c.id) ?? [] }));
}

/** The incident summary of a finished run of `variant` (a ScenarioVariant) and its verdict. Pure. */
export function storyOfRun(
  variant: { scenario: { name: string; description?: string; components: readonly ComponentSpec[] }; fileDescription?: string },
  run: { log: readonly EventRecord[]; telemetry?: StoryTelemetry | null },
  verdict: { findings: readonly Finding[]; expectations: readonly ExpectationResult[]; incomplete?: string },
): IncidentSummary {
  const { scenario, fileDescription } = variant;
  return summarizeRun({
    scenario: { name: scenario.name, description: scenario.description, ...(fileDescription !== undefined ? { fileDescription } : {}) },
    log: run.log,
    findings: verdict.findings,
    telemetry: run.telemetry,
    expectations: verdict.expectations,
    incomplete: verdict.incomplete,
    components: storyComponents(scenario.components),
  });
}
