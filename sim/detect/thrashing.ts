// Thrashing: two or more actors reversing the direction of one knob over and over within a
// sliding window, each undoing the other's last change. One finding per knob and episode.
import { formatTime } from "../core/units.js";
import type { Scenario } from "../scenario/types.js";
import type { Finding, RunView } from "./finding.js";
import {
  changePhrase,
  denseRuns,
  formatMoney,
  formatNumber,
  formatSpan,
  isVersionKnob,
  listWords,
  median,
  reasonOf,
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

/** A reversal: change `at` goes against the previous change of its knob, made by another actor. */
interface Reversal {
  /** Index of the reversing change in the knob's change list (the reversed one is at - 1). */
  at: number;
  t: number;
}

/**
 * Finds thrash episodes. A reversal is a change whose direction (up or down) is opposite to the
 * previous change of the same knob, made by a different actor (an actor correcting itself is not
 * thrashing) at most `thrashWindowMs` later (undoing a change from hours ago is not a
 * tug-of-war). An episode is a run of reversals where every reversal lies in a window of
 * `thrashWindowMs` holding at least `thrashReversalsMin` of them (see denseRuns).
 *
 * Witnesses: for each reversal of the episode, the reversed change and the reversing change —
 * the pairs, not every change of the knob in between (same-direction repeats and an actor
 * reversing itself are left out).
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
    const reversals = findReversals(changes, options.thrashWindowMs);
    for (const [first, last] of denseRuns(reversals.map((r) => r.t), options.thrashWindowMs, options.thrashReversalsMin)) {
      findings.push(episodeFinding(view.scenario, knob, changes, reversals.slice(first, last + 1)));
    }
  }
  return findings;
}

function direction(c: KnobChange): number {
  return Math.sign(c.data.to - c.data.from);
}

function findReversals(changes: readonly KnobChange[], windowMs: number): Reversal[] {
  const out: Reversal[] = [];
  for (let i = 1; i < changes.length; i++) {
    const prev = changes[i - 1];
    const cur = changes[i];
    if (direction(cur) === -direction(prev) && cur.actor !== prev.actor && cur.t - prev.t <= windowMs) out.push({ at: i, t: cur.t });
  }
  return out;
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

function episodeFinding(scenario: Scenario, knob: string, changes: readonly KnobChange[], reversals: readonly Reversal[]): Finding {
  const witnessIndexes = new Set<number>();
  for (const r of reversals) {
    witnessIndexes.add(r.at - 1);
    witnessIndexes.add(r.at);
  }
  const indexes = [...witnessIndexes].sort((a, b) => a - b);
  const witnesses = indexes.map((i) => changes[i]);
  const firstIndex = indexes[0];
  const lastIndex = indexes[indexes.length - 1];
  const component = changes[0].target;
  const knobName = changes[0].data.knob;

  // Actors in order of first appearance for prose ("perf and cost"), sorted for the field.
  const actorsInOrder: string[] = [];
  for (const w of witnesses) if (!actorsInOrder.includes(w.actor)) actorsInOrder.push(w.actor);
  const periodMs = median(reversals.slice(1).map((r, i) => r.t - reversals[i].t));
  const cycleMs = median(reversals.slice(2).map((r, i) => r.t - reversals[i].t));
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
  for (const r of reversals.slice(0, EXPLAINED_REVERSALS_MAX)) explanation.push(reversalSentence(changes[r.at - 1], changes[r.at]));
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

/** "perf raised web.replicas 6->8 at 00:04:00 because <reason> (caused by #2 cost lowering web.replicas 8->6 at 00:03:00)". */
function reversalSentence(reversed: KnobChange, reversing: KnobChange): string {
  const reason = reasonOf(reversing);
  const because = reason !== undefined ? ` because ${reason}` : "";
  const link = reversing.causes.includes(reversed.seq) ? "caused by" : "after, though the log does not name it as a cause,";
  return `${reversing.actor} ${changePhrase(reversing)} at ${formatTime(reversing.t)}${because} (${link} #${reversed.seq} ${reversed.actor} ${changePhrase(reversed, "gerund")} at ${formatTime(reversed.t)}).`;
}
