// Retry storms (metastable failures): load amplified by retries — or by the recovery itself:
// restarts, cold starts, reconnects — that stays amplified after the trigger that started it (a
// fault, a load spike, a capacity cut, a partition healing, any logged event) has ended. Reads
// telemetry for the amplification and the log for the trigger and the target's health.
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import { dependencyEdges, reachable } from "./cascade.js";
import type { Finding, RunView } from "./finding.js";
import { describeAction, formatNumber, formatSpan, isKnobChange, listWords, reasonOf } from "./explain.js";
import type { Scenario } from "../scenario/types.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";
import { jsonText } from "../log/json-text.js";

/** Thresholds of the retry-storm detector. */
export interface RetryStormOptions {
  /** Amplification (attempts per request; for a lease table, jobs per steady renewal) at or above which load counts as amplified. */
  retryAmplificationMin: number;
  /** How long amplification must outlast the end of its trigger to be a storm rather than a backlog draining. */
  retryStormPersistMs: number;
}

// Health changes of the target spelled out in an explanation; all are witnesses.
const EXPLAINED_HEALTH_MAX = 3;

/**
 * Something that can start an overload: an interval (a fault, a load rise, a capacity cut) that
 * later ends, or a point event (any other logged action on a component: a config write, a
 * restart, a knob change), which ends as it happens.
 */
interface Trigger {
  /** The component it acts on (a workload's target, a fault's target, a knob's component). */
  component: string;
  start: EventRecord;
  /** The record that ended it; undefined while it lasts to the end of the run; `start` for a point event. */
  end?: EventRecord;
  point?: boolean;
}

// Record types that are no trigger: health is an effect, and refused commands changed nothing.
// Annotations (`agent.logged`) are notes, not writes.
const NOT_TRIGGERS: ReadonlySet<string> = new Set(["health.changed", "run.started", "run.ended", "command.rejected", "command.held", "command.duplicate", "command.failed", "agent.logged"]);

/** How long before an episode's onset a point event may be and still be what set it off: two samples, at least 30 s (a reaction through a probe or an evaluation period). */
function pointReactionMs(sampleMs: number): number {
  return Math.max(2 * sampleMs, 30_000);
}

/** Where amplification is measured. */
interface Source {
  component: string;
  /** clients: attempts per request; leaseTable: jobs per steady renewal; load: offered load over its level before the first trigger, while unhealthy (a recovery herd). */
  kind: "clients" | "leaseTable" | "load" | "restarts";
  /** The component whose health and load the storm is about: a clients' target, or the lease table itself. */
  target: string;
  /** Amplification per telemetry sample. */
  amplification: Float32Array;
  /** When set, the samples that belong to an episode (restarts: unhealthy while replicas keep restarting); else amplification at or above the threshold. */
  active?: Uint8Array;
  /** Restarts: the running count of restarts, and the dependency its replicas cold-start from (if any). */
  restarts?: Float32Array;
  coldStartFrom?: string;
  /** Requests (or jobs) per second a healthy source sends: the clients' first attempts, the lease table's steady renewals. */
  firstAttemptRps: Float32Array | number;
  /** Components whose triggers can start this source's storm: itself and everything it calls (load sources: also everything that calls it). */
  related: Set<string>;
}

