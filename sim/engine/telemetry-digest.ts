// A digest of a run's telemetry, logged in the `run.ended` record so the sampled signals a
// verdict reads are covered by the hash chain like the events are. It hashes the exact bits
// (Float64 times, Float32 values, little-endian) with the component and signal names, so a run
// file's telemetry line decodes to telemetry with the same digest or was changed. Pure.
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";
import { canonicalJson } from "../log/canonical-json.js";
import type { Telemetry } from "./telemetry.js";

/**
 * Telemetry up to this many values (8 MB as Float32) is digested, and only such telemetry is
 * stored in run files (sim/export/run-file.ts). Larger telemetry (a 24 h run of hundreds of
 * components: 180 MB) is left out of files and re-derived by re-running the scenario, which the
 * event chain already vouches for: the engine is deterministic, so the same scenario, seed and
 * model that reach the same final hash produce the same telemetry. Hashing it would cost more
 * than the run (SHA-256 in JavaScript runs at ~100 MB/s) for nothing a reader could check.
 */
export const TELEMETRY_DIGEST_VALUES_MAX = 2_000_000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Whether `telemetry` is small enough to be digested (and stored in a run file). */
export function telemetryDigestible(telemetry: Telemetry): boolean {
  return telemetry.count * (telemetry.width + (telemetry.groups?.width ?? 0)) <= TELEMETRY_DIGEST_VALUES_MAX;
}

/** SHA-256 (hex) of the first `count` samples of `telemetry`, names included. */
export function telemetryDigest(telemetry: Telemetry): string {
  const hash = sha256.create();
  hash.update(utf8ToBytes(canonicalJson({ components: [...telemetry.componentIds], signals: [...telemetry.signalNames], count: telemetry.count })));
  hash.update(littleEndianBytes(telemetry.times.subarray(0, telemetry.count)));
  hash.update(littleEndianBytes(telemetry.values.subarray(0, telemetry.count * telemetry.width)));
  // Group aggregates (only runs of scenarios with groups have them, so other digests are unchanged).
  const g = telemetry.groups;
  if (g !== null) {
    hash.update(utf8ToBytes(canonicalJson({ groups: [...g.componentIds], aggregates: [...g.signalNames] })));
    hash.update(littleEndianBytes(g.values.subarray(0, g.count * g.width)));
  }
  return bytesToHex(hash.digest());
}

/** The array's bytes in little-endian order: a view on little-endian platforms (no copy), else swapped. */
export function littleEndianBytes(a: Float64Array | Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const size = a.BYTES_PER_ELEMENT;
  const out = new Uint8Array(a.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) {
    if (size === 8) view.setFloat64(i * 8, a[i], true);
    else view.setFloat32(i * 4, a[i], true);
  }
  return out;
}
