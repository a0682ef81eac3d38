// Thrashing: two or more actors reversing the direction of one knob over and over within a
// sliding window, each undoing the other's last change — directly, or through a coupled knob of
// the same component (HPA on replicas vs VPA on CPU requests). One finding per knob and episode.
import { formatTime } from "../core/units.js";
import type { Scenario } from "../scenario/types.js";
import { isReversal } from "./action-rank.js";
import type { Finding, RunView } from "./finding.js";
import {
  changePhrase,
  denseRuns,
  describeAction,
  formatMoney,
  formatNumber,
  formatSpan,
  isKnobChange,
  isVersionKnob,
  listWords,
  reasonOf,
  reversalTiming,
  type KnobChange,
} from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";

/** Thresholds of the thrashing detector. */
export interface ThrashingOptions {
  /** Length of the sliding window the reversals must fall in. */
  thrashWindowMs: number;
  /** Cross-actor reversals within one window that make a thrash episode. */
  thrashReversalsMin: number;
}

// Reversals spelled out one by one in an explanation; the rest are summarised (all are witnesses).
const EXPLAINED_REVERSALS_MAX = 3;
const MS_PER_HOUR = 3_600_000;

/**
 * A reversal: change `at` goes against the previous change of its knob, made by another actor,
 * or by the same actor through a coupled knob (`via`).
 */
interface Reversal {
  /** Index of the reversing change in the knob's change list (the reversed one is at - 1). */
  at: number;
  t: number;
  /** The other actor's change of another knob of the component that links the two (coupled knobs). */
  via?: KnobChange;
}

/**
 * Finds thrash episodes. A reversal is a change whose direction (up or down) is opposite to the
 * previous change of the same knob, made by a different actor (an actor correcting itself is not
 * thrashing) at most `thrashWindowMs` later (undoing a change from hours ago is not a
 * tug-of-war). Coupled knobs: an actor reversing its own change also counts when another actor's
 * change of another knob of the same component lies between the two, caused by the reversed
 * change and causing the reversing one (HPA scales replicas in, VPA raises CPU requests because
 * of it, HPA scales out because of that): two actors on two knobs of one resource are one loop.
 * An episode is a run of reversals where every reversal lies in a window of
 * `thrashWindowMs` holding at least `thrashReversalsMin` of them (see denseRuns).
 *
 * Witnesses: for each reversal of the episode, the reversed change and the reversing change —
 * the pairs, not every change of the knob in between (same-direction repeats and an actor
 * reversing itself are left out) — plus, for a coupled reversal, the linking change of the other
 * knob.
 *
 * Period: the median time between consecutive reversals; cycle: the median time between a
 * reversal and the next one in the same direction (one full up-and-down), since agents with
 * different reaction times make alternate gaps differ.
 *
 * Wasted changes: every change between the episode's first and last witness (inclusive) that a
 * later opposite change in that range undid, at least in part: an increase a -> b is undone when
 * the knob is later below b within the range, a decrease when it is later above b. In a pure
 * alternation every change but the last is wasted.
 * Wasted cost (knob `replicas` on a component with `costPerReplicaHour`): for every replica
 * added and later removed within the range, matched last-in first-out, the hours between the
 * addition and the removal, times the price. Replicas removed and later re-added cost nothing.
 *
 * Root cause: the first witness; when the episode's first reversal is coupled, the change where
 * the loop began: from the first witness, causes are followed back through changes of another
 * knob of the component by another actor, alternating, as far as they go.
 *
 * Knobs naming a document version (`plan`, `version`) are left out: going back to an older
 * version is a stale write or a rollback, not a tug-of-war over an amount; flapping (served
 * config alternating) and lost-update detection cover them.
 *
 * Linear in the log: reads the knob changes `index` grouped (built from `view.log` when not
 * given), then one pass over each knob's changes. Pure.
 */
export function detectThrashing(view: RunView, options: ThrashingOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const findings: Finding[] = [];
  for (const [knob, changes] of index.knobChangesByKnob) {
    if (isVersionKnob(changes[0].data.knob)) continue;
    const reversals = findReversals(changes, options.thrashWindowMs, index);
    for (const [first, last] of denseRuns(reversals.map((r) => r.t), options.thrashWindowMs, options.thrashReversalsMin)) {
      findings.push(episodeFinding(view.scenario, index, knob, changes, reversals.slice(first, last + 1)));
    }
  }
  return findings;
}

function direction(c: KnobChange): number {
  return Math.sign(c.data.to - c.data.from);
}

function findReversals(changes: readonly KnobChange[], windowMs: number, index: LogIndex): Reversal[] {
  const out: Reversal[] = [];
  for (let i = 1; i < changes.length; i++) {
    const prev = changes[i - 1];
    const cur = changes[i];
    if (isReversal(prev, cur, windowMs)) {
      out.push({ at: i, t: cur.t });
      continue;
    }
    // The same actor going back on its own change counts only through a coupled knob.
    if (cur.actor !== prev.actor || direction(cur) !== -direction(prev) || cur.t - prev.t > windowMs) continue;
    const via = couplingChange(prev, cur, index);
    if (via !== undefined) out.push({ at: i, t: cur.t, via });
  }
  return out;
}