/**
 * Finds retry storms and recovery herds. Amplification is read from telemetry: a clients
 * component's `amplification` signal (attempts sent per request, first attempts included); for a
 * lease table its jobs processed per second over its steady renewal rate (leases / half a lease
 * duration: requesters that time out queue their job again, like retries); and for any other
 * component, while it is unhealthy, its offered load over its median load before the first
 * trigger related to it (a recovery herd: restarts, cold starts or reconnects piling onto it). An
 * episode is a run of consecutive samples at or above `retryAmplificationMin`.
 *
 * Interval triggers come from the log: a component fault (`fault.started` until its
 * `fault.ended`: capacity loss, crash, partition, any effect); a workload rising (`workload.changed`
 * up, until it is back at or below where it rose from); a capacity cut (`replicas` or
 * `cpuRequestMillicores` lowered, or `inService.<target>` set to 0, until the knob is back at or
 * above its value before the cut); a DNS record made unresolvable (pointed at a plan version that
 * does not exist or has no rows, or the version it points at deleted, until a write points it at
 * a live version again); an agent's requests (`load.sent` until its `load.ended`). Point triggers are every other logged action on a component (a config
 * write, a knob change, a restart...: any record with a target but health changes and refused
 * commands). A trigger counts for a source when it acts on the source or on something the
 * source calls (transitively); for a load source on anything connected to it through
 * dependencies either way (see loadSources).
 *
 * An episode is a storm when a related interval trigger was active when it began (started at or
 * before its first sample, ended no earlier than one sample before it) — or, failing that, a
 * related point event happened at most pointReactionMs before it began —, every related interval
 * trigger active during the episode has ended, and the episode lasted at least
 * `retryStormPersistMs` after the last of them ended. The root cause is the earliest interval
 * trigger active at the onset; when every one of them had ended before the onset (the overload
 * began with the recovery: a partition healing, crashed replicas restarting together), the end of
 * the latest comes first and its start second; with no interval, the latest point event.
 * Load sources are not reported where a clients or lease-table storm already covers the
 * component, or a component it calls, at overlapping times (one storm, one finding).
 *
 * Witnesses: the root trigger's start and end records, the last related trigger end when it is a
 * different record, and the target's `health.changed` records from the trigger's start to the
 * end of the episode. Linear in the telemetry samples plus the records `index` grouped (built
 * from `view.log` when not given), and in the log once for the point events. Pure.
 */
export function detectRetryStorms(view: RunView, options: RetryStormOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const { telemetry } = view;
  if (telemetry.count === 0 || !telemetry.signalNames.includes("loadRps")) return [];
  const intervals = [...findTriggers(index), ...unresolvableRecords(view.scenario, index)].sort((a, b) => a.start.seq - b.start.seq);
  const points = findPointTriggers(index);
  const sampleMs = telemetry.count > 1 ? telemetry.times[1] - telemetry.times[0] : view.scenario.sampleEveryMs;
  const findings: Finding[] = [];
  const pointsByComponent = new Map<string, Trigger[]>();
  for (const t of points) {
    const list = pointsByComponent.get(t.component);
    if (list === undefined) pointsByComponent.set(t.component, [t]);
    else list.push(t);
  }
  const relatedPoints = (related: ReadonlySet<string>) => [...related].flatMap((id) => pointsByComponent.get(id) ?? []).sort((a, b) => a.start.seq - b.start.seq);
  for (const source of findSources(view)) {
    const related = intervals.filter((t) => source.related.has(t.component));
    findings.push(...stormsOf(view, index, options, source, related, relatedPoints(source.related), sampleMs));
  }
  const covered = findings.map((f) => ({ components: f.components, from: f.metrics.onsetMs, to: f.metrics.stormEndMs }));
  const edges = dependencyEdges(view.scenario.components);
  for (const { source, intervals: related, points: near } of loadSources(view, intervals, points)) {
    for (const f of stormsOf(view, index, options, source, related, near, sampleMs)) {
      const overlaps = covered.some((c) => c.from <= f.metrics.stormEndMs && f.metrics.onsetMs <= c.to && c.components.some((id) => reachable(id, edges).has(source.component)));
      if (!overlaps) findings.push(f);
    }
  }
  return findings;
}

