// Where two event logs first differ in meaning: records are aligned by what they are about (not by
// seq) and compared on what they mean (who did what to which knob or document, with which value,
// and whether it was applied); differences only in fields outside that meaning are listed apart.
// Also the first seq where the hash chains part. Pure.
import { formatTime } from "../core/units.js";
import { canonicalJson } from "../log/canonical-json.js";
import { describeRecord, knobOf } from "../export/describe.js";
import type { EventRecord, JsonValue } from "../log/record.js";
import { jsonText } from "../log/json-text.js";

/**
 * How the first meaningful difference shows: `outcome` — the same command applied on one side and
 * refused (rejected, held, suppressed, dropped as a duplicate) on the other, or refused
 * differently; `value` — the same kind of record with a different value (another `to`, version,
 * policy, health...); `onlyOneSide` — a record the other log has no counterpart for.
 */
export type DivergenceKind = "outcome" | "value" | "onlyOneSide";

/** The first divergence in meaning: both sides' records (either may be missing) and a sentence. */
export interface MeaningDivergence {
  kind: DivergenceKind;
  /** Simulated time of the divergence (matched records share their instant). */
  t: number;
  a?: EventRecord;
  b?: EventRecord;
  /** The meaning fields that differ: `outcome`, `type`, `data.to`, `onBehalfOf`...; empty for `onlyOneSide`. */
  fields: string[];
  /** One sentence naming the actor, the knob or document, the value, the time and both sides. */
  description: string;
}

/**
 * Two aligned records that mean the same but differ in fields outside the meaning (`fields`, e.g.
 * `data.expectedVersion`, `causes`), or a bookkeeping record present on one side only (`fields`
 * empty, the other side missing).
 */
export interface HiddenDifference {
  a?: EventRecord;
  b?: EventRecord;
  fields: string[];
  /** One line: time, actor, what the record means, both seqs and the differing fields. */
  description: string;
}

/** How two logs differ: in meaning, in hidden fields only, and where their hash chains part. */
export interface LogDivergence {
  /** The first divergence in meaning, or null when the logs mean the same throughout. */
  divergence: MeaningDivergence | null;
  /** Hidden-field differences before the first divergence in meaning (all of them when there is none). */
  hidden: { count: number; first: HiddenDifference[] };
  /** The first seq whose record hash differs ("the chains diverge at #N"), or null when the logs are identical. */
  chainDivergence: number | null;
}

/** Names of the two sides in descriptions, e.g. `{ a: "blind", b: "coordinated" }`. */
export interface SideLabels {
  a: string;
  b: string;
}

/** How many hidden-field differences are kept with their records (the rest are counted). */
export const HIDDEN_SHOWN_MAX = 5;

/**
 * Data fields that carry a record's meaning: the knob or document acted on, the value written
 * (from/to, version, document content), the refused value and the refusing policy, health, fault
 * effect, lease holder. Every other field (expectedVersion, readVersion, reason, intent, measured
 * error rates, queue counters...) explains or bookkeeps and is compared as a hidden field. An
 * allow-list on purpose: a field added later on one side only shows up as a hidden difference
 * with its name instead of hiding the real divergence behind a false one.
 */
const MEANING_DATA: ReadonlySet<string> = new Set(["knob", "document", "op", "from", "to", "version", "rows", "sizeBytes", "schema", "value", "policy", "healthy", "effect", "holder"]);

/** Commands that reached the log without changing the world. */
const REFUSED = new Set(["command.rejected", "command.held", "command.duplicate", "command.suppressed"]);

/**
 * Records that only bookkeep coordination or the run itself, or narrate it (an agent's `log`). One present on one side only (an
 * intent published under the coordinated variant, a what-if's `intervention.applied`) is a hidden
 * difference, not a divergence: what it leads to (a rejected command) is.
 */
const BOOKKEEPING = new Set(["run.started", "intent.published", "lease.acquired", "intervention.applied", "agent.logged"]);

/** Fields of `run.started` that name the run compared (variant, seed, scenario digest, engine). */
const RUN_IDENTITY: ReadonlySet<string> = new Set(["data.variant", "data.seed", "data.scenarioSha256", "data.engine"]);

