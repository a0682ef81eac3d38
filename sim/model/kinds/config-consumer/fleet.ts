// A config consumer: a fleet of nodes serving traffic like a service while loading a config
// document from a store. Knob `version` picks what is loaded (0 = follow the newest version after
// `propagationMs`; N = version N). Each node group reacts to a config breaking the fleet's rules
// in its own way: crash (at once or crashAfterMs after loading), fail open, or degrade its output.
// Knob `rollout` (percent) stages a version: that share of the fleet loads `version`, the rest
// keeps the version last loaded at 100%; each slice of the fleet remembers when it loaded.
import type { ConfigConsumerSpec, ConsumerGroupSpec } from "../../../scenario/types.js";
import { ruleViolation, type DocumentStore } from "../document-store/documents.js";
import { erlangC, waitQuantileGivenC } from "../../queueing.js";
import { SERVERS_MAX } from "../server/queue.js";

/** The knob naming the config version deployed to a consumer (0 = follow the newest). */
export const VERSION_KNOB = "version";
/** The knob naming the percent of a consumer's nodes that load `version` (the rest keep the stable version). */
export const ROLLOUT_KNOB = "rollout";

// Same shedding point as servers, so queueing formulas stay finite.
const UTILIZATION_SERVED_MAX = 0.99;
// Versions waiting out the propagation delay; a store writing faster than this per delay only
// makes the consumer skip the oldest, which it would supersede anyway.
const PENDING_MAX = 64;
// Fleet slices; only a rollout going up and down many times without a new version needs more,
// and then neighbours on the same version are merged (see reconcileSlices).
const SLICES_MAX = 32;

/** The config a consumer's nodes have loaded. Version 0 is the built-in config, always valid. */
export interface LoadedConfig {
  version: number;
  rows: number;
  sizeBytes: number;
  schema: string;
  /** Seq of the event that stored the version (0 for the built-in config and initial documents). */
  writer: number;
  loadedAtMs: number;
  /** The first rule of the consumer the config breaks, or null. */
  violation: string | null;
}

/**
 * Nodes at positions [from, to) of the fleet (fractions of replicas) running `config` since
 * `loadedAtMs`. Groups are spread evenly over positions, so a slice holds each group's share.
 */
export interface FleetSlice {
  from: number;
  to: number;
  config: LoadedConfig;
  loadedAtMs: number;
}

/** What a consumer has loaded and, when following the newest version, what it is about to load. Mutable. */
export interface ConsumerState {
  /** The config knob `version` names: what the rollout share of the fleet runs. */
  loaded: LoadedConfig;
  /** The config last loaded with rollout at 100%: what the rest of the fleet runs. */
  stable: LoadedConfig;
  /** Who runs what since when, covering [0, 1) in order (at most SLICES_MAX). */
  slices: FleetSlice[];
  /** Versions seen in the store, each loadable from dueMs (ascending, at most PENDING_MAX). */
  pending: { version: number; dueMs: number }[];
  /** The newest version queued while following; reset when the consumer stops following. */
  queuedVersion: number;
  following: boolean;
  /** False while the consumer's `applyWhen` flag is off: every node runs the built-in config. */
  applying: boolean;
  /** When `applying` last became true (a bad config's `crashAfter` counts from then at the earliest). */
  applyingSinceMs: number;
}

/** How one node group is doing with the loaded config. */
export type GroupStatus = "serving" | "crashed" | "degraded";

const BUILT_IN: LoadedConfig = { version: 0, rows: 0, sizeBytes: 0, schema: "", writer: 0, loadedAtMs: 0, violation: null };

/**
 * The state of a consumer at the start of a run: the version its `version` field names (the
 * newest when 0) is loaded at time 0, or the built-in config when that version does not exist.
 */
export function createConsumerState(spec: ConfigConsumerSpec, store: DocumentStore): ConsumerState {
  const doc = store.get(spec.document, spec.version === 0 ? undefined : spec.version);
  const loaded = doc ? load(spec, doc, 0) : { ...BUILT_IN };
  return { loaded, stable: loaded, slices: [{ from: 0, to: 1, config: loaded, loadedAtMs: 0 }], pending: [], queuedVersion: loaded.version, following: spec.version === 0, applying: true, applyingSinceMs: 0 };
}

/** Why writing `value` to `knob` of consumer `spec` is invalid, or null. Pure. */
export function checkConsumerKnob(spec: ConfigConsumerSpec, knob: string, value: number): string | null {
  if (knob === ROLLOUT_KNOB) {
    return value >= 0 && value <= 100 ? null : `${spec.id}.${ROLLOUT_KNOB} must be a percent in [0, 100], got ${value}`;
  }
  if (knob === VERSION_KNOB) {
    return Number.isInteger(value) && value >= 0 ? null : `${spec.id}.${VERSION_KNOB} must be a whole version number >= 0 (0 = follow the newest), got ${value}`;
  }
  if (!Number.isInteger(value)) return `${spec.id}.replicas must be a whole number, got ${value}`;
  if (value < spec.replicasMin || value > spec.replicasMax) return `${spec.id}.replicas must be in [${spec.replicasMin}, ${spec.replicasMax}], got ${value}`;
  return null;
}

