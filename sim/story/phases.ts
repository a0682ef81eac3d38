// The incident told in the order an SRE tells it — trigger, impact, detection, mitigation,
// recovery — read from the log, the findings and the health timeline. The trigger is the causal
// graph's root cause of the first impact (sim/causal/graph.ts rootCauses, the same ranking the
// explain view and the cascade detector use); nothing here re-ranks actions. Pure.
import { formatTime } from "../core/units.js";
import type { CausalGraph, RootCause } from "../causal/graph.js";
import type { Finding } from "../detect/finding.js";
import { describeAction, isDocumentWrite, isKnobChange, knobKeyOf, reasonOf, recordAt } from "../detect/explain.js";
import { isAction } from "../detect/action-rank.js";
import type { EventRecord } from "../log/record.js";
import { jsonText } from "../log/json-text.js";
import type { IncidentPhase, SystemHealth } from "./types.js";
import { formatPercent, formatSpanShort, type HealthTimeline, type UnhealthySpan } from "./system-health.js";

/** A stretch of time during which at least one of a set of components was unhealthy (merged spans). */
export interface Episode {
  from: number;
  to: number;
  open: boolean;
  fromSeq: number;
  toSeq?: number;
  components: string[];
  /** The component whose span closed last (the last to recover), or one still open. */
  lastComponent: string;
  /** Components still unhealthy at the run's end. */
  stillOpen: string[];
}

/** The trigger as the phases and the headline name it. */
export interface Trigger {
  record: EventRecord;
  cause?: RootCause;
  /** A fault the trigger action was itself caused by (the stall behind a stale write). */
  behind?: EventRecord;
  /** The record of the impact it was found from. */
  impactSeq?: number;
}

export interface Phases {
  phases: IncidentPhase[];
  trigger?: Trigger;
  episodes: Episode[];
  /** Whether the episodes are of user-facing components (else of internal ones only). */
  userFacing: boolean;
}

/** Merges overlapping spans into episodes, in time order. Pure. */
export function episodesOf(spans: readonly UnhealthySpan[]): Episode[] {
  const sorted = [...spans].sort((a, b) => a.from - b.from || a.fromSeq - b.fromSeq);
  const out: Episode[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && s.from <= last.to) {
      if (!last.components.includes(s.component)) last.components.push(s.component);
      if (s.open || (!last.open && s.to >= last.to)) {
        last.lastComponent = s.component;
        last.toSeq = s.toSeq;
      }
      last.open = last.open || s.open;
      if (s.open && !last.stillOpen.includes(s.component)) last.stillOpen.push(s.component);
      last.to = Math.max(last.to, s.to);
    } else {
      out.push({ from: s.from, to: s.to, open: s.open, fromSeq: s.fromSeq, toSeq: s.toSeq, components: [s.component], lastComponent: s.component, stillOpen: s.open ? [s.component] : [] });
    }
  }
  return out;
}

/** The phases of the incident (none for a healthy run). `graph` is the run's causal graph when one could be built. Pure. */
export function incidentPhases(log: readonly EventRecord[], findings: readonly Finding[], timeline: HealthTimeline, system: SystemHealth, graph: CausalGraph | undefined): Phases {
  if (system.state === "healthy") return { phases: [], episodes: [], userFacing: true };
  const entrySet = new Set(timeline.entries);
  const entrySpans = timeline.spans.filter((s) => entrySet.has(s.component));
  const userFacing = entrySpans.length > 0 || timeline.firstDropMs !== undefined;
  const episodes = episodesOf(entrySpans.length > 0 ? entrySpans : timeline.spans);
  const phases: IncidentPhase[] = [];

  const first = episodes[0];
  const impactT = first?.from ?? timeline.firstDropMs ?? 0;
  const impactSeq = first?.fromSeq;
  const trigger = findTrigger(log, findings, graph, impactSeq, impactT);
  if (trigger !== undefined) phases.push(triggerPhase(trigger));
  phases.push(impactPhase(episodes, impactT, timeline, system, userFacing, log));
  const detection = detectionPhase(findings, log, trigger?.record.t ?? impactT);
  if (detection !== undefined) phases.push(detection);
  const mitigation = mitigationPhase(log, graph, trigger, impactT, first);
  if (mitigation !== undefined) phases.push(mitigation);
  const recovery = recoveryPhase(episodes, timeline.endMs, userFacing);
  if (recovery !== undefined) phases.push(recovery);
  phases.sort((a, b) => a.t - b.t || PHASE_ORDER.indexOf(a.kind) - PHASE_ORDER.indexOf(b.kind));
  return { phases, trigger, episodes, userFacing };
}

const PHASE_ORDER: readonly IncidentPhase["kind"][] = ["trigger", "impact", "detection", "mitigation", "recovery"];

/**
 * The trigger: the first root cause of the impact record that is not a fault reached only behind
 * an action (that fault is kept as `behind`: the stall behind a stale write). Without an impact
 * record (impact read from telemetry alone) or a graph, the first root cause the findings name
 * that happened before the impact, then the first fault start before it. Pure.
 */