/** The first seq at which the two hash chains differ, or null when they are identical. Pure. */
export function chainDivergence(a: readonly EventRecord[], b: readonly EventRecord[]): number | null {
  const n = Math.min(a.length, b.length);
  // Chained hashes: equal hashes at k mean equal records 0..k, so binary search would do; a
  // linear scan keeps it obvious and is cheap next to running the simulation.
  for (let i = 0; i < n; i++) if (a[i].hash !== b[i].hash) return i;
  return a.length === b.length ? null : n;
}

/**
 * Compares logs `a` and `b` in meaning: the first divergence, the hidden-field differences before
 * it (at most `shownMax` kept, all counted) and the hash-chain divergence. Pure.
 *
 * Alignment: both logs are walked in time order, one simulated instant at a time. Within an
 * instant, each record of `a` (in log order) is matched with the first unmatched record of `b` at
 * the same instant with the same key: actor, target and subject, where a command's subject is its
 * knob or document (so an applied write and its `command.rejected` match) and any other record's
 * is its type plus the knob or document it names. Matched pairs are compared; unmatched records
 * are on one side only. An extra record on one side therefore shifts nothing after it, and
 * records at different times never match (after the runs part in time, that part is different).
 */
export function divergenceOf(a: readonly EventRecord[], b: readonly EventRecord[], labels: SideLabels, shownMax = HIDDEN_SHOWN_MAX): LogDivergence {
  const chain = chainDivergence(a, b);
  const hidden: { count: number; first: HiddenDifference[] } = { count: 0, first: [] };
  if (chain === null) return { divergence: null, hidden, chainDivergence: null };
  // Records before the chain divergence are identical (same hash, same chain), so alignment starts
  // there; an identical record earlier in the same instant would only have matched its twin.
  let i = chain;
  let j = chain;
  while (i < a.length || j < b.length) {
    const t = Math.min(a[i]?.t ?? Infinity, b[j]?.t ?? Infinity);
    let iEnd = i;
    while (iEnd < a.length && a[iEnd].t === t) iEnd++;
    let jEnd = j;
    while (jEnd < b.length && b[jEnd].t === t) jEnd++;
    for (const entry of alignInstant(a.slice(i, iEnd), b.slice(j, jEnd))) {
      const found = classify(entry, labels);
      if (found === null) continue;
      if ("kind" in found) return { divergence: found, hidden, chainDivergence: chain };
      hidden.count++;
      // Described only when kept: a long run may have a hidden difference on every record.
      if (hidden.first.length < shownMax) hidden.first.push({ ...found, description: hiddenWords(found, labels) });
    }
    i = iEnd;
    j = jEnd;
  }
  return { divergence: null, hidden, chainDivergence: chain };
}

interface Entry {
  a?: EventRecord;
  b?: EventRecord;
  /**
   * Position within the instant: for a pair the later of its two indexes, so that a record on one
   * side only (a what-if's `intervention.applied`) comes before the pair logged after it there.
   */
  pos: number;
}

/** Matches the records of one instant by key (see divergenceOf) and orders the result. */
function alignInstant(as: readonly EventRecord[], bs: readonly EventRecord[]): Entry[] {
  const waiting = new Map<string, number[]>();
  bs.forEach((r, k) => {
    const key = keyOf(r);
    const queue = waiting.get(key);
    if (queue) queue.push(k);
    else waiting.set(key, [k]);
  });
  const matched = new Set<number>();
  const entries: Entry[] = [];
  as.forEach((r, k) => {
    const m = waiting.get(keyOf(r))?.shift();
    if (m === undefined) {
      entries.push({ a: r, pos: k });
    } else {
      matched.add(m);
      entries.push({ a: r, b: bs[m], pos: Math.max(k, m) });
    }
  });
  bs.forEach((r, k) => {
    if (!matched.has(k)) entries.push({ b: r, pos: k });
  });
  // Stable sort: at equal positions, entries with an `a` record (pushed first) come first.
  // Records of one instant have no order between the two logs; this one keeps each log's mostly.
  return entries.sort((x, y) => x.pos - y.pos);
}

