// Flapping: a component's health alternating between healthy and unhealthy, or the config or
// DNS plan it serves switching back and forth between values (A -> B -> A -> B).
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { ComponentSpec, Scenario } from "../scenario/types.js";
import type { Finding, RunView } from "./finding.js";
import { KIND_RANKS } from "./action-rank.js";
import {
  changePhrase,
  denseRuns,
  describeAction,
  formatNumber,
  formatSpan,
  listWords,
  median,
  reasonOf,
  type KnobChange,
} from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";
import { jsonText } from "../log/json-text.js";

/** Thresholds of the flapping detector. */
export interface FlappingOptions {
  /** Length of the sliding window the flips (health) or returns (config) must fall in. */
  flapWindowMs: number;
  /** health.changed records of one component within one window that make it flapping. */
  healthFlipsMin: number;
  /** Returns to the value served two switches earlier (A -> B -> A) within one window. */
  configReturnsMin: number;
}

// Root causes kept per finding, and switches spelled out one by one in an explanation.
const ROOT_CAUSES_MAX = 8;
const EXPLAINED_SWITCHES_MAX = 4;

/**
 * Finds flapping health and flapping served config. Health: at least `healthFlipsMin`
 * health.changed records of one component within `flapWindowMs` (grouped into episodes by
 * denseRuns); witnesses are those records. Config: the value a configConsumer's `version` knob
 * or a dnsRecord's `plan` knob serves returning to the value it served two switches earlier
 * (A -> B -> A) at least `configReturnsMin` times within the window; witnesses are the switch
 * away and the switch back of each return. Linear in the log: reads what `index` grouped (built
 * from `view.log` when not given). Pure.
 */
export function detectFlapping(view: RunView, options: FlappingOptions, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  return [...detectHealthFlapping(view, options, index), ...detectConfigFlapping(view, options, index)];
}

function componentSpec(scenario: Scenario, id: string): ComponentSpec | undefined {
  return scenario.components.find((c) => c.id === id);
}

function detectHealthFlapping(view: RunView, options: FlappingOptions, index: LogIndex): Finding[] {
  const findings: Finding[] = [];
  for (const [component, flips] of index.healthByComponent) {
    for (const [first, last] of denseRuns(flips.map((f) => f.t), options.flapWindowMs, options.healthFlipsMin)) {
      findings.push(healthFinding(view, component, flips.slice(first, last + 1), index));
    }
  }
  return findings;
}

function healthFinding(view: RunView, component: string, flips: readonly EventRecord[], index: LogIndex): Finding {
  const from = flips[0].t;
  const to = flips[flips.length - 1].t;
  const failures = flips.filter((f) => f.data.healthy === false);
  let unhealthyMs = 0;
  for (let i = 0; i < flips.length - 1; i++) if (flips[i].data.healthy === false) unhealthyMs += flips[i + 1].t - flips[i].t;
  const periodMs = median(failures.slice(1).map((f, i) => f.t - failures[i].t));
  const spanMs = to - from;

  // Root causes: the actions named directly as causes of the failures, ranked as the causal
  // graph ranks them (faults, non-routine actions, routine actions, workload changes), each
  // earliest first.
  const seen = new Set<number>();
  const ranked: { rank: number; record: EventRecord }[] = [];
  for (const f of failures) {
    for (const seq of f.causes) {
      if (seen.has(seq)) continue;
      seen.add(seq);
      const cause = index.at(seq);
      const rank = cause === undefined ? -1 : KIND_RANKS[index.actionKind(seq)];
      if (rank >= 0) ranked.push({ rank, record: cause! });
    }
  }
  const rootCauses = ranked
    .sort((a, b) => a.rank - b.rank || a.record.seq - b.record.seq)
    .slice(0, ROOT_CAUSES_MAX)
    .map((c) => c.record);
  const actors = [...new Set(rootCauses.map((r) => r.actor))].sort();

  const explanation = [
    `${component} flipped between healthy and unhealthy ${flips.length} times between ${formatTime(from)} and ${formatTime(to)}: ` +
      `${failures.length} failures${failures.length > 1 ? `, starting about every ${formatSpan(periodMs)}` : ""}; ` +
      `unhealthy for ${formatSpan(unhealthyMs)} of those ${formatSpan(spanMs)}.`,
  ];
  const firstFailure = failures[0];
  if (firstFailure !== undefined) {
    const recovery = flips.find((f) => f.seq > firstFailure.seq && f.data.healthy === true);
    explanation.push(`It first failed at ${formatTime(firstFailure.t)} with ${healthReading(view.scenario, component, firstFailure)}${recovery ? ` and recovered at ${formatTime(recovery.t)}` : ""}.`);
  }
  if (rootCauses.length > 0) {
    explanation.push(`Its failures name as causes ${listWords(rootCauses.slice(0, 3).map(describeAction))}${rootCauses.length > 3 ? ` and ${rootCauses.length - 3} more` : ""}.`);
  }
  return {
    kind: "flapping",
    severity: "warning",
    from,
    to,
    subjects: [...actors, component],
    actors,
    components: [component],
    witnesses: flips.map((f) => f.seq),
    rootCauses: rootCauses.map((r) => r.seq),
    metrics: {
      flips: flips.length,
      failures: failures.length,
      periodMs,
      unhealthyMs,
      unhealthyShare: spanMs > 0 ? Math.round((unhealthyMs / spanMs) * 1000) / 1000 : 0,
    },
    explanation,
  };
}

