// Cascades: a failure that spread from one component to its callers along >= 2 dependency hops,
// grouped under the deepest failed dependency and traced back to the fault or agent action behind it.
import { kindSpecOf } from "../model/kinds/specs.js";
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { Finding, RunView } from "./finding.js";
import { isAction, KIND_FLAG_FLIP } from "./action-rank.js";
import { describeAction, formatNumber, formatSpan, isDocumentWrite, isKnobChange, listWords, reasonOf } from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";

/** Thresholds of the cascade detector. */
export interface CascadeOptions {
  /** Fewest dependency hops from the root to the furthest failed caller that make a cascade. */
  cascadeDepthMin: number;
  /** Most log records visited when tracing a root failure back through its causes. */
  causalSearchMax: number;
}

const ROOT_CAUSES_MAX = 8;

/**
 * Callee edges of every component, as load flows: each kind's spec module names them (the world
 * links the same ones). Pure.
 */
export function dependencyEdges(components: readonly ComponentSpec[]): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const c of components) edges.set(c.id, [...kindSpecOf(c.kind).downstream(c as never)]);
  return edges;
}

/** `start` and every component it calls, transitively, along `edges` (dependencyEdges). Pure. */
export function reachable(start: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    for (const callee of edges.get(queue[q]) ?? []) {
      if (seen.has(callee)) continue;
      seen.add(callee);
      queue.push(callee);
    }
  }
  return seen;
}

/** Shortest hop counts from one caller to everything it (transitively) calls, with the BFS tree. */
interface Reach {
  hops: Map<string, number>;
  /** Callee -> the caller it was first reached from, for rebuilding a path. */
  via: Map<string, string>;
}

/** One failure (health.changed to unhealthy) and the cascade it was put in. */
interface Failure {
  record: EventRecord;
  component: string;
  cascade: Cascade;
}

interface Cascade {
  rootComponent: string;
  rootRecord: EventRecord;
  /** First failure per component, root first, in attribution order. */
  members: Failure[];
  componentsSeen: Set<string>;
  /** Members unhealthy right now; while above 0 the cascade is still going. */
  unhealthyNow: number;
}

/**
 * Finds cascades. Walks health.changed records in log order, keeping which components are
 * unhealthy. A component that fails while one of its (transitive) dependencies is unhealthy
 * joins that dependency's cascade; one that fails with every dependency healthy roots a new
 * cascade. Failures logged at the same simulated time are attributed callees first (the engine
 * logs one step's health changes in scenario order, not dependency order), and a dependency
 * recovering at that same time still counts as unhealthy. When several unhealthy dependencies
 * belong to different cascades, the failure joins the one whose root is deepest below it (most
 * hops), then the one whose root failed first. A root that fails again (after recovering) while
 * members of its last cascade are still unhealthy continues that cascade instead of starting one.
 *
 * depth = most hops (shortest path through the dependency graph) from the root component to a
 * failed member; breadth = failed components including the root; timeToPropagateMs = last
 * member's first failure minus the root's failure. A cascade is reported when depth >=
 * `cascadeDepthMin`. Witnesses: the root's failure record and each member's first failure.
 *
 * Root causes: the causes of the root's failure record are followed backwards (breadth first,
 * at most `causalSearchMax` records) through symptoms (health changes of this and other
 * components) and stop at actions: faults, agent knob changes and document writes, and workload
 * changes. Those actions, faults first, then agent actions (ones acting on the root component
 * first), then workload changes, each earliest first, are the root causes. Unlike the causal
 * graph's rootCauses (sim/detect/action-rank.ts), this does not rank non-routine actions (stale
 * writes, reversals, deletions) above routine ones nor look behind actions for faults: on
 * azure-front-door-lkg that would put the cleanup's reversal of edge-eu's rollout ahead of the
 * deployer's write of the bad config, which the library's expectations name first.
 *
 * Linear in the health changes and actions `index` grouped (built from `view.log` when not
 * given), plus per failure the smaller of (components unhealthy at the time, the failing
 * component's transitive dependencies), plus one breadth-first search of the dependency graph
 * per component that ever fails. Pure.
 */