/**
 * Loads what knob `version` asks for at `tMs` on the first `rolloutPercent` of the fleet, and the
 * stable version on the rest: version N as soon as it exists (a missing version leaves the loaded
 * config in place); with 0, each new newest version `propagationMs` after the first step that saw
 * it. At 100% the loaded config becomes the stable one. `applying` (the `applyWhen` flag) false
 * puts every node on the built-in config without unloading anything. Returns true when any node's
 * config changed.
 */
export function updateConsumer(state: ConsumerState, spec: ConfigConsumerSpec, version: number, store: DocumentStore, tMs: number, rolloutPercent = 100, applying = true): boolean {
  const gateChanged = applying !== state.applying;
  if (gateChanged) {
    state.applying = applying;
    if (applying) state.applyingSinceMs = tMs;
  }
  const changed = updateLoaded(state, spec, version, store, tMs) || gateChanged;
  const resliced = reconcileSlices(state, rolloutPercent / 100, tMs);
  if (rolloutPercent >= 100) state.stable = state.loaded;
  return changed || resliced;
}

/**
 * Makes the slices in [0, share) run the loaded config and the rest the stable one; a slice that
 * switches version reloads at `tMs` (crashed nodes restart with it). Returns true when any did.
 */
function reconcileSlices(state: ConsumerState, share: number, tMs: number): boolean {
  const out: FleetSlice[] = [];
  let changed = false;
  const place = (from: number, to: number, old: FleetSlice) => {
    if (to <= from) return;
    const want = from < share ? state.loaded : state.stable;
    const keep = old.config.version === want.version;
    if (!keep) changed = true;
    const slice = keep ? { from, to, config: old.config, loadedAtMs: old.loadedAtMs } : { from, to, config: want, loadedAtMs: tMs };
    const last = out[out.length - 1];
    if (last && last.config.version === slice.config.version && last.loadedAtMs === slice.loadedAtMs) last.to = to;
    else out.push(slice);
  };
  for (const s of state.slices) {
    if (s.from < share && share < s.to) {
      place(s.from, share, s);
      place(share, s.to, s);
    } else {
      place(s.from, s.to, s);
    }
  }
  // Merging neighbours on one version keeps the later load time: those nodes crash later than
  // some really would, an approximation only a rollout moved more than SLICES_MAX times reaches.
  while (out.length > SLICES_MAX) {
    const i = out.findIndex((s, k) => k + 1 < out.length && out[k + 1].config.version === s.config.version);
    if (i < 0) break;
    out.splice(i, 2, { ...out[i], to: out[i + 1].to, loadedAtMs: Math.max(out[i].loadedAtMs, out[i + 1].loadedAtMs) });
  }
  state.slices = out;
  return changed;
}

function updateLoaded(state: ConsumerState, spec: ConfigConsumerSpec, version: number, store: DocumentStore, tMs: number): boolean {
  if (version > 0) {
    state.following = false;
    state.pending.length = 0;
    if (state.loaded.version === version) return false;
    const doc = store.get(spec.document, version);
    if (!doc) return false;
    state.loaded = load(spec, doc, tMs);
    return true;
  }
  if (!state.following) {
    state.following = true;
    state.queuedVersion = state.loaded.version;
  }
  const latest = store.get(spec.document);
  if (latest && latest.version > state.queuedVersion) {
    state.pending.push({ version: latest.version, dueMs: tMs + spec.propagationMs });
    if (state.pending.length > PENDING_MAX) state.pending.shift();
    state.queuedVersion = latest.version;
  }
  let due = -1;
  while (due + 1 < state.pending.length && state.pending[due + 1].dueMs <= tMs) due++;
  if (due < 0) return false;
  const next = state.pending[due].version;
  state.pending.splice(0, due + 1);
  const doc = store.get(spec.document, next);
  if (!doc || doc.version === state.loaded.version) return false;
  state.loaded = load(spec, doc, tMs);
  return true;
}

/** How `group` is doing at `tMs` with `loaded`. Pure. */
export function groupStatus(group: ConsumerGroupSpec, loaded: LoadedConfig, tMs: number): GroupStatus {
  return statusSince(group, loaded.violation, loaded.loadedAtMs, tMs);
}

function statusSince(group: ConsumerGroupSpec, violation: string | null, loadedAtMs: number, tMs: number): GroupStatus {
  if (violation === null) return "serving";
  switch (group.onViolation) {
    case "failOpen":
      return "serving";
    case "degrade":
      return "degraded";
    case "crash":
      return tMs >= loadedAtMs + group.crashAfterMs ? "crashed" : "serving";
  }
}

/**
 * Node count of each group: `replicas` split by share with the largest-remainder method, so the
 * counts are whole and add up to `replicas`. Pure.
 */
export function groupNodes(groups: readonly ConsumerGroupSpec[], replicas: number): number[] {
  const exact = groups.map((g) => g.share * replicas);
  const nodes = exact.map(Math.floor);
  let left = replicas - nodes.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    nodes[i]++;
    left--;
  }
  return nodes;
}

