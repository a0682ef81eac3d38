// Lost updates: a knob or document write based on a stale read, which overwrote a newer write by
// another actor that a compare-and-set on the version would have protected. One finding per stale write.
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import type { Scenario } from "../scenario/types.js";
import type { Finding, RunView } from "./finding.js";
import { changePhrase, formatNumber, formatSpan, listWords, type KnobChange } from "./explain.js";
import { buildLogIndex, type LogIndex } from "./log-index.js";
import { jsonText } from "../log/json-text.js";

/** A knob whose value names a version of a document: a DNS record's `plan`, a config consumer's `version`. */
interface ServedDocument {
  /** `store.document` the knob's values are versions of. */
  document: string;
  /** What one version is called in prose: `plan` or `version`. */
  noun: string;
}

/** Which rule found the stale write. */
type Rule = "readVersion" | "valueOrder";

/** One stale write and what it overwrote. */
interface StaleWrite {
  rule: Rule;
  knob: string;
  stale: EventRecord;
  /** The newest write by another actor that landed between the stale write's read and the write. */
  overwritten: EventRecord;
  /** The record the stale write was based on: the write of the version it read, or the put of the document version it applied. */
  basis?: EventRecord;
  /** readVersion: the version read, the version at write time, and the writes by others in between. */
  expectedVersion?: number;
  /** readVersion: the data field that named the version read (`expectedVersion` when fenced, else `readVersion`). */
  readField?: string;
  actualVersion?: number;
  /** readVersion: when the version read stopped being current (the next write), if known. */
  readBefore?: EventRecord;
  interveningByOthers: EventRecord[];
}

/**
 * Finds lost updates, by two rules.
 *
 * readVersion: a write that names the version it was based on (`expectedVersion`: agents with
 * fencing send the knob version they read; `readVersion`: the version an agent logs as read
 * without fencing, e.g. every enactor apply; a document put may carry the latest version it read)
 * while the knob or document had been written since by another actor. For a knob, its version
 * before a write is the number of applied changes of it logged before (the world counts versions
 * the same way); for a document, the latest live version (initial documents, puts and deletes).
 * The compareAndSet policy would reject exactly these writes. Writes in between by the same actor
 * only are left out: an actor superseding itself loses nobody's update.
 *
 * valueOrder: for writes that name no read version, on knobs whose value is a document version
 * that only moves forward (a dnsRecord's `plan`, a configConsumer's `version`): a write that
 * lowers the value, overwriting a value written by another actor, went backwards. Value 0 (no
 * plan; "follow the newest version") is not a version and is left out on either side.
 *
 * Witnesses: the overwritten write, the stale write, and what the stale write was based on when
 * the log has it (readVersion: the write that produced the version read; valueOrder: the put of
 * the document version it applied). When the version a served knob was set back to is deleted
 * while the knob points at it (or was deleted already), the explanation says so.
 *
 * Linear in the knob changes and document writes `index` grouped (built from `view.log` when
 * not given). Pure.
 */
export function detectLostUpdates(view: RunView, index: LogIndex = buildLogIndex(view.log)): Finding[] {
  const served = servedDocuments(view.scenario);
  const stale: StaleWrite[] = [];
  for (const [knob, changes] of index.knobChangesByKnob) {
    const document = served.get(knob);
    changes.forEach((w, i) => {
      const read = typeof w.data.expectedVersion === "number" ? w.data.expectedVersion : typeof w.data.readVersion === "number" ? w.data.readVersion : undefined;
      const found = read !== undefined ? readVersionRule(knob, changes, i, read, typeof w.data.expectedVersion === "number" ? "expectedVersion" : "readVersion") : document !== undefined ? valueOrderRule(knob, changes, i, document, index) : undefined;
      if (found !== undefined) stale.push(found);
    });
  }
  stale.push(...staleDocumentPuts(view.scenario, index));
  return stale.map((s) => finding(s, served.get(s.knob), index));
}

function servedDocuments(scenario: Scenario): Map<string, ServedDocument> {
  const out = new Map<string, ServedDocument>();
  for (const c of scenario.components) {
    if (c.kind === "dnsRecord") out.set(`${c.id}.plan`, { document: `${c.store}.${c.document}`, noun: "plan" });
    if (c.kind === "configConsumer") out.set(`${c.id}.version`, { document: `${c.store}.${c.document}`, noun: "version" });
  }
  return out;
}