export function detectCascades(view: RunView, options: CascadeOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const { scenario } = view;
  // Only health changes and actions matter to the walk below; other records are skipped alike.
  const log = index.healthAndActions;
  const edges = dependencyEdges(scenario.components);
  const specs = new Map(scenario.components.map((c) => [c.id, c]));
  const order = calleesFirstRank(scenario.components, edges);
  const reachCache = new Map<string, Reach>();
  const reach = (caller: string): Reach => {
    let r = reachCache.get(caller);
    if (r === undefined) reachCache.set(caller, (r = bfs(caller, edges)));
    return r;
  };

  const unhealthy = new Map<string, Failure>();
  const cascades: Cascade[] = [];
  // The most recent action per target, for the fallback when a root failure names no action.
  const lastActionOn = new Map<string, EventRecord>();
  const fallbackByRoot = new Map<Cascade, EventRecord | undefined>();
  const latestRootedAt = new Map<string, Cascade>();
  const noteAction = (r: EventRecord): void => {
    if (r.target !== undefined && (r.type === "fault.started" || isKnobChange(r) || isDocumentWrite(r))) lastActionOn.set(r.target, r);
    // An edge fault acts on its caller's view of the target: it counts as an action on the caller too.
    if (r.type === "fault.started" && typeof r.data.from === "string") lastActionOn.set(r.data.from, r);
  };

  let i = 0;
  while (i < log.length) {
    // One batch: every record logged at the same simulated time.
    const t = log[i].t;
    let j = i;
    let firstHealth = -1;
    const failures: EventRecord[] = [];
    const recoveries: EventRecord[] = [];
    for (; j < log.length && log[j].t === t; j++) {
      const r = log[j];
      if (r.type === "health.changed" && r.target !== undefined) {
        if (firstHealth < 0) firstHealth = j;
        (r.data.healthy === false ? failures : recoveries).push(r);
      }
    }
    // Actions logged before this time's health changes (faults and workload changes come before
    // the world step; agents act after it) count as before a failure at this time.
    if (firstHealth < 0) firstHealth = j;
    for (let k = i; k < firstHealth; k++) noteAction(log[k]);
    failures.sort((a, b) => (order.get(a.target!) ?? 0) - (order.get(b.target!) ?? 0) || a.seq - b.seq);
    for (const record of failures) {
      const component = record.target!;
      const hops = reach(component).hops;
      let best: Cascade | undefined;
      let bestHops = -1;
      // Candidates: unhealthy components this one (transitively) calls; walk the smaller set.
      const candidates: [string, Failure][] = [];
      if (unhealthy.size <= hops.size) {
        for (const [dep, failure] of unhealthy) if ((hops.get(dep) ?? 0) > 0) candidates.push([dep, failure]);
      } else {
        for (const [dep, h] of hops) {
          const failure = h > 0 ? unhealthy.get(dep) : undefined;
          if (failure !== undefined) candidates.push([dep, failure]);
        }
      }
      for (const [dep, failure] of candidates) {
        const cascade = failure.cascade;
        const rootHops = hops.get(cascade.rootComponent) ?? hops.get(dep)!;
        // Deepest root first, then the root that failed first (seq order is time order).
        if (best === undefined || rootHops > bestHops || (rootHops === bestHops && cascade.rootRecord.seq < best.rootRecord.seq)) {
          best = cascade;
          bestHops = rootHops;
        }
      }
      const ongoing = latestRootedAt.get(component);
      let cascade: Cascade;
      if (best !== undefined) {
        cascade = best;
      } else if (ongoing !== undefined && ongoing.unhealthyNow > 0) {
        // The root failed again while callers are still down from its last failure: the same cascade.
        cascade = ongoing;
      } else {
        cascade = { rootComponent: component, rootRecord: record, members: [], componentsSeen: new Set(), unhealthyNow: 0 };
        cascades.push(cascade);
        latestRootedAt.set(component, cascade);
        fallbackByRoot.set(cascade, fallbackAction(specs.get(component), component, lastActionOn));
      }
      const failure: Failure = { record, component, cascade };
      if (!failure.cascade.componentsSeen.has(component)) {
        failure.cascade.componentsSeen.add(component);
        failure.cascade.members.push(failure);
      }
      failure.cascade.unhealthyNow++;
      unhealthy.set(component, failure);
    }
    for (const record of recoveries) {
      const failure = unhealthy.get(record.target!);
      if (failure === undefined) continue;
      failure.cascade.unhealthyNow--;
      unhealthy.delete(record.target!);
    }
    for (let k = firstHealth; k < j; k++) noteAction(log[k]);
    i = j;
  }

  const findings: Finding[] = [];
  for (const cascade of cascades) {
    const rootComponent = cascade.rootComponent;
    const fromRoot = (member: Failure): number => reach(member.component).hops.get(rootComponent) ?? 0;
    const depth = Math.max(...cascade.members.map(fromRoot));
    if (depth < options.cascadeDepthMin) continue;
    findings.push(cascadeFinding(index, cascade, fromRoot, depth, reach, options, fallbackByRoot.get(cascade)));
  }
  return findings;
}

