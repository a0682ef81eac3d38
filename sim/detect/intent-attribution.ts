// Intent-attribution errors: an agent that reacts to symptoms (an autoscaler, a router, a health
// checker, a rollback) acting on the consequences of another agent's deliberate capacity cut
// (a cost scale-in, a drain) as if they were a fault. One finding per deliberate change and reacting agent.
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { AgentSpec } from "../scenario/types.js";
import type { Finding, RunView } from "./finding.js";
import { isAction } from "./action-rank.js";
import { changePhrase, formatSpan, isKnobChange, knobKeyOf, reasonOf, type KnobChange } from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";
import { dependencyEdges, reachable } from "./cascade.js";

/** Thresholds of the intent-attribution detector. */
export interface IntentAttributionOptions {
  /** Longest time from a deliberate capacity cut to a reaction it is blamed for. */
  intentWindowMs: number;
  /** Most log records visited when tracing a reaction back through its causes (shared with the cascade detector). */
  causalSearchMax: number;
}

/** Agent kinds that act on observed symptoms: their commands are the reactions looked at. */
const REACTIVE_KINDS: ReadonlySet<AgentSpec["kind"]> = new Set(["performance", "hpa", "routing", "healthChecker", "rollback"]);

// Reactions spelled out one by one in an explanation; all are witnesses.
const EXPLAINED_REACTIONS_MAX = 3;

/**
 * The component whose capacity `r` cuts, or undefined when it cuts none: fewer replicas or a
 * smaller CPU request (the knob's component), a target taken out of a load balancer
 * (`inService.<target>` 1 -> 0) or drained to weight 0 (the target). Pure.
 */
export function capacityCutOf(r: KnobChange): string | undefined {
  const { knob, from, to } = r.data;
  if (knob === "replicas" || knob === "cpuRequestMillicores") return to < from ? r.target : undefined;
  if (knob.startsWith("inService.") || knob.startsWith("weight.")) return to === 0 && from > 0 ? knob.slice(knob.indexOf(".") + 1) : undefined;
  return undefined;
}

/**
 * The component a reactive agent's change treats as failing, or undefined when the change is not
 * a response to a failure: adding replicas or CPU (the knob's component), taking a target out of
 * a load balancer or moving weight off it (the target), or any change by a rollback agent (its
 * target). Returning a target, scaling in and moving weight onto a target respond to health,
 * not to a fault. Pure.
 */
function faultResponseSubject(r: KnobChange, kind: AgentSpec["kind"]): string | undefined {
  const { knob, from, to } = r.data;
  if (kind === "rollback") return r.target;
  if (knob === "replicas" || knob === "cpuRequestMillicores") return to > from ? r.target : undefined;
  if (knob.startsWith("inService.")) return to === 0 ? knob.slice("inService.".length) : undefined;
  if (knob.startsWith("weight.")) return to < from ? knob.slice("weight.".length) : undefined;
  return undefined;
}

/** A reaction traced back to a deliberate change: the records linking them, deliberate change first. */
interface Attribution {
  deliberate: KnobChange;
  reaction: KnobChange;
  path: EventRecord[];
}

/**
 * Finds reactions to deliberate capacity cuts. A reaction is an applied knob change by an agent
 * of a reactive kind (performance, hpa, routing, healthChecker, rollback) that responds to a
 * failure of some component, its subject (faultResponseSubject: adding capacity to it, taking it
 * out of a load balancer, moving weight off it, rolling it back). Its causes are followed
 * backwards breadth first (at most `causalSearchMax` records) through symptoms (health changes
 * and other records that are not actions) and stop at actions (faults, knob changes, document
 * writes, workload changes), as the cascade detector traces root causes.
 *
 * The reaction is an intent-attribution error when the actions reached include a capacity cut
 * (capacityCutOf) that is
 * - made by another agent whose kind is not reactive (cost, vpa, statechart operators, ...): a
 *   deliberate change, not itself a reaction;
 * - at most `intentWindowMs` before the reaction;
 * - on the reaction's subject or on something the subject calls (transitively): a signal's
 *   provenance names every knob writer of its component, and an agent's decision shares one set
 *   of causes among all its commands, so the link alone would blame a health checker's removal
 *   of az-b on a cut to az-a;
 * - on a different knob than the reaction: an agent undoing the cut on the same knob disagrees
 *   about its value, which the thrashing detector reports (perf re-adding the replicas cost
 *   removed), rather than mistaking its cause;
 * and no fault is among the actions reached: when a fault is behind the symptoms too, reacting
 * to them is what the agent is for. With several qualifying cuts the most recent is blamed.
 *
 * Witnesses: the deliberate change, each of the reacting agent's reactions blamed on it, and the
 * records on the traced path between them. Pure.
 */