/** Change `i` of a knob names `expected` as the version it read; changes[k] produced version k + 1. */
function readVersionRule(knob: string, changes: readonly KnobChange[], i: number, expected: number, readField: string): StaleWrite | undefined {
  const w = changes[i];
  if (!(expected >= 0 && expected < i)) return undefined;
  const intervening = changes.slice(expected, i);
  const interveningByOthers = intervening.filter((c) => c.actor !== w.actor);
  const overwritten = interveningByOthers[interveningByOthers.length - 1];
  if (overwritten === undefined) return undefined;
  return {
    rule: "readVersion",
    knob,
    stale: w,
    overwritten,
    basis: expected > 0 ? changes[expected - 1] : undefined,
    expectedVersion: expected,
    readField,
    actualVersion: i,
    readBefore: changes[expected],
    interveningByOthers,
  };
}

function valueOrderRule(knob: string, changes: readonly KnobChange[], i: number, served: ServedDocument, index: LogIndex): StaleWrite | undefined {
  const w = changes[i];
  const previous = changes[i - 1];
  const { from, to } = w.data;
  if (previous === undefined || previous.actor === w.actor || !(to < from) || to <= 0) return undefined;
  const basis = (index.documentWritesByDocument.get(served.document) ?? []).find((r) => r.type === "document.put" && r.data.version === to && r.seq < w.seq);
  return { rule: "valueOrder", knob, stale: w, overwritten: previous, basis, interveningByOthers: [previous] };
}

/**
 * Document puts that name the version they read (`expectedVersion`) while a later version by
 * another actor was already the latest. The latest version is tracked from the scenario's
 * initial documents and every put and delete.
 */
function staleDocumentPuts(scenario: Scenario, index: LogIndex): StaleWrite[] {
  const out: StaleWrite[] = [];
  for (const [key, writes] of index.documentWritesByDocument) {
    if (!writes.some((r) => r.type === "document.put" && typeof r.data.expectedVersion === "number")) continue;
    // Live versions -> the put that wrote them (undefined for the scenario's initial documents).
    const live = new Map<number, EventRecord | undefined>();
    for (const c of scenario.components) {
      if (c.kind !== "documentStore") continue;
      for (const d of c.documents) if (`${c.id}.${d.name}` === key) live.set(d.version, undefined);
    }
    for (const r of writes) {
      const version = Number(r.data.version);
      if (r.type === "document.deleted") {
        live.delete(version);
        continue;
      }
      const expected = r.data.expectedVersion;
      if (typeof expected === "number") {
        const newer = [...live].filter(([v, writer]) => v > expected && writer !== undefined && writer.actor !== r.actor).sort((a, b) => a[0] - b[0]);
        const latest = Math.max(0, ...live.keys());
        if (newer.length > 0 && expected < latest) {
          out.push({
            rule: "readVersion",
            knob: key,
            stale: r,
            overwritten: newer[newer.length - 1][1]!,
            basis: live.get(expected),
            expectedVersion: expected,
            actualVersion: latest,
            interveningByOthers: newer.map(([, writer]) => writer!),
          });
        }
      }
      live.set(version, r);
    }
  }
  return out;
}

function finding(s: StaleWrite, served: ServedDocument | undefined, index: LogIndex): Finding {
  const { stale, overwritten, basis } = s;
  const witnessRecords = [overwritten, stale, ...(basis !== undefined ? [basis] : [])].sort((a, b) => a.seq - b.seq);
  const actors = [...new Set([stale.actor, overwritten.actor])].sort();
  const component = stale.target ?? s.knob.split(".")[0];
  const gapMs = stale.t - overwritten.t;
  const metrics: Record<string, number> = { gapMs, overwrittenWrites: s.interveningByOthers.length };
  if (s.expectedVersion !== undefined) metrics.expectedVersion = s.expectedVersion;
  if (s.actualVersion !== undefined) metrics.actualVersion = s.actualVersion;
  const isDocument = stale.type === "document.put";
  if (!isDocument) {
    metrics.staleValue = Number(stale.data.to);
    metrics.overwrittenValue = Number(stale.data.from);
  }
  if (s.rule === "valueOrder" && basis !== undefined) metrics.basisAgeMs = stale.t - basis.t;

  const explanation = [`${whatStaleDid(stale)} at ${formatTime(stale.t)}, ${basedOn(s, served)}; ${whatWasOverwritten(s, gapMs)}.`];
  explanation.push(consequence(s, served));
  const deletion = served !== undefined && !isDocument ? deletedWhileServed(stale as KnobChange, served, index) : undefined;
  if (deletion !== undefined) explanation.push(deletion);
  explanation.push(
    s.rule === "readVersion"
      ? `Rule: the write names the version it read (${s.readField ?? "expectedVersion"} ${s.expectedVersion}) and ${s.knob} had been written by another actor since.`
      : `Rule: the log records no read version for this write; ${s.knob} points at a version of ${served?.document ?? "a document"}, and versions only move forward, so a write that lowers it went backwards.`,
  );
  return {
    kind: "lostUpdate",
    severity: "critical",
    from: witnessRecords[0].t,
    to: witnessRecords[witnessRecords.length - 1].t,
    subjects: [...actors, s.knob, component],
    actors,
    components: [component],
    knob: s.knob,
    witnesses: witnessRecords.map((r) => r.seq),
    rootCauses: [stale.seq],
    metrics,
    explanation,
  };
}