function keyOf(r: EventRecord): string {
  const subject = typeof r.data.knob === "string" ? `knob ${r.data.knob}` : typeof r.data.document === "string" ? `document ${r.data.document}` : "";
  // Ids come from the scenario and never hold a control character: \u0001 separates safely.
  return `${isCommand(r) ? "command" : r.type}\u0001${r.actor}\u0001${r.target ?? ""}\u0001${subject}`;
}

/** An applied knob change or document write. */
function isApplied(r: EventRecord): boolean {
  return (typeof r.data.knob === "string" && typeof r.data.to === "number") || r.type === "document.put" || r.type === "document.deleted";
}

function isCommand(r: EventRecord): boolean {
  return isApplied(r) || REFUSED.has(r.type);
}

/** A divergence, a hidden difference (not yet described), or null when the entry's records are the same. */
function classify(entry: Entry, labels: SideLabels): MeaningDivergence | Omit<HiddenDifference, "description"> | null {
  const { a, b } = entry;
  if (!a || !b) {
    const r = (a ?? b)!;
    if (BOOKKEEPING.has(r.type)) return { a, b, fields: [] };
    const side = a ? labels.a : labels.b;
    const other = a ? labels.b : labels.a;
    return { kind: "onlyOneSide", t: r.t, a, b, fields: [], description: `at ${formatTime(r.t)} only ${side} has #${r.seq} ${r.actor}: ${oneSided(r)}; ${other} has no such record at that time` };
  }
  if (outcomeOf(a) !== outcomeOf(b)) return outcomeDivergence(a, b, labels);
  const { meaning, hidden: differing } = fieldDifferences(a, b);
  // Which variant and seed ran is the comparison's premise (shown in its header), not a difference found.
  const hidden = a.type === "run.started" ? differing.filter((f) => !RUN_IDENTITY.has(f)) : differing;
  if (meaning.length > 0) {
    return {
      kind: "value",
      t: a.t,
      a,
      b,
      fields: meaning,
      description: `at ${formatTime(a.t)} ${a.actor}'s ${subjectWords(a)} differs in ${meaning.join(", ")}: ${meaningWords(a)} in ${labels.a} (#${a.seq}), ${meaningWords(b)} in ${labels.b} (#${b.seq})`,
    };
  }
  return hidden.length === 0 ? null : { a, b, fields: hidden };
}

/** One line for a hidden difference: time, actor, what the record means, seqs, differing fields. */
function hiddenWords(h: Omit<HiddenDifference, "description">, labels: SideLabels): string {
  const r = (h.a ?? h.b)!;
  const where = h.a && h.b ? `${labels.a} #${h.a.seq}, ${labels.b} #${h.b.seq}` : `only in ${h.a ? labels.a : labels.b}, #${r.seq}`;
  return `${formatTime(r.t)} ${r.actor}: ${meaningWords(r)} (${where})${h.fields.length ? ` differs in ${h.fields.join(", ")}` : ""}`;
}

/** `applied`, the refusing record's type (`command.rejected`...), or `event` for anything else. */
function outcomeOf(r: EventRecord): string {
  return isApplied(r) ? "applied" : REFUSED.has(r.type) ? r.type : "event";
}

function outcomeDivergence(a: EventRecord, b: EventRecord, labels: SideLabels): MeaningDivergence {
  // Name the write by its applied side when there is one: it carries from and to.
  const write = isApplied(a) ? a : isApplied(b) ? b : a;
  const reasons = [a, b].filter((r) => REFUSED.has(r.type) && typeof r.data.reason === "string").map((r) => String(r.data.reason));
  const description = `${a.actor}'s write ${writeWords(write)} at ${formatTime(a.t)} was ${outcomeWords(a, labels.a)} and ${outcomeWords(b, labels.b)}${reasons.length ? `: ${reasons.join("; ")}` : ""}`;
  const fields = ["outcome", ...(a.type !== b.type ? ["type"] : [])];
  return { kind: "outcome", t: a.t, a, b, fields, description };
}

/**
 * Names of the fields that differ, split into the meaning fields (`type`, `onBehalfOf`,
 * `data.<MEANING_DATA>`) and the hidden ones (`causes`, every other `data.*`). seq, hash and prev
 * are never compared: they are positions in a chain, and after the chains part every one differs.
 */