export function detectIntentAttribution(view: RunView, options: IntentAttributionOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const kinds = new Map(view.scenario.agents.map((a) => [a.id, a.kind]));
  const isDeliberate = (actor: string) => kinds.has(actor) && !REACTIVE_KINDS.has(kinds.get(actor)!);
  const edges = dependencyEdges(view.scenario.components);
  const reachCache = new Map<string, Set<string>>();
  const reach = (from: string): Set<string> => {
    let set = reachCache.get(from);
    if (set === undefined) reachCache.set(from, (set = reachable(from, edges)));
    return set;
  };
  // Deliberate cuts per cut component, by time: a reaction with none in its window and reach skips the walk.
  const cutsOn = new Map<string, Cut[]>();
  for (const r of index.knobChanges) {
    const component = capacityCutOf(r);
    if (component === undefined || !isDeliberate(r.actor)) continue;
    const list = cutsOn.get(component);
    const cut: Cut = { t: r.t, seq: r.seq, actor: r.actor, knob: knobKeyOf(r) };
    if (list === undefined) cutsOn.set(component, [cut]);
    else list.push(cut);
  }
  if (cutsOn.size === 0) return [];
  for (const list of cutsOn.values()) list.sort((a, b) => a.t - b.t || a.seq - b.seq);
  // (deliberate seq, reacting agent) -> attributions, in order of first reaction.
  const groups = new Map<string, Attribution[]>();
  for (const reaction of index.knobChanges) {
    const kind = kinds.get(reaction.actor);
    if (kind === undefined || !REACTIVE_KINDS.has(kind)) continue;
    const subject = faultResponseSubject(reaction, kind);
    if (subject === undefined) continue;
    const affects = reach(subject);
    const knob = knobKeyOf(reaction);
    let candidate = false;
    for (const component of affects) {
      const cuts = cutsOn.get(component);
      if (cuts === undefined) continue;
      for (let i = firstAtOrAfter(cuts, reaction.t - options.intentWindowMs); i < cuts.length && cuts[i].t <= reaction.t && !candidate; i++) {
        const c = cuts[i];
        candidate = c.seq < reaction.seq && c.actor !== reaction.actor && c.knob !== knob;
      }
      if (candidate) break;
    }
    if (!candidate) continue;
    const attribution = attribute(reaction, index, options, (cut) => isDeliberate(cut.actor) && affects.has(capacityCutOf(cut) ?? ""));
    if (attribution === undefined) continue;
    const key = `${attribution.deliberate.seq} ${reaction.actor}`;
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [attribution]);
    else list.push(attribution);
  }
  return [...groups.values()].map((list) => attributionFinding(list));
}

/** A deliberate capacity cut, copied out of its record for the pre-check. */
interface Cut {
  t: number;
  seq: number;
  actor: string;
  knob: string;
}