/** The storms of one source (see detectRetryStorms), given the interval and point triggers related to it, in seq order. */
function stormsOf(view: RunView, index: LogIndex, options: RetryStormOptions, source: Source, related: readonly Trigger[], relatedPoints: readonly Trigger[], sampleMs: number): Finding[] {
  if (related.length === 0 && relatedPoints.length === 0) return [];
  const times = view.telemetry.times;
  const count = view.telemetry.count;
  const reactionMs = pointReactionMs(sampleMs);
  const findings: Finding[] = [];
  const a = source.amplification;
  let k = 0;
  while (k < count) {
    if (!inEpisode(source, k, options)) {
      k++;
      continue;
    }
    const k0 = k;
    while (k + 1 < count && inEpisode(source, k + 1, options)) k++;
    const k1 = k;
    k++;
    const onsetMs = times[k0];
    const ongoing = k1 === count - 1;
    const endMs = ongoing ? times[k1] : times[k1 + 1];
    const atOnset = related.filter((t) => t.start.t <= onsetMs && (t.end === undefined || t.end.t + sampleMs >= onsetMs));
    const during = related.filter((t) => t.start.t < endMs && (t.end === undefined || t.end.t + sampleMs >= onsetMs));
    if (during.some((t) => t.end === undefined)) continue;
    let root: Trigger;
    let recovery = false;
    if (atOnset.length > 0) {
      root = [...atOnset].sort((x, y) => x.start.t - y.start.t || x.start.seq - y.start.seq)[0];
      // The overload began only once every trigger at the onset had ended: the recovery set it off.
      if (atOnset.every((t) => t.end!.t < onsetMs)) {
        root = atOnset.reduce((x, y) => (y.end!.t > x.end!.t || (y.end!.t === x.end!.t && y.end!.seq > x.end!.seq) ? y : x));
        recovery = true;
      }
    } else {
      const near = relatedPoints.filter((t) => t.start.t <= onsetMs && onsetMs - t.start.t <= reactionMs);
      if (near.length === 0) continue;
      root = near[near.length - 1];
    }
    const ends = [...during.map((t) => t.end!), ...(root.point ? [root.start] : [])];
    const lastEnd = ends.reduce((x, y) => (y.t > x.t || (y.t === x.t && y.seq > x.seq) ? y : x));
    const persistedMs = endMs - lastEnd.t;
    if (persistedMs < options.retryStormPersistMs) continue;
    findings.push(stormFinding(view, index, options, { source, root, recovery, lastEnd, k0, k1, onsetMs, endMs, ongoing, persistedMs }));
  }
  return findings;
}

function inEpisode(source: Source, k: number, options: RetryStormOptions): boolean {
  return source.active !== undefined ? source.active[k] === 1 : source.amplification[k] >= options.retryAmplificationMin;
}

/** Clients and lease tables that have telemetry. */
function findSources(view: RunView): Source[] {
  const { scenario, telemetry } = view;
  const known = new Set(telemetry.componentIds);
  const hasSignals = telemetry.signalNames.includes("amplification") && telemetry.signalNames.includes("loadRps");
  if (!hasSignals || telemetry.count === 0) return [];
  const edges = dependencyEdges(scenario.components);
  const sources: Source[] = [];
  for (const c of scenario.components) {
    if (!known.has(c.id)) continue;
    if (c.kind === "clients") {
      sources.push({ component: c.id, kind: "clients", target: c.target, amplification: telemetry.series(c.id, "amplification"), firstAttemptRps: telemetry.series(c.id, "loadRps"), related: reachable(c.id, edges) });
    } else if (c.kind === "leaseTable") {
      const renewalRps = (c.leases * 1000) / (c.leaseDurationMs / 2);
      const load = telemetry.series(c.id, "loadRps");
      const amplification = load.map((v) => (renewalRps > 0 ? v / renewalRps : 0));
      sources.push({ component: c.id, kind: "leaseTable", target: c.id, amplification, firstAttemptRps: renewalRps, related: reachable(c.id, edges) });
    }
  }
  return sources;
}