/** True when `other` is a change of another (amount) knob of `c`'s component by another actor. */
function isCoupled(other: KnobChange, c: KnobChange): boolean {
  return other.target === c.target && other.data.knob !== c.data.knob && other.actor !== c.actor && !isVersionKnob(other.data.knob);
}

/**
 * The change that couples `prev` and `cur` (same knob, same actor): a change of another knob of
 * the component by another actor, logged between them, that names `prev` among its causes and
 * that `cur` names among its causes; the latest such, or undefined. Reads only their causes.
 */
function couplingChange(prev: KnobChange, cur: KnobChange, index: LogIndex): KnobChange | undefined {
  let found: KnobChange | undefined;
  for (const seq of cur.causes) {
    if (seq <= prev.seq || seq >= cur.seq || (found !== undefined && seq < found.seq)) continue;
    const m = index.at(seq);
    if (m !== undefined && isKnobChange(m) && isCoupled(m, cur) && m.causes.includes(prev.seq)) found = m;
  }
  return found;
}

/**
 * Where a coupled loop began, oldest first: from `first`, the latest cause that is a coupled
 * change (isCoupled), then its latest coupled cause, and so on while there is one. Terminates:
 * causes name earlier records. Empty when `first` has no coupled cause.
 */
function loopStart(first: KnobChange, index: LogIndex): KnobChange[] {
  const chain: KnobChange[] = [];
  let cur = first;
  for (;;) {
    let back: KnobChange | undefined;
    for (const seq of cur.causes) {
      if (seq >= cur.seq || (back !== undefined && seq < back.seq)) continue;
      const m = index.at(seq);
      if (m !== undefined && isKnobChange(m) && isCoupled(m, cur)) back = m;
    }
    if (back === undefined) return chain.reverse();
    chain.push(back);
    cur = back;
  }
}

interface Waste {
  wastedChanges: number;
  replicaHours: number;
}

/**
 * Wasted changes and replica-hours over `range` (see detectThrashing). A change a -> b upward is
 * undone when a later value in the range is below b (downward: above b); suffix minima and
 * maxima make that one backward pass. Replica-hours come from matching each removal against the
 * most recent unmatched additions (last in, first out). Pure.
 */
function measureWaste(range: readonly KnobChange[]): Waste {
  let wastedChanges = 0;
  let laterMin = Infinity;
  let laterMax = -Infinity;
  for (let i = range.length - 1; i >= 0; i--) {
    const { from, to } = range[i].data;
    if ((to > from && laterMin < to) || (to < from && laterMax > to)) wastedChanges++;
    laterMin = Math.min(laterMin, to);
    laterMax = Math.max(laterMax, to);
  }
  const added: { amount: number; t: number }[] = [];
  let replicaHours = 0;
  for (const c of range) {
    const delta = c.data.to - c.data.from;
    if (delta > 0) {
      added.push({ amount: delta, t: c.t });
      continue;
    }
    let removed = -delta;
    while (removed > 0 && added.length > 0) {
      const top = added[added.length - 1];
      const matched = Math.min(removed, top.amount);
      replicaHours += (matched * (c.t - top.t)) / MS_PER_HOUR;
      top.amount -= matched;
      removed -= matched;
      if (top.amount <= 0) added.pop();
    }
  }
  return { wastedChanges, replicaHours };
}

function pricePerReplicaHour(scenario: Scenario, component: string, knob: string): number | undefined {
  if (knob !== "replicas") return undefined;
  const spec = scenario.components.find((c) => c.id === component);
  return spec !== undefined && "costPerReplicaHour" in spec && spec.costPerReplicaHour > 0 ? spec.costPerReplicaHour : undefined;
}

