// Ed25519 signatures on run files, for runs that leave the machine: the signer signs the run's
// final hash, which the chain makes cover every record, the header fields a verdict depends on
// (run.started binds scenario text, variant, seed and engine) and the telemetry (run.ended binds
// its digest). Keys are read as PEM (PKCS#8 private, SPKI public: what `openssl genpkey
// -algorithm ed25519` and `crossfire keygen` write) or as 64 hex digits. Pure; no randomness
// here (signing is deterministic in Ed25519; key generation lives in the CLI).
import { ed25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import { InputError } from "../core/errors.js";
import { base64ToBytes, bytesToBase64 } from "./base64.js";

/** The signature a run file's header carries. */
export interface RunSignature {
  algorithm: "Ed25519";
  /** The signer's public key, 64 hex digits (informative: trust comes from `--public-key`). */
  publicKey: string;
  /** The signature of signedMessage(finalHash), 128 hex digits. */
  value: string;
}

// DER prefixes of an Ed25519 key (RFC 8410): PKCS#8 PrivateKeyInfo and SubjectPublicKeyInfo,
// each followed by the 32 key bytes.
const PKCS8_PREFIX = hexToBytes("302e020100300506032b657004220420");
const SPKI_PREFIX = hexToBytes("302a300506032b6570032100");
const HEX_KEY = /^[0-9a-fA-F]{64}$/;

/** What is signed: a domain tag and the final hash, so a signature cannot be replayed for another purpose. */
export function signedMessage(finalHash: string): Uint8Array {
  return utf8ToBytes(`crossfire-run-signature/1:${finalHash}`);
}

/** Signs `finalHash` with a 32-byte Ed25519 secret key. */
export function signFinalHash(finalHash: string, secretKey: Uint8Array): RunSignature {
  return { algorithm: "Ed25519", publicKey: bytesToHex(ed25519.getPublicKey(secretKey)), value: bytesToHex(ed25519.sign(signedMessage(finalHash), secretKey)) };
}

/** Whether `signature` is a valid Ed25519 signature of `finalHash` by `publicKey`. Never throws. */
export function signatureValid(signature: unknown, finalHash: string, publicKey: Uint8Array): boolean {
  if (!isSignatureShape(signature)) return false;
  try {
    return ed25519.verify(hexToBytes(signature.value), signedMessage(finalHash), publicKey);
  } catch {
    return false;
  }
}

/** Whether a header's `signature` field has the shape of a RunSignature (hex of the right lengths). */
export function isSignatureShape(value: unknown): value is RunSignature {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const s = value as Record<string, unknown>;
  return s.algorithm === "Ed25519" && typeof s.publicKey === "string" && HEX_KEY.test(s.publicKey) && typeof s.value === "string" && /^[0-9a-fA-F]{128}$/.test(s.value);
}

/** A short, stable name for a public key: the first 16 hex digits of its SHA-256. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return bytesToHex(sha256(publicKey)).slice(0, 16);
}

/** The 32-byte secret key in `text` (PKCS#8 PEM or 64 hex digits). Throws InputError naming `where`. */
export function parseSecretKey(text: string, where: string): Uint8Array {
  return parseKey(text, where, "PRIVATE KEY", PKCS8_PREFIX, "an Ed25519 private key (PEM `-----BEGIN PRIVATE KEY-----`, or 64 hex digits)", "make one with `crossfire keygen key.pem` or `openssl genpkey -algorithm ed25519 -out key.pem`");
}

/** The 32-byte public key in `text` (SPKI PEM or 64 hex digits). Throws InputError naming `where`. */
export function parsePublicKey(text: string, where: string): Uint8Array {
  return parseKey(text, where, "PUBLIC KEY", SPKI_PREFIX, "an Ed25519 public key (PEM `-----BEGIN PUBLIC KEY-----`, or 64 hex digits)", "`crossfire keygen key.pem` writes key.pem.pub; `openssl pkey -in key.pem -pubout` prints one");
}

/** PEM text of a secret key (PKCS#8) and of its public key (SPKI), as openssl writes them. */
export function keyPairPem(secretKey: Uint8Array): { secretPem: string; publicPem: string } {
  const pem = (label: string, der: Uint8Array) => `-----BEGIN ${label}-----\n${bytesToBase64(der)}\n-----END ${label}-----\n`;
  return {
    secretPem: pem("PRIVATE KEY", concat(PKCS8_PREFIX, secretKey)),
    publicPem: pem("PUBLIC KEY", concat(SPKI_PREFIX, ed25519.getPublicKey(secretKey))),
  };
}

function parseKey(text: string, where: string, label: string, prefix: Uint8Array, expected: string, hint: string): Uint8Array {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return hexToBytes(trimmed.toLowerCase());
  const pem = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(trimmed);
  if (pem) {
    let der: Uint8Array | undefined;
    try {
      der = base64ToBytes(pem[1].replace(/\s+/g, ""));
    } catch {
      der = undefined;
    }
    if (der && der.length === prefix.length + 32 && prefix.every((b, i) => der[i] === b)) return der.slice(prefix.length);
    throw new InputError(where, expected, `a ${label} that is not Ed25519 (${der ? `${der.length} bytes of DER` : "invalid base64"})`, hint);
  }
  const other = /-----BEGIN ([A-Z ]+)-----/.exec(trimmed);
  throw new InputError(where, expected, other ? `a PEM ${other[1]}` : trimmed === "" ? "an empty file" : "text that is neither PEM nor 64 hex digits", hint);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