/** "enactor-a set ddb-dns.plan 16->8" or "author-b put features.file version 7". */
function whatStaleDid(r: EventRecord): string {
  if (r.type === "document.put") return `${r.actor} put ${r.target}.${jsonText(r.data.document)} version ${jsonText(r.data.version)}`;
  return `${r.actor} ${changePhrase(r as KnobChange)}`;
}

/** "based on version 6 of ddb-dns.plan, which it read between 00:03:01 and 00:03:31" / "applying plan 8, published at ...". */
function basedOn(s: StaleWrite, served: ServedDocument | undefined): string {
  const { stale, basis } = s;
  if (s.rule === "readVersion") {
    const since = basis !== undefined ? formatTime(basis.t) : "the start of the run";
    const until = s.readBefore !== undefined ? ` and ${formatTime(s.readBefore.t)}` : "";
    return `based on version ${s.expectedVersion} of ${s.knob}, which it read between ${since}${until}`;
  }
  const to = `${served?.noun ?? "version"} ${formatNumber(Number(stale.data.to))}`;
  if (basis === undefined) return `applying ${to}, which the log shows no put of (an initial document)`;
  return `applying ${to}, which #${basis.seq} ${basis.actor} had put at ${formatTime(basis.t)}, ${formatSpan(stale.t - basis.t)} before`;
}

/** "enactor-c had set it 15->16 at 00:07:31 (#41), 2s earlier, the last of 9 writes by enactor-b and enactor-c since that read". */
function whatWasOverwritten(s: StaleWrite, gapMs: number): string {
  const o = s.overwritten;
  const did = o.type === "document.put" ? `put version ${String(o.data.version)}` : `set it ${formatNumber(Number(o.data.from))}->${formatNumber(Number(o.data.to))}`;
  const others = [...new Set(s.interveningByOthers.map((r) => r.actor))].sort();
  const count = s.interveningByOthers.length;
  const tail = s.rule === "readVersion" && count > 1 ? `, the last of ${count} writes by ${listWords(others)} since that read` : "";
  return `${o.actor} had ${did} at ${formatTime(o.t)} (#${o.seq}), ${formatSpan(gapMs)} earlier${tail}`;
}

/** What the stale write did to the newer value, and that compare-and-set would have rejected it. */
function consequence(s: StaleWrite, served: ServedDocument | undefined): string {
  const { stale } = s;
  const cas = s.rule === "readVersion" ? `a compare-and-set on ${s.knob}'s version would have rejected it (expected version ${s.expectedVersion}, actual ${s.actualVersion})` : `a compare-and-set on ${s.knob}'s version would have rejected it, had the write named the version it read`;
  if (stale.type === "document.put") return `So ${s.overwritten.actor}'s version ${String(s.overwritten.data.version)} was superseded by a write that never saw it: ${cas}.`;
  const from = formatNumber(Number(stale.data.from));
  const to = formatNumber(Number(stale.data.to));
  if (served !== undefined && Number(stale.data.to) < Number(stale.data.from)) return `So this write went backwards, from ${served.noun} ${from} to ${served.noun} ${to}: ${cas}.`;
  return `So ${s.overwritten.actor}'s value ${from} was overwritten with ${to}, computed from a stale read: ${cas}.`;
}

/** The deletion of the version a served knob was set back to, while the knob pointed at it (or before the write). */
function deletedWhileServed(stale: KnobChange, served: ServedDocument, index: LogIndex): string | undefined {
  const value = stale.data.to;
  const deletes = (index.documentWritesByDocument.get(served.document) ?? []).filter((r) => r.type === "document.deleted" && r.data.version === value);
  if (deletes.length === 0) return undefined;
  const changes = index.knobChangesByKnob.get(`${stale.target}.${stale.data.knob}`) ?? [];
  const next = changes.find((c) => c.seq > stale.seq);
  const before = deletes.filter((d) => d.seq < stale.seq).at(-1);
  if (before !== undefined) {
    return `${capitalize(served.noun)} ${formatNumber(value)} had already been deleted at ${formatTime(before.t)} (#${before.seq} ${before.actor}), so ${stale.target} pointed at a ${served.noun} that no longer existed.`;
  }
  const after = deletes.find((d) => d.seq > stale.seq && (next === undefined || d.seq < next.seq));
  if (after === undefined) return undefined;
  return `Then ${after.actor} deleted ${served.noun} ${formatNumber(value)} at ${formatTime(after.t)} (#${after.seq}) while ${stale.target} still pointed at it.`;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