/** Component -> rank with callees before callers (a reverse topological order; cycles are broken arbitrarily but deterministically). */
function calleesFirstRank(components: readonly ComponentSpec[], edges: Map<string, string[]>): Map<string, number> {
  const rank = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): void => {
    if (rank.has(id) || visiting.has(id)) return;
    visiting.add(id);
    for (const callee of edges.get(id) ?? []) visit(callee);
    visiting.delete(id);
    rank.set(id, rank.size);
  };
  for (const c of components) visit(c.id);
  return rank;
}

function bfs(start: string, edges: Map<string, string[]>): Reach {
  const hops = new Map<string, number>([[start, 0]]);
  const via = new Map<string, string>();
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const at = queue[q];
    for (const callee of edges.get(at) ?? []) {
      if (hops.has(callee)) continue;
      hops.set(callee, hops.get(at)! + 1);
      via.set(callee, at);
      queue.push(callee);
    }
  }
  return { hops, via };
}

/**
 * When a root failure's record names no action among its causes (a log from a model that does
 * not record provenance, or a failure caused only by load), the best remaining evidence is the
 * most recent fault or agent action that acted on the root component itself, or on the
 * document store a DNS record or config consumer reads. This is a guess from timing and target,
 * not from recorded causation, and the explanation says so.
 */
function fallbackAction(spec: ComponentSpec | undefined, component: string, lastActionOn: Map<string, EventRecord>): EventRecord | undefined {
  const candidates = [lastActionOn.get(component)];
  if (spec !== undefined && (spec.kind === "dnsRecord" || spec.kind === "configConsumer")) candidates.push(lastActionOn.get(spec.store));
  return candidates.filter((r): r is EventRecord => r !== undefined).sort((a, b) => b.seq - a.seq)[0];
}

/** Actions behind a failure record, found by walking its causes back through symptoms (bounded). */
function traceRootCauses(index: LogIndex, failure: EventRecord, rootComponent: string, searchMax: number): EventRecord[] {
  const seen = new Set<number>([failure.seq]);
  const queue = [...failure.causes];
  const found: EventRecord[] = [];
  for (let q = 0; q < queue.length && seen.size < searchMax; q++) {
    const seq = queue[q];
    if (seen.has(seq)) continue;
    seen.add(seq);
    const r = index.at(seq);
    if (r === undefined) continue;
    if (isAction(r)) {
      found.push(r);
      continue;
    }
    // run.started stands for the scenario's initial knob values: it is nobody's action.
    if (r.type === "run.started") continue;
    for (const c of r.causes) if (!seen.has(c)) queue.push(c);
  }
  // Faults and flag flips (a flag write that switched a gated fault on) 0, agent actions 2 on the
  // root component and 3 elsewhere, workload changes 4.
  const rank = (r: EventRecord): number => {
    if (r.type === "fault.started" || index.actionKind(r.seq) === KIND_FLAG_FLIP) return 0;
    if (r.type === "workload.changed") return 4;
    return r.target === rootComponent ? 2 : 3;
  };
  return found.sort((a, b) => rank(a) - rank(b) || a.t - b.t || a.seq - b.seq).slice(0, ROOT_CAUSES_MAX);
}