/**
 * Every other component with load and health telemetry that was unhealthy in some sample, as a
 * load source: its amplification is its offered load over the median of its load in the samples
 * before the first trigger related to it, counted only while it is unhealthy (0 while healthy: a
 * component that carries more load and copes is no storm). Related here means connected through
 * dependencies either way (callers, callees, callers' other callees): one union-find over the
 * edges, so finding the triggers of every source costs one pass, not one graph walk per source.
 * Components with no sample before their first trigger, or no load then, are left out (no level
 * to compare with). Pure.
 */
function loadSources(view: RunView, intervals: readonly Trigger[], points: readonly Trigger[]): { source: Source; intervals: Trigger[]; points: Trigger[] }[] {
  const { scenario, telemetry } = view;
  if (!telemetry.signalNames.includes("healthy")) return [];
  const known = new Set(telemetry.componentIds);
  const group = connectedGroups(scenario.components.map((c) => c.id), dependencyEdges(scenario.components));
  const byGroup = new Map<string, { intervals: Trigger[]; points: Trigger[]; members: Set<string> }>();
  const groupOf = (id: string) => {
    const g = group(id);
    let entry = byGroup.get(g);
    if (entry === undefined) byGroup.set(g, (entry = { intervals: [], points: [], members: new Set() }));
    return entry;
  };
  for (const c of scenario.components) groupOf(c.id).members.add(c.id);
  for (const t of intervals) groupOf(t.component).intervals.push(t);
  for (const t of points) groupOf(t.component).points.push(t);
  const out: { source: Source; intervals: Trigger[]; points: Trigger[] }[] = [];
  for (const c of scenario.components) {
    if (!known.has(c.id) || c.kind === "clients" || c.kind === "leaseTable") continue;
    const healthy = telemetry.series(c.id, "healthy");
    if (healthy.every((h) => h >= 1)) continue;
    const related = groupOf(c.id);
    let firstMs = Infinity;
    if (related.intervals.length > 0) firstMs = related.intervals[0].start.t;
    if (related.points.length > 0) firstMs = Math.min(firstMs, related.points[0].start.t);
    const baselineOf = (id: string) => {
      const series = telemetry.series(id, "loadRps");
      const before: number[] = [];
      for (let k = 0; k < telemetry.count && telemetry.times[k] < firstMs; k++) before.push(series[k]);
      return { series, baseline: medianOf(before) };
    };
    if ((c.kind === "service" || c.kind === "database") && (c.restart !== undefined || c.coldStart !== undefined) && telemetry.signalNames.includes("restarts")) {
      out.push({ source: restartSource(view, c.id, healthy, c.restart?.backoffMaxMs ?? DEFAULT_BACKOFF_MAX_MS, c.coldStart?.from, baselineOf), intervals: related.intervals, points: related.points });
      continue;
    }
    const { series: load, baseline } = baselineOf(c.id);
    if (!(baseline > 0)) continue;
    const amplification = new Float32Array(telemetry.count);
    for (let k = 0; k < telemetry.count; k++) amplification[k] = healthy[k] < 1 ? load[k] / baseline : 0;
    out.push({ source: { component: c.id, kind: "load", target: c.id, amplification, firstAttemptRps: baseline, related: related.members }, intervals: related.intervals, points: related.points });
  }
  return out;
}

/** The connected groups of the dependency graph taken undirected: a function from a component id to its group's representative. Union-find, near-linear. Pure. */
function connectedGroups(ids: readonly string[], edges: ReadonlyMap<string, readonly string[]>): (id: string) => string {
  const parent = new Map<string, string>(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    // Path compression: point everything on the way straight at the root.
    for (let cur = id; parent.has(cur) && parent.get(cur) !== root; ) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const [from, tos] of edges) for (const to of tos) if (parent.has(to)) parent.set(find(from), find(to));
  return find;
}

// The kubelet's CrashLoopBackOff cap: a server without `restart` restarts within this of a crash.
const DEFAULT_BACKOFF_MAX_MS = 300_000;