/** "errorRate 0.7 (limit 0.05) and p95 25ms (limit 250ms)". */
function healthReading(scenario: Scenario, component: string, r: EventRecord): string {
  const health = componentSpec(scenario, component)?.health;
  const errorRate = formatNumber(Number(r.data.errorRate));
  const p95 = formatNumber(Number(r.data.latencyMsP95));
  if (health === undefined) return `errorRate ${errorRate} and p95 ${p95}ms`;
  return `errorRate ${errorRate} (limit ${formatNumber(health.errorRateMax)}) and p95 ${p95}ms (limit ${formatNumber(health.latencyMsP95Max)}ms)`;
}

/** A served knob: what its values mean. */
interface ServedKnob {
  component: string;
  knob: "version" | "plan";
  /** The value served before the first change. */
  initial: number;
  /** store.document whose versions the knob names. */
  document: string;
}

function servedKnobs(scenario: Scenario): Map<string, ServedKnob> {
  const out = new Map<string, ServedKnob>();
  for (const c of scenario.components) {
    if (c.kind === "configConsumer") out.set(`${c.id}.version`, { component: c.id, knob: "version", initial: c.version, document: `${c.store}.${c.document}` });
    if (c.kind === "dnsRecord") out.set(`${c.id}.plan`, { component: c.id, knob: "plan", initial: c.plan, document: `${c.store}.${c.document}` });
  }
  return out;
}

/** One change of the served value: the record, and the value label it switched to. */
interface Switch {
  record: KnobChange;
  label: string;
}

/**
 * Config flapping. The value a consumer's `version` serves is the CONTENT of that version (rows,
 * bytes, schema, from the document's put or the scenario's initial documents), because
 * regenerated configs get new version numbers while their content alternates (Cloudflare's good
 * and bad feature files); a version change that serves the same content is not a switch. A DNS
 * record's `plan` is compared by version: plan generations have the same shape, and which
 * generation is served is what matters.
 */