function cascadeFinding(
  index: LogIndex,
  cascade: Cascade,
  fromRoot: (member: Failure) => number,
  depth: number,
  reach: (caller: string) => Reach,
  options: CascadeOptions,
  fallback: EventRecord | undefined,
): Finding {
  const { rootComponent, rootRecord } = cascade;
  const ordered = [...cascade.members].sort((a, b) => fromRoot(a) - fromRoot(b) || a.record.t - b.record.t || a.record.seq - b.record.seq);
  const deepest = ordered[ordered.length - 1];
  // Path from the root outward: walk the deepest caller's BFS tree down to the root, then reverse.
  const path: string[] = [];
  const via = reach(deepest.component).via;
  for (let at: string | undefined = rootComponent; at !== undefined; at = via.get(at)) path.push(at);
  const failed = new Set(cascade.members.map((m) => m.component));
  const last = cascade.members.reduce((a, b) => (b.record.t > a.record.t || (b.record.t === a.record.t && b.record.seq > a.record.seq) ? b : a));
  const timeToPropagateMs = last.record.t - rootRecord.t;

  let rootCauses = traceRootCauses(index, rootRecord, rootComponent, options.causalSearchMax);
  const traced = rootCauses.length > 0;
  if (!traced && fallback !== undefined) rootCauses = [fallback];
  const actors = [...new Set(rootCauses.map((r) => r.actor))].sort();
  const components = ordered.map((m) => m.component);

  const callers = ordered.slice(1);
  const explanation = [
    `${rootComponent} failed at ${formatTime(rootRecord.t)} (${reading(rootRecord)}) and the failure spread ${depth} dependency hops to ` +
      `${callers.length} caller${callers.length === 1 ? "" : "s"} within ${formatSpan(timeToPropagateMs)}: ` +
      `${listWords(callers.slice(0, 6).map((m) => `${m.component} at ${formatTime(m.record.t)}`))}${callers.length > 6 ? ` and ${callers.length - 6} more` : ""}.`,
    `Path from the root outward: ${path.map((c) => (failed.has(c) ? c : `${c} (stayed healthy)`)).join(" <- ")} (each is called by the next).`,
  ];
  if (traced) {
    const [first, ...rest] = rootCauses;
    const reason = reasonOf(first);
    explanation.push(
      `Root cause: ${describeAction(first)}${reason !== undefined ? ` because ${reason}` : ""}` +
        `${rest.length > 0 ? `; the failure also names ${listWords(rest.slice(0, 3).map(describeAction))}${rest.length > 3 ? ` and ${rest.length - 3} more` : ""}` : ""}.`,
    );
  } else if (fallback !== undefined) {
    explanation.push(`The failure record names no fault or agent action among its causes; the most recent action on ${rootComponent} before it was ${describeAction(fallback)} (by timing, not recorded causation).`);
  } else {
    explanation.push(`No fault or agent action was found behind ${rootComponent}'s failure.`);
  }
  return {
    kind: "cascade",
    severity: "critical",
    from: rootRecord.t,
    to: last.record.t,
    subjects: [...actors, ...components],
    actors,
    components,
    witnesses: cascade.members.map((m) => m.record.seq).sort((a, b) => a - b),
    rootCauses: rootCauses.map((r) => r.seq),
    metrics: { depth, breadth: cascade.members.length, timeToPropagateMs },
    explanation,
  };
}

function reading(r: EventRecord): string {
  return `errorRate ${formatNumber(Number(r.data.errorRate))}, p95 ${formatNumber(Number(r.data.latencyMsP95))}ms`;
}