/** One step of a consumer's own serving. */
export interface ConsumerServe {
  servedRps: number;
  ownErrorRate: number;
  /** Own latency quantiles p50, p95, p99 of served requests, in ms. */
  latencyMs: [number, number, number];
  /** Offered load per node / capacity per node (crashed nodes still receive their share, unless the fleet fails over). */
  utilization: number;
  /** Share of nodes serving (not crashed). */
  available: number;
  /** Share of offered requests served with degraded output. */
  degraded: number;
  crashedNodes: number;
}

/**
 * Serves `offeredRps` at `tMs`. Load is spread evenly over all nodes (the fleet's own balancer
 * does not see a crash): requests reaching crashed nodes fail at once; the rest queue M/M/c on
 * the serving nodes like a server's. With `failover` the balancer sees crashes and spreads the
 * load over the serving nodes only, so survivors carry the crashed nodes' share. Node counts per
 * group and slice are rounded to whole nodes. Pure.
 */
export function serveConsumer(spec: ConfigConsumerSpec, state: ConsumerState, replicas: number, offeredRps: number, tMs: number): ConsumerServe {
  const nodes = groupNodes(spec.groups, replicas);
  let crashedExact = 0;
  let degradedExact = 0;
  spec.groups.forEach((g, i) => {
    for (const s of state.slices) {
      // With the applyWhen flag off the nodes run the built-in config, which breaks no rule.
      const status = state.applying ? statusSince(g, s.config.violation, Math.max(s.loadedAtMs, state.applyingSinceMs), tMs) : "serving";
      if (status === "crashed") crashedExact += nodes[i] * (s.to - s.from);
      else if (status === "degraded") degradedExact += nodes[i] * (s.to - s.from);
    }
  });
  const crashed = Math.round(crashedExact);
  const degradedNodes = Math.round(degradedExact);
  const serving = replicas - crashed;
  const perNodeRps = spec.capacityPerReplicaRps;
  const base = spec.baseLatencyMs;
  const receiving = spec.failover ? serving : replicas;
  const utilization = receiving > 0 ? offeredRps / (receiving * perNodeRps) : offeredRps > 0 ? Infinity : 0;
  if (serving === 0) {
    // Crashed nodes answer with an error at once, so failures are fast.
    return { servedRps: 0, ownErrorRate: offeredRps > 0 ? 1 : 0, latencyMs: [base, base, base], utilization, available: 0, degraded: 0, crashedNodes: crashed };
  }
  const servingShare = spec.failover ? 1 : serving / replicas;
  const routed = spec.failover ? offeredRps : (offeredRps * serving) / replicas;
  const capacity = serving * perNodeRps;
  const served = Math.min(routed, capacity * UTILIZATION_SERVED_MAX);
  const shed = routed > 0 ? (routed - served) / routed : 0;
  // Each node is `slots` parallel servers of mean service time baseLatencyMs (Little's law).
  // Huge pools are capped like servers' (SERVERS_MAX, keeping the capacity), and an unbounded
  // capacity serves at base latency, so any capacity that validates runs.
  const slots = Math.max(1, Math.round((perNodeRps * base) / 1000));
  const uncapped = serving * slots;
  const servers = Math.min(SERVERS_MAX, uncapped);
  const muPerMs = servers === uncapped ? perNodeRps / slots / 1000 : capacity / servers / 1000;
  const lambdaPerMs = served / 1000;
  const c = capacity === Infinity || lambdaPerMs === 0 ? 0 : erlangC(servers, Math.min(servers, lambdaPerMs / muPerMs));
  const drain = capacity === Infinity ? Infinity : servers * muPerMs - lambdaPerMs;
  const max = spec.latencyMsMax;
  const latencyMs: [number, number, number] = [
    Math.min(max, base + waitQuantileGivenC(c, drain, 0.5)),
    Math.min(max, base + waitQuantileGivenC(c, drain, 0.95)),
    Math.min(max, base + waitQuantileGivenC(c, drain, 0.99)),
  ];
  const timedOut = c === 0 ? 0 : Math.min(1, c * Math.exp(-drain * Math.max(0, max - base)));
  const ok = (1 - shed) * (1 - timedOut);
  return {
    servedRps: served * (1 - timedOut),
    ownErrorRate: offeredRps > 0 ? 1 - servingShare * ok : 0,
    latencyMs,
    utilization,
    available: serving / replicas,
    degraded: offeredRps > 0 ? (degradedNodes / receiving) * ok : 0,
    crashedNodes: crashed,
  };
}

function load(spec: ConfigConsumerSpec, doc: { version: number; rows: number; sizeBytes: number; schema: string; writer: number }, tMs: number): LoadedConfig {
  return { version: doc.version, rows: doc.rows, sizeBytes: doc.sizeBytes, schema: doc.schema, writer: doc.writer, loadedAtMs: tMs, violation: ruleViolation(doc, spec.rules) };
}