function findTrigger(log: readonly EventRecord[], findings: readonly Finding[], graph: CausalGraph | undefined, impactSeq: number | undefined, impactT: number): Trigger | undefined {
  if (graph !== undefined && impactSeq !== undefined && impactSeq < graph.size) {
    const causes = graph.rootCauses(impactSeq);
    const chosen = causes.find((c) => c.behindAction !== true) ?? causes[0];
    if (chosen !== undefined) {
      const fault = causes.find((c) => c.behindAction === true);
      const record = recordAt(log, chosen.seq);
      const behind = fault === undefined ? undefined : recordAt(log, fault.seq);
      if (record !== undefined) return { record, cause: chosen, ...(behind !== undefined && behind !== record ? { behind } : {}), impactSeq };
    }
  }
  const named = findings.flatMap((f) => f.rootCauses).map((s) => recordAt(log, s)).filter((r): r is EventRecord => r !== undefined && r.t <= impactT);
  named.sort((a, b) => a.t - b.t || a.seq - b.seq);
  const fault = log.find((r) => r.type === "fault.started" && r.t <= impactT);
  const record = named[0] ?? fault;
  return record === undefined ? undefined : { record, impactSeq };
}

/** "stale write of ddb-dns.plan", "fault enactor-a-stall (agentCrash) on enactor-a": what the trigger was, in a few words. Pure. */
export function triggerWords(t: Trigger): string {
  const r = t.record;
  const what = isKnobChange(r) ? knobKeyOf(r) : isDocumentWrite(r) ? `${r.target ?? "?"}.${jsonText(r.data.document)}` : (r.target ?? "?");
  if (r.type === "fault.started") return `fault ${r.actor} (${jsonText(r.data.effect ?? r.data.kind)}) on ${r.target ?? "?"}`;
  const kind = t.cause?.kind;
  const noun = kind === undefined || kind === "routine action" ? (isKnobChange(r) ? "change" : isDocumentWrite(r) ? (r.type === "document.deleted" ? "deletion" : "write") : r.type) : kind === "workload change" ? "workload change" : kind;
  if (r.type === "workload.changed") return `workload ${r.actor}'s change on ${r.target ?? "?"}`;
  return `${r.actor}'s ${noun} of ${what}`;
}

function because(r: EventRecord): string {
  const reason = reasonOf(r);
  return reason === undefined ? "" : ` because ${reason}`;
}

function triggerPhase(t: Trigger): IncidentPhase {
  const r = t.record;
  const kind = t.cause !== undefined && t.cause.kind !== "routine action" && t.cause.kind !== "fault" ? ` (${t.cause.kind}${t.cause.against !== undefined ? ` against #${t.cause.against}` : ""})` : "";
  const behind = t.behind === undefined ? "" : `; behind it, ${describeAction(t.behind)}`;
  return { kind: "trigger", t: r.t, seq: r.seq, text: `${describeAction(r)}${kind}${because(r)}${behind}.` };
}

function impactPhase(episodes: readonly Episode[], impactT: number, timeline: HealthTimeline, system: SystemHealth, userFacing: boolean, log: readonly EventRecord[]): IncidentPhase {
  const first = episodes[0];
  const worst = timeline.worst.component === undefined ? "" : `; ${timeline.worst.component} served ${formatPercent(timeline.worst.availability)} of requests at worst`;
  if (first === undefined) {
    return { kind: "impact", t: impactT, text: `${timeline.worst.component ?? "a user-facing component"} began failing requests at ${formatTime(impactT)}${worst}.` };
  }
  const r = recordAt(log, first.fromSeq);
  const who = r?.target ?? first.components[0];
  const whom = first.components.length > 1 ? `, then ${first.components.filter((c) => c !== who).join(", ")}` : "";
  const scope = userFacing ? "user-facing components" : "components";
  const until = first.open ? `until the end of the run (${formatTime(first.to)})` : `until ${formatTime(first.to)}`;
  const internal = userFacing ? "" : `; users saw ${system.worstAvailability < 1 ? "some errors" : "no errors"}`;
  // A flapping system fails again after its first episode: say how often and for how long in all,
  // so "unhealthy for 5m" of the first episode is not read as the whole impact.
  const total = episodes.reduce((sum, e) => sum + (e.to - e.from), 0);
  const again = episodes.length > 1 ? `; then ${episodes.length - 1} more episode${episodes.length > 2 ? "s" : ""} until ${formatTime(episodes[episodes.length - 1].to)}, ${formatSpanShort(total)} unhealthy in all` : "";
  return { kind: "impact", t: first.from, durationMs: first.to - first.from, seq: first.fromSeq, text: `${who} went unhealthy at ${formatTime(first.from)}, #${first.fromSeq}${whom}; ${scope} unhealthy for ${formatSpanShort(first.to - first.from)}, ${until}${again}${worst}${internal}.` };
}

