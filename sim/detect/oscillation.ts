// Oscillation: one actor reversing its own changes of a knob over and over — a control loop
// hunting around its set point with nobody else involved (a gain too high for the lag it acts
// through, no stabilization window, a cooldown shorter than the reaction). Thrashing is the same
// pattern between two actors; this is its single-actor counterpart. One finding per knob and
// episode.
import { formatTime } from "../core/units.js";
import type { Finding, RunView } from "./finding.js";
import { changePhrase, denseRuns, formatNumber, formatSpan, isVersionKnob, median, reasonOf, reversalTiming, type KnobChange } from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";

/** Thresholds of the oscillation detector. */
export interface OscillationOptions {
  /** Length of the sliding window the self-reversals must fall in. */
  oscillationWindowMs: number;
  /** Self-reversals within one window that make an oscillation episode. */
  oscillationReversalsMin: number;
}

// Reversals spelled out one by one in an explanation; the rest are summarised (all are witnesses).
const EXPLAINED_REVERSALS_MAX = 3;

/**
 * Finds oscillation episodes. A self-reversal is a change whose direction (up or down) is
 * opposite to the previous change of the same knob, made by the same actor at most
 * `oscillationWindowMs` later, with no change of any knob of the same component by another
 * actor logged between the two: such a change may be what the actor reacted to, which makes the
 * pair a (coupled) tug-of-war that the thrashing detector judges, not a loop of one. An episode
 * is a run of self-reversals where every one lies in a window of `oscillationWindowMs` holding
 * at least `oscillationReversalsMin` of them (see denseRuns).
 *
 * Knobs naming a document version (`plan`, `version`) are left out, as in thrashing: going back
 * to an older version is a rollback, not hunting around an amount.
 *
 * Witnesses: for each self-reversal, the reversed and the reversing change. Root cause: the
 * first witness, the change that set the loop swinging. Metrics: reversals, changes in the
 * episode, periodMs (median time between reversals), cycleMs (median time between a reversal and
 * the next in the same direction: one full swing), amplitude (median size of a reversing
 * change).
 *
 * Linear in the log: one pass over each knob's changes, and for each component a pointer into
 * its changes by time to find another actor's change between two. Pure.
 */
export function detectOscillation(view: RunView, options: OscillationOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const findings: Finding[] = [];
  const byComponent = changesByComponent(index);
  for (const [knob, changes] of index.knobChangesByKnob) {
    if (isVersionKnob(changes[0].data.knob)) continue;
    const reversals = selfReversals(changes, byComponent.get(changes[0].target) ?? [], options.oscillationWindowMs);
    for (const [first, last] of denseRuns(reversals.map((i) => changes[i].t), options.oscillationWindowMs, options.oscillationReversalsMin)) {
      findings.push(episodeFinding(knob, changes, reversals.slice(first, last + 1)));
    }
  }
  return findings;
}

/** Every knob change of each component, in seq order. */
function changesByComponent(index: LogIndex): Map<string, KnobChange[]> {
  const out = new Map<string, KnobChange[]>();
  for (const changes of index.knobChangesByKnob.values()) {
    const target = changes[0].target;
    const list = out.get(target);
    if (list === undefined) out.set(target, [...changes]);
    else list.push(...changes);
  }
  for (const list of out.values()) list.sort((a, b) => a.seq - b.seq);
  return out;
}

function direction(c: KnobChange): number {
  return Math.sign(c.data.to - c.data.from);
}

/** Indexes into `changes` of the self-reversing changes (see detectOscillation). */
function selfReversals(changes: readonly KnobChange[], componentChanges: readonly KnobChange[], windowMs: number): number[] {
  const out: number[] = [];
  // Walking the component's changes alongside, keep the latest change (by `latestActor`) and the
  // latest change by an actor other than `latestActor`: together they give, for any actor X, the
  // latest change of the component by someone other than X, in O(1).
  let j = 0;
  let latestSeq = -1;
  let latestActor: string | undefined;
  let latestByAnotherSeq = -1;
  for (let i = 0; i < changes.length; i++) {
    const cur = changes[i];
    while (j < componentChanges.length && componentChanges[j].seq < cur.seq) {
      const m = componentChanges[j];
      if (m.actor !== latestActor) latestByAnotherSeq = latestSeq;
      latestSeq = m.seq;
      latestActor = m.actor;
      j++;
    }
    if (i === 0) continue;
    const prev = changes[i - 1];
    if (cur.actor !== prev.actor || direction(prev) === 0 || direction(cur) !== -direction(prev) || cur.t - prev.t > windowMs) continue;
    const latestByOther = latestActor !== cur.actor ? latestSeq : latestByAnotherSeq;
    if (latestByOther > prev.seq) continue;
    out.push(i);
  }
  return out;
}

function episodeFinding(knob: string, changes: readonly KnobChange[], reversals: readonly number[]): Finding {
  const indexes = [...new Set(reversals.flatMap((i) => [i - 1, i]))].sort((a, b) => a - b);
  const witnesses = indexes.map((i) => changes[i]);
  const actor = changes[reversals[0]].actor;
  const component = changes[0].target;
  const times = reversals.map((i) => changes[i].t);
  const { periodMs, cycleMs } = reversalTiming(times);
  const amplitude = median(reversals.map((i) => Math.abs(changes[i].data.to - changes[i].data.from)));
  const first = indexes[0];
  const last = indexes[indexes.length - 1];
  const from = witnesses[0].t;
  const to = witnesses[witnesses.length - 1].t;
  const metrics: Record<string, number> = {
    reversals: reversals.length,
    changes: last - first + 1,
    periodMs,
    cycleMs,
    amplitude,
  };
  const every = reversals.length > 2 ? `, a full swing about every ${formatSpan(cycleMs)}` : reversals.length > 1 ? `, about ${formatSpan(periodMs)} apart` : "";
  const explanation = [
    `${actor} reversed its own change of ${knob} ${reversals.length} times between ${formatTime(from)} and ${formatTime(to)}${every}, by ${formatNumber(amplitude)} each time, with no other actor changing ${component} in between: ` +
      `a control loop hunting around its set point (its reaction is larger or faster than the lag of what it reads; a stabilization window, a smaller step or a longer cooldown damps it).`,
  ];
  for (const i of reversals.slice(0, EXPLAINED_REVERSALS_MAX)) {
    const cur = changes[i];
    const prev = changes[i - 1];
    const reason = reasonOf(cur);
    explanation.push(`${actor} ${changePhrase(cur)} at ${formatTime(cur.t)}${reason !== undefined ? ` because ${reason}` : ""}, ${formatSpan(cur.t - prev.t)} after it ${changePhrase(prev)} (#${prev.seq}).`);
  }
  if (reversals.length > EXPLAINED_REVERSALS_MAX) {
    explanation.push(`${reversals.length - EXPLAINED_REVERSALS_MAX} more reversals follow the same pattern; the witnesses list every change involved.`);
  }
  return {
    kind: "oscillation",
    severity: "warning",
    from,
    to,
    subjects: [actor, knob, component],
    actors: [actor],
    components: [component],
    knob,
    witnesses: witnesses.map((w) => w.seq),
    rootCauses: [witnesses[0].seq],
    metrics,
    explanation,
  };
}
