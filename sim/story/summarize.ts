// The incident summary of one run (IncidentSummary): the verdict in words, the system's health,
// the phases, the root cause in one sentence and the headline, all derived from the log, the
// findings, the telemetry and the expectation results — never written per scenario. Pure.
import { buildCausalGraph, type CausalGraph } from "../causal/graph.js";
import { formatTime } from "../core/units.js";
import type { Finding } from "../detect/finding.js";
import { describeAction } from "../detect/explain.js";
import type { EventRecord } from "../log/record.js";
import type { IncidentSummary } from "./types.js";
import { splitDescription } from "./description.js";
import { incidentPhases, triggerWords, type Phases } from "./phases.js";
import { formatPercent, formatSpanShort, healthFromTimeline, healthTimeline, type StoryComponent, type StoryTelemetry } from "./system-health.js";
import { expectationVerdict, type StoryExpectation } from "./verdict-words.js";

export interface SummarizeInput {
  /** `fileDescription`: the file's description when the variant replaced it with its own (ScenarioVariant.fileDescription). */
  scenario: { name: string; description?: string; fileDescription?: string };
  log: readonly EventRecord[];
  findings: readonly Finding[];
  telemetry?: StoryTelemetry | null;
  expectations: readonly StoryExpectation[];
  /** Why the run stopped early, if it did (sim/assert/verdict.ts incompleteFromLog). */
  incomplete?: string;
  components: readonly StoryComponent[];
}

/** The incident summary of a run (see IncidentSummary). Never throws on a well-formed log; no NaN. Pure. */
export function summarizeRun(input: SummarizeInput): IncidentSummary {
  const timeline = healthTimeline({ log: input.log, telemetry: input.telemetry, components: input.components });
  const system = healthFromTimeline(timeline);
  const verdict = expectationVerdict({ expectations: input.expectations, incomplete: input.incomplete, system });
  const graph = causalGraphOf(input.log, input.findings);
  const story = incidentPhases(input.log, input.findings, timeline, system, graph);
  const rootCause = rootCauseOf(story);
  return {
    headline: headline(input.scenario.name, story, system, timeline.endMs),
    verdict,
    system,
    phases: story.phases,
    ...(rootCause !== undefined ? { rootCause } : {}),
    description: descriptionOf(input.scenario),
  };
}

/** The causal graph, or undefined when the log cannot have one (a filtered log whose record i is not seq i). */
function causalGraphOf(log: readonly EventRecord[], findings: readonly Finding[]): CausalGraph | undefined {
  if (log.length === 0 || log[log.length - 1].seq !== log.length - 1) return undefined;
  try {
    return buildCausalGraph(log, { findings });
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}

function rootCauseOf(story: Phases): IncidentSummary["rootCause"] {
  const t = story.trigger;
  if (t === undefined) return undefined;
  const r = t.record;
  const sentence = t.cause !== undefined ? t.cause.reason : `${describeAction(r)}, the earliest cause the findings name before the impact`;
  const behind = t.behind === undefined ? "" : `; behind it, ${describeAction(t.behind)}`;
  return { seq: r.seq, t: r.t, actor: r.actor, sentence: `${capitalize(sentence)}${behind}.` };
}

/**
 * One line: "enactor-a's stale write of ddb-dns.plan (#38) at 00:08:02; front served 0% of
 * requests at worst; user-facing components unhealthy from 00:09:02 for 35m21s; not recovered
 * by the end of the run (nlb)". A healthy run says so. Pure.
 */
function headline(name: string, story: Phases, system: IncidentSummary["system"], endMs: number): string {
  if (system.state === "healthy") {
    return system.worstComponent === undefined ? `${name}: no impact; user-facing components served every request` : `${name}: no impact; worst availability ${formatPercent(system.worstAvailability)} (${system.worstComponent})`;
  }
  const parts: string[] = [];
  const t = story.trigger;
  if (t !== undefined) parts.push(`${triggerWords(t)} (#${t.record.seq}) at ${formatTime(t.record.t)}`);
  if (system.worstComponent !== undefined) parts.push(`${system.worstComponent} served ${formatPercent(system.worstAvailability)} of requests at worst`);
  const first = story.episodes[0];
  if (first !== undefined) parts.push(`${story.userFacing ? "user-facing components" : first.components.join(", ")} unhealthy from ${formatTime(first.from)} for ${formatSpanShort(first.to - first.from)}`);
  const last = story.episodes[story.episodes.length - 1];
  if (last !== undefined) parts.push(last.open ? `not recovered by the end of the run (${last.stillOpen.join(", ")} at ${formatTime(endMs)})` : `recovered at ${formatTime(last.to)}`);
  if (parts.length === 0) parts.push(system.text);
  const line = parts.join("; ");
  return t === undefined ? `${name}: ${line}` : line;
}

/** The file's description split, with the variant's own beside it when it has one. */
function descriptionOf(s: SummarizeInput["scenario"]): IncidentSummary["description"] {
  const own = (s.description ?? "").trim();
  if (s.fileDescription === undefined) return splitDescription(own);
  return { ...splitDescription(s.fileDescription), ...(own !== "" ? { variant: own } : {}) };
}

function capitalize(s: string): string {
  return s.length === 0 ? s : s[0].toUpperCase() + s.slice(1);
}