/**
 * Detection: the finding whose evidence appears first at or after the trigger (its first witness
 * from then on), the most severe on a tie. Crossfire's detectors stand in for the alert a real
 * system would raise; the phase says which finding and which record. Pure.
 */
function detectionPhase(findings: readonly Finding[], log: readonly EventRecord[], fromMs: number): IncidentPhase | undefined {
  const severity = { critical: 0, warning: 1, info: 2 } as const;
  let best: { f: Finding; r: EventRecord } | undefined;
  for (const f of findings) {
    const r = f.witnesses.map((s) => recordAt(log, s)).find((w): w is EventRecord => w !== undefined && w.t >= fromMs);
    if (r === undefined) continue;
    if (best === undefined || r.t < best.r.t || (r.t === best.r.t && severity[f.severity] < severity[best.f.severity])) best = { f, r };
  }
  if (best === undefined) return undefined;
  const { f, r } = best;
  const on = f.knob ?? f.components[0] ?? f.subjects[0];
  return { kind: "detection", t: r.t, seq: r.seq, text: `the ${f.severity} ${f.kind} finding${on ? ` on ${on}` : ""} has evidence from #${r.seq} at ${formatTime(r.t)}.` };
}

/**
 * Mitigation: the first action after the impact started that either writes what the trigger
 * wrote (another actor undoing or overwriting it: oncall restoring the DNS record) or descends
 * from a user-facing failure of the first episode (an agent reacting to the impact: a fault
 * start or a workload change never counts). Ancestors are walked per candidate, bounded. Pure.
 */
function mitigationPhase(log: readonly EventRecord[], graph: CausalGraph | undefined, trigger: Trigger | undefined, impactT: number, first: Episode | undefined): IncidentPhase | undefined {
  const tr = trigger?.record;
  const triggerKey = tr === undefined ? undefined : isKnobChange(tr) ? knobKeyOf(tr) : isDocumentWrite(tr) ? `${tr.target}.${jsonText(tr.data.document)}` : undefined;
  const failureSeqs = new Set<number>();
  if (first !== undefined) {
    for (const r of log) {
      if (r.t > first.to) break;
      if (r.t >= first.from && r.type === "health.changed" && r.data.healthy === false && first.components.includes(r.target ?? r.actor)) failureSeqs.add(r.seq);
    }
  }
  let checked = 0;
  for (const r of log) {
    if (r.t < impactT || (tr !== undefined && r.seq <= tr.seq)) continue;
    if (!isAction(r) || r.type === "fault.started" || r.type === "workload.changed") continue;
    const key = isKnobChange(r) ? knobKeyOf(r) : isDocumentWrite(r) ? `${r.target}.${jsonText(r.data.document)}` : undefined;
    const undoes = key !== undefined && key === triggerKey && r.actor !== tr?.actor;
    let reacts = false;
    // Bounded: a long run's actions each walk at most 2,000 ancestors, and at most 200 are tried.
    if (!undoes && graph !== undefined && failureSeqs.size > 0 && checked++ < 200 && r.seq < graph.size) {
      reacts = graph.ancestors(r.seq, { limit: 2000 }).nodes.some((n) => failureSeqs.has(n.seq));
    }
    if (!undoes && !reacts) continue;
    const after = `${formatSpanShort(r.t - impactT)} after the impact`;
    const why = undoes ? `, writing what the trigger (#${tr!.seq}) wrote` : ", reacting to the impact";
    return { kind: "mitigation", t: r.t, seq: r.seq, text: `${describeAction(r)}${because(r)}${why}, ${after}.` };
  }
  return undefined;
}

/** Recovery: when the last episode ended (and nothing failed again), or that it did not. Pure. */
function recoveryPhase(episodes: readonly Episode[], endMs: number, userFacing: boolean): IncidentPhase | undefined {
  const last = episodes[episodes.length - 1];
  if (last === undefined) return undefined;
  const scope = userFacing ? "user-facing components" : "every component";
  if (!last.open) {
    return { kind: "recovery", t: last.to, seq: last.toSeq, text: `${scope} healthy again at ${formatTime(last.to)}${last.toSeq !== undefined ? ` (#${last.toSeq}, ${last.lastComponent})` : ""} and stayed healthy to the end of the run.` };
  }
  const firstEnd = episodes.length > 1 ? episodes[0] : undefined;
  const earlier = firstEnd === undefined ? "" : `${scope} were healthy again at ${formatTime(firstEnd.to)}${firstEnd.toSeq !== undefined ? ` (#${firstEnd.toSeq})` : ""}, but `;
  const still = last.stillOpen.join(", ");
  return { kind: "recovery", t: endMs, text: `not recovered by the end of the run: ${earlier}${still} ${last.stillOpen.length === 1 ? "was" : "were"} unhealthy from ${formatTime(last.from)} (#${last.fromSeq}) to the end (${formatTime(endMs)}).` };
}
