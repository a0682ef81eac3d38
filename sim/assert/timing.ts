// Occurrences for expectations about order and time: the log records an event matcher selects,
// an agent's stays in a state (from the run's state trace), and relative timing — every trigger
// followed by enough matches within a span after it. Pure.
import { recordMatchesWhere } from "./where.js";
import { formatDuration, formatTime } from "../core/units.js";
import type { RunView } from "../detect/finding.js";
import { activeStatePaths, stateMatches } from "../agents/state-names.js";
import { compare, type AgentStateMatcher, type Comparison, type EventMatcher, type Relative, type TimeWindow, type Trigger } from "./expectation.js";

/** Something that happened at `t`; `seq` when it is a log record (orders same-time records). */
export interface Occurrence {
  t: number;
  seq?: number;
}

/** A stay of an agent in a state: entered at `fromMs`, left at `toMs` (the run's end if it never left). */
export interface Stay {
  fromMs: number;
  toMs: number;
}

/** Records matching `m` (in `window` when given), in log order. Pure. */
export function matchingRecords(view: RunView, m: EventMatcher, window?: TimeWindow): RunView["log"][number][] {
  const data = Object.entries(m.data ?? {});
  return view.log.filter(
    (r) => r.type === m.event && (!m.actor || r.actor === m.actor) && (!m.target || r.target === m.target) && (!window || (r.t >= window.fromMs && r.t < window.toMs)) && data.every(([k, v]) => r.data[k] === v) && (m.where === undefined || recordMatchesWhere(m.where, r)),
  );
}

/** When the run ended: its `run.ended` record (a bounded run ends early), else the scenario's duration. Pure. */
export function runEndMs(view: RunView): number {
  const last = view.log[view.log.length - 1];
  return last !== undefined && last.type === "run.ended" ? last.t : view.scenario.durationMs;
}

/**
 * `m.agent`'s stays in `m.state`, in order: consecutive trace entries in which the state is active
 * (a nested state counts while any of its children is active) form one stay. Undefined when the
 * view has no state trace (a saved run not re-derived). Pure.
 */
export function agentStays(view: RunView, m: AgentStateMatcher): Stay[] | undefined {
  if (view.agentStates === undefined) return undefined;
  const end = runEndMs(view);
  const stays: Stay[] = [];
  let open: number | undefined;
  for (const change of view.agentStates) {
    if (change.agent !== m.agent) continue;
    const inState = stateMatches(m.state, activeStatePaths(change.state));
    if (inState && open === undefined) open = change.t;
    else if (!inState && open !== undefined) {
      stays.push({ fromMs: open, toMs: change.t });
      open = undefined;
    }
  }
  if (open !== undefined) stays.push({ fromMs: open, toMs: Math.max(open, end) });
  return stays;
}

/** Stays that lasted at least `minStayMs`, entered in `window` (all without one). Pure. */
export function entries(stays: readonly Stay[], minStayMs: number, window?: TimeWindow): Stay[] {
  return stays.filter((s) => s.toMs - s.fromMs >= minStayMs && (!window || (s.fromMs >= window.fromMs && s.fromMs < window.toMs)));
}

/** Stays of at least `minStayMs` that overlap `window` (a zero-length stay counts where it happened). Pure. */
export function staysDuring(stays: readonly Stay[], minStayMs: number, window?: TimeWindow): Stay[] {
  return stays.filter((s) => s.toMs - s.fromMs >= minStayMs && (!window || (s.fromMs < window.toMs && (s.toMs > window.fromMs || s.fromMs >= window.fromMs))));
}

/** The trigger's occurrences in the run; undefined when they need a state trace the view lacks. Pure. */
export function triggerOccurrences(view: RunView, trigger: Trigger): Occurrence[] | undefined {
  if (trigger.kind === "event") return matchingRecords(view, trigger.matcher, trigger.window).map((r) => ({ t: r.t, seq: r.seq }));
  const stays = agentStays(view, trigger.matcher);
  return stays && entries(stays, trigger.minStayMs ?? 0, trigger.window).map((s) => ({ t: s.fromMs }));
}

/** The outcome of relative timing: passed, in words, with the trigger that failed (if any). */
export interface RelativeOutcome {
  passed: boolean;
  observed: string;
  /** Set when no trigger occurred: the pass is vacuous. */
  vacuous?: string;
  witnesses: number[];
}

/**
 * Every trigger occurrence must be followed by matches whose number compares true with `c`: a
 * match counts for a trigger at t when its time is in [t + fromMs, t + toMs] and, when both are
 * records, it was logged after the trigger. No trigger at all passes vacuously. Pure.
 */
export function evaluateRelative(triggers: readonly Occurrence[], matches: readonly Occurrence[], rel: Relative, c: Comparison, what: string): RelativeOutcome {
  if (triggers.length === 0) return { passed: true, observed: `${rel.trigger.words} never occurred`, vacuous: `the trigger (${rel.trigger.words}) never occurred`, witnesses: [] };
  const counts = triggers.map((a) => matches.filter((b) => b.t >= a.t + rel.fromMs && b.t <= a.t + rel.toMs && (a.seq === undefined || b.seq === undefined || b.t > a.t || b.seq > a.seq)));
  const failing = counts.findIndex((followers) => !compare(followers.length, c));
  const at = (o: Occurrence) => `${o.seq !== undefined ? `#${o.seq} ` : ""}at ${formatTime(o.t)}`;
  if (failing < 0) {
    const firstGap = counts.map((followers, i) => (followers.length > 0 ? followers[0].t - triggers[i].t : undefined)).filter((x): x is number => x !== undefined);
    const slowest = firstGap.length > 0 ? `; the slowest first ${what} came ${formatDuration(Math.max(...firstGap))} after its trigger` : "";
    return { passed: true, observed: `${triggers.length === 1 ? "the one trigger was" : `all ${triggers.length} triggers were`} followed as expected${slowest}`, witnesses: triggers.flatMap((o) => (o.seq === undefined ? [] : [o.seq])).slice(0, 50) };
  }
  const a = triggers[failing];
  const n = counts[failing].length;
  return {
    passed: false,
    observed: `trigger ${failing + 1} of ${triggers.length} (${at(a)}) was followed by ${n} ${what}${n === 1 ? "" : "s"} in ${formatTime(a.t + rel.fromMs)}..${formatTime(a.t + rel.toMs)}`,
    witnesses: [...(a.seq === undefined ? [] : [a.seq]), ...counts[failing].flatMap((o) => (o.seq === undefined ? [] : [o.seq]))].slice(0, 50),
  };
}