/**
 * A server that restarts crashed replicas, as a source: its episodes are the samples where it is
 * unhealthy and has restarted a replica within the last `backoffMaxMs` (the longest a replica
 * waits between attempts), i.e. it keeps trying to come back and failing. Its amplification, for
 * the metrics, is the load on the dependency it cold-starts from over that dependency's load
 * before the trigger (0 without a cold start). Pure.
 */
function restartSource(view: RunView, id: string, healthy: Float32Array, backoffMaxMs: number, coldStartFrom: string | undefined, baselineOf: (id: string) => { series: Float32Array; baseline: number }): Source {
  const { telemetry } = view;
  const restarts = telemetry.series(id, "restarts");
  const active = new Uint8Array(telemetry.count);
  let j = 0;
  for (let k = 0; k < telemetry.count; k++) {
    // j: the first sample within backoffMaxMs before sample k.
    while (telemetry.times[k] - telemetry.times[j] > backoffMaxMs) j++;
    const restartedLately = restarts[k] > (j > 0 ? restarts[j - 1] : 0);
    active[k] = healthy[k] < 1 && restartedLately ? 1 : 0;
  }
  const amplification = new Float32Array(telemetry.count);
  let baseline = 0;
  if (coldStartFrom !== undefined && telemetry.componentIds.includes(coldStartFrom)) {
    const dep = baselineOf(coldStartFrom);
    baseline = dep.baseline;
    if (baseline > 0) for (let k = 0; k < telemetry.count; k++) amplification[k] = dep.series[k] / baseline;
  }
  return { component: id, kind: "restarts", target: id, amplification, active, restarts, coldStartFrom, firstAttemptRps: baseline, related: new Set([id]) };
}