function detectConfigFlapping(view: RunView, options: FlappingOptions, index: LogIndex): Finding[] {
  const knobs = servedKnobs(view.scenario);
  if (knobs.size === 0) return [];
  const contents = new Map<string, string>();
  for (const c of view.scenario.components) {
    if (c.kind !== "documentStore") continue;
    for (const d of c.documents) contents.set(`${c.id}.${d.name}@${d.version}`, contentLabel(d.rows, d.sizeBytes, d.schema));
  }
  const label = (served: ServedKnob, value: number): string => {
    if (served.knob === "plan") return `plan ${value}`;
    if (value === 0) return "the newest version";
    return contents.get(`${served.document}@${value}`) ?? `version ${value}`;
  };
  const state = new Map<string, { labels: string[]; switches: Switch[] }>();
  // Puts and served-knob changes in log order: a switch is labelled with the content known when it happened.
  const changes: KnobChange[] = [];
  for (const [key, list] of index.knobChangesByKnob) if (knobs.has(key)) changes.push(...list);
  changes.sort((a, b) => a.seq - b.seq);
  const puts = index.documentWrites.filter((r) => r.type === "document.put" && r.target !== undefined);
  let p = 0;
  for (const r of changes) {
    for (; p < puts.length && puts[p].seq < r.seq; p++) {
      const put = puts[p];
      contents.set(`${put.target}.${String(put.data.document)}@${String(put.data.version)}`, contentLabel(put.data.rows, put.data.sizeBytes, put.data.schema));
    }
    const key = `${r.target}.${jsonText(r.data.knob)}`;
    const served = knobs.get(key)!;
    let s = state.get(key);
    if (s === undefined) state.set(key, (s = { labels: [label(served, served.initial)], switches: [] }));
    const next = label(served, r.data.to);
    if (next === s.labels[s.labels.length - 1]) continue;
    s.labels.push(next);
    s.switches.push({ record: r, label: next });
  }
  const findings: Finding[] = [];
  for (const [key, { labels, switches }] of state) {
    // Switch k moved labels[k] -> labels[k + 1]; it returns when labels[k + 1] === labels[k - 1].
    const returns: number[] = [];
    for (let k = 1; k < switches.length; k++) if (labels[k + 1] === labels[k - 1]) returns.push(k);
    for (const [first, last] of denseRuns(returns.map((k) => switches[k].record.t), options.flapWindowMs, options.configReturnsMin)) {
      findings.push(configFinding(key, knobs.get(key)!, switches, returns.slice(first, last + 1)));
    }
  }
  return findings;
}

function contentLabel(rows: unknown, sizeBytes: unknown, schema: unknown): string {
  return `${String(rows)} rows (${String(sizeBytes)} B, schema ${String(schema)})`;
}

function configFinding(knob: string, served: ServedKnob, switches: readonly Switch[], returns: readonly number[]): Finding {
  const indexes = [...new Set(returns.flatMap((k) => [k - 1, k]))].sort((a, b) => a - b);
  const witnesses = indexes.map((i) => switches[i]);
  const from = witnesses[0].record.t;
  const to = witnesses[witnesses.length - 1].record.t;
  const values: string[] = [];
  for (const w of witnesses) if (!values.includes(w.label)) values.push(w.label);
  const actors = [...new Set(witnesses.map((w) => w.record.actor))].sort();
  const periodMs = median(returns.slice(1).map((k, i) => switches[k].record.t - switches[returns[i]].record.t));
  const explanation = [
    `${knob} went back to the value it served before the previous switch (A -> B -> A) ${returns.length} times between ${formatTime(from)} and ${formatTime(to)}, ` +
      `alternating between ${listWords(values.slice(0, 3))}${values.length > 3 ? ` and ${values.length - 3} other values` : ""}.`,
  ];
  for (const w of witnesses.slice(0, EXPLAINED_SWITCHES_MAX)) {
    const reason = reasonOf(w.record);
    explanation.push(`${w.record.actor} ${changePhrase(w.record)} at ${formatTime(w.record.t)}, now serving ${w.label}${reason !== undefined ? `; reason: ${reason}` : ""}.`);
  }
  if (witnesses.length > EXPLAINED_SWITCHES_MAX) explanation.push(`${witnesses.length - EXPLAINED_SWITCHES_MAX} more switches follow; the witnesses list every one.`);
  return {
    kind: "flapping",
    severity: "warning",
    from,
    to,
    subjects: [...actors, knob, served.component],
    actors,
    components: [served.component],
    knob,
    witnesses: witnesses.map((w) => w.record.seq),
    rootCauses: [witnesses[0].record.seq],
    metrics: { returns: returns.length, switches: witnesses.length, values: values.length, periodMs },
    explanation,
  };
}