/** Index of the first cut at or after `t` in `cuts` (ascending by time); binary search. */
function firstAtOrAfter(cuts: readonly Cut[], t: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Traces `reaction` back through symptoms; returns the deliberate cut it is blamed on, if any. */
function attribute(reaction: KnobChange, index: LogIndex, options: IntentAttributionOptions, blames: (cut: KnobChange) => boolean): Attribution | undefined {
  const parent = new Map<number, number>();
  const seen = new Set<number>([reaction.seq]);
  const queue: number[] = [];
  for (const c of reaction.causes) {
    if (seen.has(c)) continue;
    seen.add(c);
    parent.set(c, reaction.seq);
    queue.push(c);
  }
  let best: KnobChange | undefined;
  for (let q = 0; q < queue.length && q < options.causalSearchMax; q++) {
    const r = index.at(queue[q]);
    if (r === undefined || r.type === "run.started") continue;
    if (isAction(r)) {
      if (r.type === "fault.started") return undefined;
      if (
        isKnobChange(r) &&
        r.actor !== reaction.actor &&
        capacityCutOf(r) !== undefined &&
        blames(r) &&
        reaction.t - r.t <= options.intentWindowMs &&
        knobKeyOf(r) !== knobKeyOf(reaction) &&
        (best === undefined || r.seq > best.seq)
      ) {
        best = r;
      }
      continue;
    }
    for (const c of r.causes) {
      if (seen.has(c)) continue;
      seen.add(c);
      parent.set(c, r.seq);
      queue.push(c);
    }
  }
  if (best === undefined) return undefined;
  const path: EventRecord[] = [];
  for (let at: number | undefined = best.seq; at !== undefined && at !== reaction.seq; at = parent.get(at)) path.push(index.at(at)!);
  path.push(reaction);
  return { deliberate: best, reaction, path };
}

function attributionFinding(list: readonly Attribution[]): Finding {
  const { deliberate } = list[0];
  const reactor = list[0].reaction.actor;
  const witnessSet = new Set<number>();
  const bySeq = new Map<number, EventRecord>();
  for (const a of list) {
    for (const r of a.path) {
      witnessSet.add(r.seq);
      bySeq.set(r.seq, r);
    }
  }
  const witnesses = [...witnessSet].sort((a, b) => a - b).map((seq) => bySeq.get(seq)!);
  const actors = [deliberate.actor, reactor].sort();
  const components = [...new Set([deliberate.target, ...list.map((a) => a.reaction.target)])];
  const knobs = [...new Set(list.map((a) => knobKeyOf(a.reaction)))];
  const first = list[0];
  const firstGapMs = first.reaction.t - deliberate.t;
  const why = reasonOf(deliberate);
  const explanation = [
    `${reactor} ${reactionPhrase(first.reaction)} ${formatSpan(firstGapMs)} after #${deliberate.seq} ${deliberate.actor} deliberately ${changePhrase(deliberate)} at ${formatTime(deliberate.t)}${why !== undefined ? ` (${why})` : ""}: ` +
      `it treated the consequences of another agent's intended capacity cut as a fault${list.length > 1 ? `, ${list.length} times` : ""}.`,
  ];
  for (const a of list.slice(0, EXPLAINED_REACTIONS_MAX)) {
    const via = a.path.slice(1, -1).map((r) => `#${r.seq} ${r.type === "health.changed" ? `${r.target} ${r.data.healthy === false ? "unhealthy" : "healthy"}` : r.type}`);
    const reason = reasonOf(a.reaction);
    explanation.push(
      `#${a.reaction.seq} ${reactor} ${reactionPhrase(a.reaction)} at ${formatTime(a.reaction.t)}${reason !== undefined ? ` because ${reason}` : ""}, caused by #${deliberate.seq}${via.length > 0 ? ` through ${via.join(", ")}` : " directly"}, with no fault among its causes.`,
    );
  }
  if (list.length > EXPLAINED_REACTIONS_MAX) explanation.push(`${list.length - EXPLAINED_REACTIONS_MAX} more reactions follow the same pattern; the witnesses list every one.`);
  return {
    kind: "intentAttribution",
    severity: "warning",
    from: witnesses[0].t,
    to: witnesses[witnesses.length - 1].t,
    subjects: [...actors, knobKeyOf(deliberate), ...knobs, ...components],
    actors,
    components,
    knob: knobKeyOf(deliberate),
    witnesses: witnesses.map((r) => r.seq),
    rootCauses: [deliberate.seq],
    metrics: { reactions: list.length, firstReactionAfterMs: firstGapMs },
    explanation,
  };
}

/** "took az-a out of nlb" or, for other knobs, "raised web.replicas 6->8". */
function reactionPhrase(r: KnobChange): string {
  const { knob, to } = r.data;
  if (knob.startsWith("inService.") && to === 0) return `took ${knob.slice("inService.".length)} out of ${r.target}`;
  return changePhrase(r);
}
