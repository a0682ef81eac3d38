// The hash chain over event records: appending computes each record's hash from its
// predecessor's, and verification names the first record whose hash or link is wrong.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "./canonical-json.js";
import { elided, jsonText } from "./json-text.js";
import { GENESIS_HASH, recordShapeProblem, type EventDraft, type EventRecord } from "./record.js";

/** Computes the hash of `record` (its `hash` field is ignored). Pure. */
export function hashRecord(record: Omit<EventRecord, "hash"> & { hash?: string }): string {
  const { hash: _ignored, ...body } = record;
  return bytesToHex(sha256(utf8ToBytes(record.prev + canonicalJson(body))));
}

/** An append-only, hash-chained event log. Records are frozen once appended. */
export class EventLog {
  private readonly records: EventRecord[] = [];

  /** Number of records. */
  get length(): number {
    return this.records.length;
  }

  /** Hash of the newest record, or GENESIS_HASH when empty. */
  get headHash(): string {
    return this.records.length === 0 ? GENESIS_HASH : this.records[this.records.length - 1].hash;
  }

  /** Chains `draft` onto the log and returns the frozen record. Throws if a cause is not earlier. */
  append(draft: EventDraft): EventRecord {
    const seq = this.records.length;
    for (const c of draft.causes) {
      if (!Number.isInteger(c) || c < 0 || c >= seq) {
        throw new RangeError(`EventLog.append: event ${seq} (${draft.type}) names cause ${c}, which is not an earlier event`);
      }
    }
    const body: Omit<EventRecord, "hash"> = {
      seq,
      t: draft.t,
      type: draft.type,
      actor: draft.actor,
      ...(draft.onBehalfOf !== undefined ? { onBehalfOf: draft.onBehalfOf } : {}),
      ...(draft.target !== undefined ? { target: draft.target } : {}),
      data: structuredClone(draft.data),
      causes: [...draft.causes],
      prev: this.headHash,
    };
    const record = deepFreeze({ ...body, hash: hashRecord(body) }) as EventRecord;
    this.records.push(record);
    return record;
  }

  /** The record with `seq`. */
  get(seq: number): EventRecord {
    return this.records[seq];
  }

  /** All records, oldest first (a read-only view). */
  all(): readonly EventRecord[] {
    return this.records;
  }
}

/** Result of verifying a chain: ok, or the first seq whose record does not verify and why. */
export type VerifyResult = { ok: true; count: number; headHash: string } | { ok: false; firstBadSeq: number; reason: string };

/**
 * Checks every record's seq, link to its predecessor and hash, and its shape
 * (sim/log/record.ts recordShapeProblem). Returns the first bad seq. Pure. A record edited in
 * place fails at its own seq (its hash no longer matches its content); a record of the wrong
 * shape fails at its own seq even when the chain was recomputed around it.
 */
export function verify(records: readonly EventRecord[]): VerifyResult {
  let prev = GENESIS_HASH;
  let previousT = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (r === null || typeof r !== "object") return { ok: false, firstBadSeq: i, reason: `record ${i} is not an object` };
    if (r.seq !== i) return { ok: false, firstBadSeq: i, reason: `record ${i} says seq ${elided(jsonText(r.seq))}` };
    if (r.prev !== prev) return { ok: false, firstBadSeq: i, reason: `record ${i} links to ${short(r.prev)} but record ${i - 1} hashes to ${short(prev)}` };
    let actual: string;
    try {
      actual = hashRecord(r);
    } catch (e) {
      return { ok: false, firstBadSeq: i, reason: `record ${i} cannot be serialized: ${(e as Error).message}` };
    }
    if (actual !== r.hash) return { ok: false, firstBadSeq: i, reason: `record ${i} content hashes to ${short(actual)}, not its stored ${short(r.hash)}` };
    const shape = recordShapeProblem(r, i, previousT);
    if (shape !== null) return { ok: false, firstBadSeq: i, reason: shape };
    previousT = r.t;
    prev = r.hash;
  }
  return { ok: true, count: records.length, headHash: prev };
}

function short(hash: string): string {
  return typeof hash === "string" ? hash.slice(0, 12) : elided(jsonText(hash));
}

function deepFreeze<T>(value: T): T {
  // Recurse even into frozen objects: a caller may pass frozen data with writable insides.
  if (value && typeof value === "object") {
    if (!Object.isFrozen(value)) Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