function medianOf(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Point triggers: every record acting on a component that is no interval trigger's start or end, no health change and no refused command, in seq order. One pass over the log. */
function findPointTriggers(index: LogIndex): Trigger[] {
  const out: Trigger[] = [];
  for (const r of index.log) {
    if (r.target === undefined || NOT_TRIGGERS.has(r.type) || r.type === "fault.started" || r.type === "fault.ended" || r.type === "workload.changed" || r.type === "load.sent" || r.type === "load.ended") continue;
    out.push({ component: r.target, start: r, end: r, point: true });
  }
  return out;
}

/**
 * Agents' sends (statechart `sendLoad`) as interval triggers on their target: from `load.sent` to
 * the `load.ended` that names it (open when it outlasts the run). Only logs with sends pay the pass.
 */
function agentLoadTriggers(index: LogIndex): Trigger[] {
  const sends = index.healthAndActions.filter((r) => r.type === "load.sent" && r.target !== undefined);
  if (sends.length === 0) return [];
  const open = new Map(sends.map((r) => [r.seq, { component: r.target!, start: r } as Trigger]));
  for (const r of index.log) {
    if (r.type !== "load.ended") continue;
    const t = open.get(Number(r.data.sentSeq));
    if (t !== undefined) t.end = r;
  }
  return [...open.values()];
}

/** Capacity knobs: lowering them (setting `inService.*` to 0) cuts capacity; raising them back restores it. */
function isCapacityKnob(knob: string): boolean {
  return knob === "replicas" || knob === "cpuRequestMillicores" || knob.startsWith("inService.");
}

/**
 * DNS records unresolvable as triggers: from the record write or document delete/put that left
 * the record pointing at no live version with rows, to the record write that points it at one
 * again. The scenario gives the initial plans and documents. Linear in the actions. Pure.
 */
function unresolvableRecords(scenario: Scenario, index: LogIndex): Trigger[] {
  const triggers: Trigger[] = [];
  for (const c of scenario.components) {
    if (c.kind !== "dnsRecord") continue;
    const key = `${c.store}.${c.document}`;
    const rows = new Map<number, number>();
    for (const s of scenario.components) {
      if (s.kind === "documentStore" && s.id === c.store) for (const d of s.documents) if (d.name === c.document) rows.set(d.version, d.rows);
    }
    let plan = c.plan;
    const resolvable = () => plan > 0 && (rows.get(plan) ?? 0) > 0;
    let open: Trigger | undefined;
    for (const r of index.healthAndActions) {
      if (r.type === "document.put" || r.type === "document.deleted") {
        if (`${r.target}.${jsonText(r.data.document)}` !== key) continue;
        if (r.type === "document.put") rows.set(Number(r.data.version), Number(r.data.rows));
        else rows.delete(Number(r.data.version));
      } else if (r.target === c.id && r.data.knob === "plan" && isKnobChange(r)) {
        plan = r.data.to;
      } else continue;
      if (open === undefined && !resolvable()) {
        open = { component: c.id, start: r };
        triggers.push(open);
      } else if (open !== undefined && resolvable()) {
        open.end = r;
        open = undefined;
      }
    }
  }
  return triggers;
}

/** Every trigger interval in the log, in start order. */
function findTriggers(index: LogIndex): Trigger[] {
  const triggers: Trigger[] = [];
  const openFaults = new Map<string, Trigger>();
  for (const r of index.faults) {
    if (r.target === undefined || r.data.effect === "agentCrash") continue;
    if (r.type === "fault.started") {
      const t: Trigger = { component: r.target, start: r };
      openFaults.set(r.actor, t);
      triggers.push(t);
    } else {
      const t = openFaults.get(r.actor);
      if (t !== undefined) t.end = r;
      openFaults.delete(r.actor);
    }
  }
  // A rise (or cut) opens an interval remembering the value before it; the first change back to
  // that value (or past it) closes the interval.
  const openWorkloads = new Map<string, { trigger: Trigger; before: number }>();
  for (const r of index.workloadChanges) {
    if (r.target === undefined) continue;
    const from = Number(r.data.from);
    const to = Number(r.data.to);
    const open = openWorkloads.get(r.actor);
    if (open === undefined && to > from) {
      const trigger: Trigger = { component: r.target, start: r };
      openWorkloads.set(r.actor, { trigger, before: from });
      triggers.push(trigger);
    } else if (open !== undefined && to <= open.before) {
      open.trigger.end = r;
      openWorkloads.delete(r.actor);
    }
  }
  triggers.push(...agentLoadTriggers(index));
  for (const changes of index.knobChangesByKnob.values()) {
    if (!isCapacityKnob(changes[0].data.knob)) continue;
    let open: { trigger: Trigger; before: number } | undefined;
    for (const c of changes) {
      if (open === undefined && c.data.to < c.data.from) {
        open = { trigger: { component: c.target, start: c }, before: c.data.from };
        triggers.push(open.trigger);
      } else if (open !== undefined && c.data.to >= open.before) {
        open.trigger.end = c;
        open = undefined;
      }
    }
  }
  return triggers.sort((a, b) => a.start.seq - b.start.seq);
}

interface Episode {
  source: Source;
  root: Trigger;
  /** True when the overload began after the root trigger ended: its end set it off. */
  recovery: boolean;
  lastEnd: EventRecord;
  k0: number;
  k1: number;
  onsetMs: number;
  endMs: number;
  ongoing: boolean;
  persistedMs: number;
}

/** The running count `series` held at time `tMs` (its last sample at or before it; 0 before the first). */
function restartsAt(series: Float32Array, times: ArrayLike<number>, tMs: number): number {
  let value = 0;
  for (let k = 0; k < series.length && times[k] <= tMs; k++) value = series[k];
  return value;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

function stormFinding(view: RunView, index: LogIndex, options: RetryStormOptions, e: Episode): Finding {
  const { source, root, recovery, lastEnd, k0, k1, onsetMs, endMs, ongoing, persistedMs } = e;
  const { telemetry } = view;
  const times = telemetry.times;
  const a = source.amplification;
  // Restarts: the load that matters is on the dependency the replicas cold-start from.
  const loadOf = source.kind === "restarts" ? source.coldStartFrom : source.target;
  const targetLoad = loadOf !== undefined && telemetry.componentIds.includes(loadOf) ? telemetry.series(loadOf, "loadRps") : undefined;
  const errors = telemetry.series(source.component, "errorRate");
  let peak = 0;
  for (let k = k0; k <= k1; k++) peak = Math.max(peak, a[k]);
  // Means over the samples of the episode after the last trigger ended.
  let n = 0;
  let ampSum = 0;
  let loadSum = 0;
  let errorSum = 0;
  let firstSum = 0;
  for (let k = k0; k <= k1; k++) {
    if (times[k] < lastEnd.t) continue;
    n++;
    ampSum += a[k];
    loadSum += targetLoad?.[k] ?? 0;
    errorSum += errors[k];
    firstSum += typeof source.firstAttemptRps === "number" ? source.firstAttemptRps : source.firstAttemptRps[k];
  }
  const mean = (sum: number) => (n > 0 ? sum / n : 0);
  const health = (index.healthByComponent.get(source.target) ?? []).filter((h) => h.t >= root.start.t && h.t <= endMs);
  const witnessSet = new Set<number>([root.start.seq, root.end!.seq, lastEnd.seq, ...health.map((h) => h.seq)]);
  const witnesses = [...witnessSet].sort((x, y) => x - y).map((seq) => index.at(seq)!);
  const actors = [...new Set([root.start.actor, lastEnd.actor])].sort();
  const components = [...new Set([source.component, source.target, ...(source.coldStartFrom !== undefined ? [source.coldStartFrom] : [])])];

  const metrics: Record<string, number> = {
    amplificationPeak: round3(peak),
    amplificationAfter: round3(mean(ampSum)),
    persistedMs,
    triggerMs: root.end!.t - root.start.t,
    onsetMs,
    stormEndMs: endMs,
    ongoing: ongoing ? 1 : 0,
    firstAttemptRps: round3(mean(firstSum)),
    offeredRpsAfter: round3(mean(loadSum)),
    errorRateAfter: round3(mean(errorSum)),
  };
  if (source.restarts !== undefined) metrics.restartsAfter = Math.round(source.restarts[k1] - restartsAt(source.restarts, times, lastEnd.t));
  const until = ongoing ? ` and was still doing so when the run ended at ${formatTime(endMs)}` : ` (until ${formatTime(endMs)})`;
  const what =
    source.kind === "clients"
      ? `${source.component} kept sending ${formatNumber(metrics.amplificationAfter)} attempts per request to ${source.target} (peak ${formatNumber(metrics.amplificationPeak)}) for ${formatSpan(persistedMs)} after its trigger ended at ${formatTime(lastEnd.t)}${until}`
      : source.kind === "leaseTable"
        ? `${source.component} kept processing ${formatNumber(metrics.amplificationAfter)} times its steady renewal rate of jobs (peak ${formatNumber(metrics.amplificationPeak)}) for ${formatSpan(persistedMs)} after its trigger ended at ${formatTime(lastEnd.t)}${until}, as requesters that timed out queued their jobs again`
        : source.kind === "restarts"
          ? `${source.component} stayed down, restarting replicas ${formatNumber(metrics.restartsAfter)} times${source.coldStartFrom !== undefined ? `, each start loading its state from ${source.coldStartFrom} (up to ${formatNumber(metrics.amplificationPeak)} times ${source.coldStartFrom}'s load before the trigger)` : ""}, for ${formatSpan(persistedMs)} after its trigger ended at ${formatTime(lastEnd.t)}${until}`
          : `${source.component} stayed unhealthy under ${formatNumber(metrics.amplificationAfter)} times its load before the trigger (peak ${formatNumber(metrics.amplificationPeak)}) for ${formatSpan(persistedMs)} after its trigger ended at ${formatTime(lastEnd.t)}${until}`;
  const sustainedBy =
    source.kind === "load"
      ? "by the load its own failure and recovery generate (restarts, cold starts, reconnects, retries)"
      : source.kind === "restarts"
        ? source.coldStartFrom !== undefined
          ? `by its own recovery: replicas restarting together overload ${source.coldStartFrom} with their cold starts, the starts fail, and they restart together again`
          : "by its own recovery: its replicas keep failing to start and restarting"
        : "by retries";
  const explanation = [`${what}: the overload outlived what started it, a metastable state sustained ${sustainedBy}.`];
  const reason = reasonOf(root.start);
  const also = lastEnd.seq !== root.end!.seq ? `; the last related trigger ended with ${describeAction(lastEnd)}` : "";
  if (root.point) {
    explanation.push(`Trigger: ${describeAction(root.start)}${reason !== undefined ? ` because ${reason}` : ""}, ${formatSpan(onsetMs - root.start.t)} before the overload began${also}.`);
  } else if (recovery) {
    explanation.push(
      `Trigger: the recovery — the overload began at ${formatTime(onsetMs)}, after ${describeAction(root.end!)} ended what ${describeAction(root.start)} had started${reason !== undefined ? ` because ${reason}` : ""}${also}.`,
    );
  } else {
    explanation.push(`Trigger: ${describeAction(root.start)}${reason !== undefined ? ` because ${reason}` : ""}; it ended with ${describeAction(root.end!)}${also}.`);
  }
  const failed = Math.round(metrics.errorRateAfter * 1000) / 10;
  const load =
    source.kind === "load"
      ? `${source.component} was offered ${formatNumber(Math.round(metrics.offeredRpsAfter))} rps on average against ${formatNumber(Math.round(metrics.firstAttemptRps))} rps before the trigger`
      : source.kind === "clients" ? `${source.target} was offered ${formatNumber(Math.round(metrics.offeredRpsAfter))} rps on average for ${formatNumber(Math.round(metrics.firstAttemptRps))} rps of first attempts` : `it processed ${formatNumber(Math.round(metrics.offeredRpsAfter))} jobs per second for ${formatNumber(Math.round(metrics.firstAttemptRps))} renewals per second due`;
  if (source.kind === "restarts") {
    const burst = Math.round(metrics.amplificationPeak * metrics.firstAttemptRps);
    const dep = source.coldStartFrom !== undefined && burst > 0 ? `; ${source.coldStartFrom} took bursts of up to ${formatNumber(burst)} rps against ${formatNumber(Math.round(metrics.firstAttemptRps))} rps before the trigger` : "";
    explanation.push(`It was unhealthy and restarting replicas from ${formatTime(onsetMs)}${dep}, and ${formatNumber(failed)}% of requests to ${source.component} failed.`);
  } else {
    explanation.push(
      `Amplification first reached ${formatNumber(options.retryAmplificationMin)} at ${formatTime(onsetMs)}; after the trigger ${load}, and ${formatNumber(failed)}% of ${source.kind === "leaseTable" ? "jobs" : "requests"} failed.`,
    );
  }
  if (health.length > 0) {
    const changes = health.slice(0, EXPLAINED_HEALTH_MAX).map((h) => `${h.data.healthy === false ? "unhealthy" : "healthy"} at ${formatTime(h.t)} (#${h.seq})`);
    const more = health.length > EXPLAINED_HEALTH_MAX ? ` and ${health.length - EXPLAINED_HEALTH_MAX} more changes` : "";
    const last = health[health.length - 1];
    explanation.push(`${source.target} turned ${listWords(changes)}${more}${last.data.healthy === false ? `, and was still unhealthy ${ongoing ? "at the end of the run" : "when the storm ended"}` : ""}.`);
  }
  return {
    kind: "retryStorm",
    severity: "critical",
    from: witnesses[0].t,
    to: witnesses[witnesses.length - 1].t,
    subjects: [...actors, ...components],
    actors,
    components,
    witnesses: witnesses.map((w) => w.seq),
    rootCauses: recovery ? [root.end!.seq, root.start.seq] : [root.start.seq],
    metrics,
    explanation,
  };
}