function fieldDifferences(a: EventRecord, b: EventRecord): { meaning: string[]; hidden: string[] } {
  const meaningData: string[] = [];
  const hiddenData: string[] = [];
  for (const k in a.data) {
    if (!sameJson(a.data[k], b.data[k])) (MEANING_DATA.has(k) ? meaningData : hiddenData).push(`data.${k}`);
  }
  for (const k in b.data) {
    if (!(k in a.data)) (MEANING_DATA.has(k) ? meaningData : hiddenData).push(`data.${k}`);
  }
  const meaning = [...(a.type !== b.type ? ["type"] : []), ...(a.onBehalfOf !== b.onBehalfOf ? ["onBehalfOf"] : []), ...meaningData.sort()];
  const causes = a.causes.length !== b.causes.length || a.causes.some((c, k) => c !== b.causes[k]);
  return { meaning, hidden: [...(causes ? ["causes"] : []), ...hiddenData.sort()] };
}

function sameJson(x: JsonValue | undefined, y: JsonValue | undefined): boolean {
  // Most values are numbers and strings: compare those directly, serialize only structures.
  if (x === y) return true;
  if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
  return canonicalJson(x) === canonicalJson(y);
}

/** `ddb-dns.plan 17 -> 4`, `put plans.plan version 19`, or the refused value `ddb-dns.plan = 4`. */
function writeWords(r: EventRecord): string {
  const d = r.data;
  const subject = knobOf(r) ?? r.target ?? "?";
  if (typeof d.to === "number") return `${subject} ${jsonText(d.from)} -> ${d.to}`;
  if (r.type === "document.put" || (r.type !== "document.deleted" && d.op === "put")) return `put ${subject} version ${text(d.version)}`;
  if (r.type === "document.deleted" || d.op === "delete") return `delete ${subject} version ${text(d.version)}`;
  return `${subject} = ${text(d.value ?? d.version)}`;
}

/** `applied in blind (#38)`, `rejected by compareAndSet in coordinated (#38)`... */
function outcomeWords(r: EventRecord, side: string): string {
  const d = r.data;
  const at = `in ${side} (#${r.seq})`;
  switch (r.type) {
    case "command.rejected":
      return `rejected by ${text(d.policy)} ${at}`;
    case "command.held":
      return `held by ${text(d.policy)}${typeof d.untilMs === "number" ? ` until ${formatTime(d.untilMs)}` : ""} ${at}`;
    case "command.duplicate":
      return `dropped as a duplicate by ${text(d.policy)} ${at}`;
    case "command.suppressed":
      return `suppressed by the intervention (${text(d.intervention)}) ${at}`;
  }
  // Only commands reach here (an outcome differs between two records matched as commands).
  return `applied ${at}`;
}

/** What a record means, in words (a command without its reason): `web.replicas 8 -> 6`, `became unhealthy`. */
function meaningWords(r: EventRecord): string {
  if (isApplied(r)) return writeWords(r);
  if (REFUSED.has(r.type)) return `${r.type.slice("command.".length)} ${writeWords(r)}${typeof r.data.policy === "string" ? ` by ${r.data.policy}` : ""}`;
  if (r.type === "health.changed") return `${r.target !== undefined && r.target !== r.actor ? `${r.target} ` : ""}became ${r.data.healthy === true ? "healthy" : "unhealthy"}`;
  return describeRecord(r);
}

/** A record on one side only, with its reason (there is nothing on the other side to compare). */
function oneSided(r: EventRecord): string {
  const why = typeof r.data.reason === "string" && !REFUSED.has(r.type) && r.type !== "run.ended" ? ` because ${r.data.reason}` : REFUSED.has(r.type) ? `: ${text(r.data.reason)}` : "";
  return `${meaningWords(r)}${why}`;
}

function subjectWords(r: EventRecord): string {
  if (isCommand(r)) return `write of ${knobOf(r) ?? r.target ?? "?"}`;
  return `${r.type}${r.target !== undefined ? ` on ${r.target}` : ""}`;
}

function text(v: JsonValue | undefined): string {
  if (v === undefined) return "?";
  return typeof v === "string" ? v : canonicalJson(v);
}
