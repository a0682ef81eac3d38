// Checks a parsed run file as a whole: the records' chain and shapes, then everything outside the
// records that a verdict depends on against what the chain binds — the header's scenario text,
// variant, seed and engine against record #0 (`run.started`), the telemetry against the digest in
// the last record (`run.ended`) — then, when asked, the final hash against one published elsewhere
// and the signature against a trusted public key. The first problem is named with its line and
// field, so `verify` says what was changed. Pure and isomorphic (the CLI and the app both use it).
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { telemetryDigest } from "../engine/telemetry-digest.js";
import { verify } from "../log/chain.js";
import type { EventRecord } from "../log/record.js";
import { canonicalJson } from "../log/canonical-json.js";
import { InputError } from "../core/errors.js";
import { shortJson } from "../log/json-text.js";
import { parseRunFile, RUN_FILE_FORMAT, type RunFile, type RunFileHeader } from "./run-file.js";
import { isSignatureShape, keyFingerprint, signatureValid } from "./signing.js";

export interface RunFileCheckOptions {
  /** The final hash the file must end at (published in a CI log, a JUnit file, a ticket). */
  expectHash?: string;
  /** A public key the file must be signed by. */
  publicKey?: Uint8Array;
}

/** Where a run file stopped early (`--max-events`, `maxTimeMs`), so a re-run can stop at the same place. */
export interface RunBounds {
  maxEvents?: number;
  maxTimeMs?: number;
}

export type RunFileCheck =
  | {
      ok: true;
      count: number;
      headHash: string;
      /** False for files older than version 3, whose header and telemetry are outside the chain. */
      covered: boolean;
      /** Whether the file stores telemetry (large runs leave it out; opening re-derives and checks it). */
      telemetryStored: boolean;
      /** Set when the file is signed and the signature is valid for its embedded key. */
      signature?: { fingerprint: string; trusted: boolean };
      bounds?: RunBounds;
      /** Facts a careful reader should know (unchecked signature, old format...). */
      notes: string[];
    }
  | {
      ok: false;
      /** 1-based line of the file the problem is on. */
      line: number;
      /** The header field, record or line at fault, e.g. `header.scenarioText`, `record #3`. */
      what: string;
      expected: string;
      found: string;
      hint: string;
    };

/** A header or record value as a message quotes it (80 characters: hashes are 64). */
const quoted = (value: unknown): string => shortJson(value, 80);

const CHANGED = "the file was changed after it was written";

/** Checks `run` (parsed by parseRunFile). Never throws on forged content. */
export function checkRunFile(run: RunFile, options: RunFileCheckOptions = {}): RunFileCheck {
  const { header, log } = run;
  const chain = verify(log);
  if (!chain.ok) return fail(chain.firstBadSeq + 2, `record #${chain.firstBadSeq}`, "records whose hash chain and shape verify", chain.reason, CHANGED);
  if (header.finalHash !== chain.headHash) {
    return fail(1, "header.finalHash", `the hash the records end at (${chain.headHash})`, quoted(header.finalHash), "records are missing at the end, or the header was changed");
  }
  if (header.events !== log.length) return fail(1, "header.events", `the number of records (${log.length})`, quoted(header.events), CHANGED);
  const notes: string[] = [];
  const covered = header.format === RUN_FILE_FORMAT;
  let bounds: RunBounds | undefined;
  if (covered) {
    const bound = checkBoundHeader(run);
    if ("line" in bound) return bound;
    bounds = bound.bounds;
  } else {
    notes.push(`${header.format} file: only the records are verified; its header (scenario text, variant, seed) and telemetry are outside the chain (written before ${RUN_FILE_FORMAT}); re-run it to get a file that covers them`);
  }
  if (options.expectHash !== undefined && options.expectHash.trim().toLowerCase() !== chain.headHash) {
    return fail(1, "final hash", `${options.expectHash.trim().toLowerCase()} (--expect-hash)`, chain.headHash, "this is not the run whose hash was published: the file was rewritten, or the hash is of another run, seed or version");
  }
  let signature: { fingerprint: string; trusted: boolean } | undefined;
  if (header.signature !== undefined) {
    if (!isSignatureShape(header.signature)) return fail(1, "header.signature", "an Ed25519 signature {algorithm, publicKey, value}", quoted(header.signature), CHANGED);
    const embedded = hexToBytes(header.signature.publicKey.toLowerCase());
    const key = options.publicKey ?? embedded;
    if (!signatureValid(header.signature, chain.headHash, key)) {
      return options.publicKey
        ? fail(1, "header.signature", `a signature of the final hash by the key ${keyFingerprint(options.publicKey)}`, `a signature by another key, or of another hash (embedded key ${keyFingerprint(embedded)})`, "the file was changed, or signed with a key other than the one given")
        : fail(1, "header.signature", "a signature of the final hash by its embedded public key", "a signature that does not match", CHANGED);
    }
    signature = { fingerprint: keyFingerprint(key), trusted: options.publicKey !== undefined };
    if (!options.publicKey) notes.push(`signed by key ${signature.fingerprint}, checked only against the key the file itself names: pass --public-key with a key you trust`);
  } else if (options.publicKey) {
    return fail(1, "header.signature", `a signature by the key ${keyFingerprint(options.publicKey)}`, "no signature", "sign runs with `crossfire run <scenario> --out <file> --sign <private key>`");
  }
  const telemetryStored = run.telemetry !== undefined;
  if (!telemetryStored && covered) notes.push("no telemetry line: opening the file re-runs the scenario, and accepts the re-run only if it ends at this final hash (which covers the telemetry's digest)");
  return { ok: true, count: log.length, headHash: chain.headHash, covered, telemetryStored, signature, bounds, notes };
}