function episodeFinding(scenario: Scenario, index: LogIndex, knob: string, changes: readonly KnobChange[], reversals: readonly Reversal[]): Finding {
  const witnessIndexes = new Set<number>();
  for (const r of reversals) {
    witnessIndexes.add(r.at - 1);
    witnessIndexes.add(r.at);
  }
  const indexes = [...witnessIndexes].sort((a, b) => a - b);
  // Coupled reversals add the other knob's linking changes, and a coupled first reversal the
  // changes where the loop began (the root cause); the knob's own changes keep the metrics.
  const links = reversals.flatMap((r) => (r.via !== undefined ? [r.via] : []));
  const start = reversals[0].via !== undefined ? loopStart(changes[indexes[0]], index) : [];
  const bySeq = new Map<number, KnobChange>();
  for (const w of [...start, ...indexes.map((i) => changes[i]), ...links]) bySeq.set(w.seq, w);
  const witnesses = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const firstIndex = indexes[0];
  const lastIndex = indexes[indexes.length - 1];
  const component = changes[0].target;
  const knobName = changes[0].data.knob;

  // Actors in order of first appearance for prose ("perf and cost"), the knob's own writers
  // first (coupled: "hpa and vpa reversed web.replicas"), sorted for the field.
  const actorsInOrder: string[] = [];
  for (const w of [...indexes.map((i) => changes[i]), ...witnesses]) if (!actorsInOrder.includes(w.actor)) actorsInOrder.push(w.actor);
  const { periodMs, cycleMs } = reversalTiming(reversals.map((r) => r.t));
  const waste = measureWaste(changes.slice(firstIndex, lastIndex + 1));
  const price = pricePerReplicaHour(scenario, component, knobName);
  const from = witnesses[0].t;
  const to = witnesses[witnesses.length - 1].t;

  const metrics: Record<string, number> = {
    reversals: reversals.length,
    changes: lastIndex - firstIndex + 1,
    periodMs,
    cycleMs,
    wastedChanges: waste.wastedChanges,
  };
  if (links.length > 0) metrics.coupledReversals = links.length;
  let costText = "";
  if (price !== undefined) {
    const cost = Math.round(waste.replicaHours * price * 100) / 100;
    metrics.wastedReplicaHours = Math.round(waste.replicaHours * 1000) / 1000;
    metrics.wastedCost = cost;
    costText = `, costing ${formatMoney(cost)} (${formatNumber(waste.replicaHours)} replica-hours added then removed at ${formatMoney(price)} per replica-hour)`;
  }
  // The cycle reads better than the period when the two actors react at different speeds
  // (perf after 1 min, cost after 3: reversals 1, 3, 1, 3 min apart, a cycle every 4).
  const every = reversals.length > 2 ? `, a full up-and-down cycle about every ${formatSpan(cycleMs)}` : reversals.length > 1 ? `, about ${formatSpan(periodMs)} apart` : "";
  const explanation = [
    `${listWords(actorsInOrder)} reversed ${knob} ${reversals.length} times between ${formatTime(from)} and ${formatTime(to)}${every}; ` +
      `${waste.wastedChanges} of the ${metrics.changes} changes in that time were undone by a later opposite change${costText}.`,
  ];
  if (links.length > 0) {
    const reversers = [...new Set(reversals.filter((r) => r.via !== undefined).map((r) => changes[r.at].actor))];
    const linkActors = [...new Set(links.map((l) => l.actor))];
    const linkKnobs = [...new Set(links.map((l) => `${l.target}.${l.data.knob}`))];
    const began = start.length > 0 ? ` The loop began with ${describeAction(start[0])}.` : "";
    explanation.push(
      `${links.length} of the reversals went through a coupled knob: ${listWords(reversers)} reversed ${reversers.length > 1 ? "their" : "its"} own change of ${knob} ` +
        `after ${listWords(linkActors)} changed ${listWords(linkKnobs)} in response to it, each change caused by the other's.${began}`,
    );
  }
  for (const r of reversals.slice(0, EXPLAINED_REVERSALS_MAX)) explanation.push(reversalSentence(changes[r.at - 1], changes[r.at], r.via));
  if (reversals.length > EXPLAINED_REVERSALS_MAX) {
    explanation.push(`${reversals.length - EXPLAINED_REVERSALS_MAX} more reversals follow the same pattern; the witnesses list every change involved.`);
  }

  const actors = [...actorsInOrder].sort();
  return {
    kind: "thrashing",
    severity: "warning",
    from,
    to,
    subjects: [...actors, knob, component],
    actors,
    components: [component],
    knob,
    witnesses: witnesses.map((w) => w.seq),
    rootCauses: [witnesses[0].seq],
    metrics,
    explanation,
  };
}

/**
 * "perf raised web.replicas 6->8 at 00:04:00 because <reason> (caused by #2 cost lowering
 * web.replicas 8->6 at 00:03:00)"; coupled: "(caused by #3 vpa raising web.cpuRequestMillicores
 * 1534->2300 at 00:08:00, itself caused by #2 hpa lowering web.replicas 3->2 at 00:07:30)".
 */
function reversalSentence(reversed: KnobChange, reversing: KnobChange, via?: KnobChange): string {
  const reason = reasonOf(reversing);
  const because = reason !== undefined ? ` because ${reason}` : "";
  if (via !== undefined) {
    return `${reversing.actor} ${changePhrase(reversing)} at ${formatTime(reversing.t)}${because} (caused by #${via.seq} ${via.actor} ${changePhrase(via, "gerund")} at ${formatTime(via.t)}, itself caused by #${reversed.seq} ${reversed.actor} ${changePhrase(reversed, "gerund")} at ${formatTime(reversed.t)}).`;
  }
  const link = reversing.causes.includes(reversed.seq) ? "caused by" : "after, though the log does not name it as a cause,";
  return `${reversing.actor} ${changePhrase(reversing)} at ${formatTime(reversing.t)}${because} (${link} #${reversed.seq} ${reversed.actor} ${changePhrase(reversed, "gerund")} at ${formatTime(reversed.t)}).`;
}