/**
 * Parses a run file for analysis and checks it whole: it must be a version 3 file with its
 * scenario, and pass checkRunFile. The one reader `explain`/`export`/`compare` and the app share.
 * Throws InputError naming the line and field otherwise.
 */
export function readCheckedRunFile(text: string, file: string, options: RunFileCheckOptions = {}): { run: RunFile & { header: RunFileHeader & { scenarioText: string } }; check: Extract<RunFileCheck, { ok: true }> } {
  const run = parseRunFile(text, file);
  const { header } = run;
  if (header.format !== RUN_FILE_FORMAT || header.scenarioText === undefined) {
    throw new InputError(file, `a ${RUN_FILE_FORMAT} run file with its scenario`, `a ${header.format} file${header.scenarioText === undefined ? " without one" : ""}`, "older files verify with `crossfire verify` but are not analysed (their header is outside the hash chain); re-run the scenario with `crossfire run <scenario> --out <file>`");
  }
  const check = checkRunFile(run, options);
  if (!check.ok) throw new InputError(`${file}:${check.line} (${check.what})`, check.expected, check.found, check.hint);
  return { run: run as RunFile & { header: RunFileHeader & { scenarioText: string } }, check };
}

/** Version 3: the header fields and telemetry agree with what run.started and run.ended bind. */
function checkBoundHeader(run: RunFile): { bounds?: RunBounds } | Extract<RunFileCheck, { ok: false }> {
  const { header, log } = run;
  const first = log[0];
  const last = log[log.length - 1];
  if (first === undefined || first.type !== "run.started" || first.actor !== "engine") {
    return fail(2, "record #0", "a run.started record by the engine, which binds the header", first === undefined ? "no records" : `${quoted(first.type)} by ${quoted(first.actor)}`, CHANGED);
  }
  if (last.type !== "run.ended" || last.actor !== "engine") return fail(log.length + 1, `record #${last.seq}`, "a run.ended record by the engine, which binds the telemetry", `${quoted(last.type)} by ${quoted(last.actor)}`, "records are missing at the end");
  const started = first.data;
  const same = (a: unknown, b: unknown) => a === b || (a !== undefined && b !== undefined && canonicalJson(a) === canonicalJson(b));
  const bound: [keyof typeof header, unknown, unknown][] = [
    ["scenario", header.scenario, started.scenario],
    ["variant", header.variant, started.variant],
    ["seed", header.seed, started.seed],
    ["engine", header.engine, started.engine],
  ];
  for (const [field, inHeader, inChain] of bound) {
    if (!same(inHeader, inChain)) return fail(1, `header.${field}`, `${quoted(inChain)}, as record #0 (run.started) binds it`, quoted(inHeader), CHANGED);
  }
  if (header.scenarioText !== undefined || started.scenarioSha256 !== undefined) {
    if (typeof header.scenarioText !== "string") return fail(1, "header.scenarioText", "the scenario text record #0 binds", quoted(header.scenarioText), CHANGED);
    const digest = bytesToHex(sha256(utf8ToBytes(header.scenarioText)));
    if (digest !== started.scenarioSha256) {
      return fail(1, "header.scenarioText", `scenario text with SHA-256 ${quoted(started.scenarioSha256)}, as record #0 (run.started) binds it`, `text with SHA-256 ${digest}`, `${CHANGED}: the embedded scenario (and so its expectations) is not the one that ran`);
    }
  }
  if (run.telemetry !== undefined) {
    if (typeof last.data.telemetrySha256 !== "string") {
      return fail(log.length + 2, "telemetry", `no telemetry line: record #${last.seq} (run.ended) binds no telemetry digest (the run's telemetry was too large to store)`, "a telemetry line", CHANGED);
    }
    const digest = telemetryDigest(run.telemetry);
    if (digest !== last.data.telemetrySha256) {
      return fail(log.length + 2, "telemetry", `telemetry with SHA-256 ${quoted(last.data.telemetrySha256)}, as record #${last.seq} (run.ended) binds it`, `telemetry with SHA-256 ${digest}`, `${CHANGED}: the sampled signals are not the ones the run produced`);
    }
  }
  return { bounds: runBounds(log) };
}

/** The bound a run stopped at, from its last (run.ended) record; undefined for a completed run. Pure. */
export function runBounds(log: readonly EventRecord[]): RunBounds | undefined {
  const ended = log[log.length - 1];
  if (ended === undefined || ended.type !== "run.ended") return undefined;
  const { reason, queueEvents } = ended.data;
  if (reason === "maxEvents" && typeof queueEvents === "number") return { maxEvents: queueEvents };
  if (reason === "maxTime") return { maxTimeMs: ended.t };
  return undefined;
}

function fail(line: number, what: string, expected: string, found: string, hint: string): Extract<RunFileCheck, { ok: false }> {
  return { ok: false, line, what, expected, found, hint };
}
