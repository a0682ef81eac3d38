// Issue 13, finding 2: verdicts could be forged because the run file's header (embedded scenario,
// variant, seed) and telemetry were outside the hash chain, and nothing anchored the chain. Each
// forgery the audit made is tried here through the real CLI: `verify` names what was changed,
// analysis refuses the file, `--expect-hash` anchors the head, and Ed25519 signatures tell a
// rewritten file from the one that was signed.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bytesToBase64, base64ToBytes } from "../../sim/export/base64.js";
import { rechain } from "../export/forged-run.js";
import type { EventRecord } from "../../sim/log/record.js";
import { canonicalJson } from "../../sim/log/canonical-json.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-trust-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const path = (name: string) => join(tmp, name);

// The blind variant with one expectation made to fail (replicas reach 8, not at most 5).
const honestText = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
const failingText = honestText.replace(`threshold: "web.replicas max <= 8"`, `threshold: "web.replicas max <= 5"`);
writeFileSync(path("failing.yaml"), failingText);
writeFileSync(path("honest.yaml"), honestText);

// Keys written by `openssl genpkey -algorithm ed25519` and `openssl pkey -pubout`: the formats users have.
const OPENSSL_PRIVATE = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEILX3alaw0/5vqyM2lOdNY6uBbTLGs6W0UUfNHX0yiJOE\n-----END PRIVATE KEY-----\n";
const OPENSSL_PUBLIC = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA2ro76J0lkNHwQ9QXRypOmr+hidY5gjOXYNTWgtEkNqc=\n-----END PUBLIC KEY-----\n";
writeFileSync(path("ci.pem"), OPENSSL_PRIVATE);
writeFileSync(path("ci.pem.pub"), OPENSSL_PUBLIC);

function runTo(scenario: string, out: string, extra: string[] = []): { code: number; finalHash: string } {
  const r = crossfire(["run", path(scenario), "--variant", "blind", "--out", path(out), "--json", ...extra]);
  return { code: r.code, finalHash: JSON.parse(r.stdout).finalHash };
}

interface Parts {
  header: Record<string, unknown>;
  records: EventRecord[];
  telemetry?: string;
}
function read(name: string): Parts {
  const lines = readFileSync(path(name), "utf8").trimEnd().split("\n");
  const telemetry = lines[lines.length - 1].startsWith('{"telemetry":') ? lines.pop() : undefined;
  return { header: JSON.parse(lines[0]), records: lines.slice(1).map((l) => JSON.parse(l)), telemetry };
}
function write(name: string, parts: Parts): string {
  const lines = [canonicalJson(parts.header), ...parts.records.map((r) => canonicalJson(r)), ...(parts.telemetry ? [parts.telemetry] : [])];
  writeFileSync(path(name), `${lines.join("\n")}\n`);
  return path(name);
}

const failing = runTo("failing.yaml", "failing.ndjson");
const honest = runTo("honest.yaml", "honest.ndjson");

describe("the header and telemetry are bound by the chain", () => {
  it("the two runs are what the forgeries start from: FAIL and PASS", () => {
    expect(failing.code).toBe(1);
    expect(honest.code).toBe(0);
    expect(crossfire(["verify", path("failing.ndjson")]).stdout).toMatch(/records verify; header \(scenario text, variant, seed, engine\) and telemetry bound by the chain; final hash [0-9a-f]{64}\n$/);
  });

  it("an expectation edited in the embedded scenario (FAIL -> PASS) is named by verify and refused by analysis", () => {
    const parts = read("failing.ndjson");
    parts.header.scenarioText = honestText;
    const forged = write("edited-expectation.ndjson", parts);
    const v = crossfire(["verify", forged]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/^.*edited-expectation\.ndjson:1: header\.scenarioText does not verify: expected scenario text with SHA-256 "[0-9a-f]{64}", as record #0 \(run\.started\) binds it, found text with SHA-256 [0-9a-f]{64} \(hint: the file was changed after it was written: the embedded scenario \(and so its expectations\) is not the one that ran\)\n$/);
    for (const args of [["export", forged, "--format", "html"], ["explain", forged, "3"], ["compare", forged, path("honest.ndjson")]]) {
      const r = crossfire(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toContain("(header.scenarioText)");
      expect(r.stdout).not.toContain("PASS");
    }
  });

  it("zeroed telemetry re-encoded consistently (PASS -> FAIL) is named by verify", () => {
    const parts = read("honest.ndjson");
    const line = JSON.parse(parts.telemetry!);
    line.telemetry.values = bytesToBase64(new Uint8Array(base64ToBytes(line.telemetry.values).length));
    parts.telemetry = canonicalJson(line);
    const forged = write("zeroed.ndjson", parts);
    const v = crossfire(["verify", forged]);
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/zeroed\.ndjson:\d+: telemetry does not verify: expected telemetry with SHA-256 "[0-9a-f]{64}", as record #\d+ \(run\.ended\) binds it/);
    expect(crossfire(["export", forged, "--format", "html"]).code).toBe(2);
  });

  it("a deleted telemetry line is noticed, and analysis re-derives the telemetry the chain binds", () => {
    const parts = read("failing.ndjson");
    delete parts.telemetry;
    const trimmed = write("no-telemetry.ndjson", parts);
    const v = crossfire(["verify", trimmed]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("telemetry digest bound by the chain");
    expect(v.stdout).toContain("note: no telemetry line: opening the file re-runs the scenario");
    // The verdict is the run's own (FAIL), not one the missing line could change.
    const report = crossfire(["export", trimmed, "--format", "html"]);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("web.replicas max &lt;= 5");
    expect(report.stdout).toBe(crossfire(["export", path("failing.ndjson"), "--format", "html"]).stdout);
  });

  it.each([
    ["variant", "coordinated"],
    ["seed", 7],
    ["scenario", "another-name"],
    ["engine", "crossfire-model/2"],
  ])("an edited header.%s is named by verify", (field, value) => {
    const parts = read("failing.ndjson");
    parts.header[field] = value;
    const v = crossfire(["verify", write(`edited-${field}.ndjson`, parts)]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`:1: header.${field} does not verify: expected `);
    expect(v.stdout).toContain("as record #0 (run.started) binds it");
  });

  it("a file of the previous format verifies its records only, says so, and is not analysed", () => {
    const parts = read("failing.ndjson");
    parts.header.format = "crossfire-run/2";
    const old = write("v2.ndjson", parts);
    const v = crossfire(["verify", old]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("note: crossfire-run/2 file: only the records are verified");
    const e = crossfire(["export", old, "--format", "html"]);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain("expected a crossfire-run/3 run file");
  });
});

describe("anchoring the chain: --expect-hash", () => {
  it("accepts the published hash and names a whole-file rewrite that recomputed every hash", () => {
    expect(crossfire(["verify", path("failing.ndjson"), "--expect-hash", failing.finalHash]).stdout).toContain("final hash matches --expect-hash");
    // The attacker re-runs an edited scenario: a file consistent in every hash, of another run.
    const rewritten = runTo("honest.yaml", "rewritten.ndjson");
    expect(crossfire(["verify", path("rewritten.ndjson")]).code).toBe(0);
    const v = crossfire(["verify", path("rewritten.ndjson"), "--expect-hash", failing.finalHash.toUpperCase()]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(`:1: final hash does not verify: expected ${failing.finalHash} (--expect-hash), found ${rewritten.finalHash}`);
  });

  it("refuses a malformed hash as a usage error", () => {
    const v = crossfire(["verify", path("failing.ndjson"), "--expect-hash", "abc"]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain("--expect-hash: expected a SHA-256 hash (64 hex digits)");
  });
});

describe("signed runs: run --sign, verify --public-key", () => {
  const signed = runTo("failing.yaml", "signed.ndjson", ["--sign", path("ci.pem")]);

  it("signs with an openssl-made key; the matching public key verifies it", () => {
    expect(signed.finalHash).toBe(failing.finalHash);
    expect(read("signed.ndjson").header.signature).toMatchObject({ algorithm: "Ed25519", publicKey: "daba3be89d2590d1f043d417472a4e9abfa189d63982339760d4d682d12436a7" });
    const v = crossfire(["verify", path("signed.ndjson"), "--public-key", path("ci.pem.pub")]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/signed by the key given with --public-key \([0-9a-f]{16}\)/);
    // Without a trusted key it says the signature was checked only against the key inside the file.
    expect(crossfire(["verify", path("signed.ndjson")]).stdout).toContain("checked only against the key the file itself names");
  });

  it("names a signed file whose records were rewritten and re-chained", () => {
    const parts = read("signed.ndjson");
    const applied = parts.records.find((r) => r.type === "replicas.scaled" || r.data.to !== undefined)!;
    applied.data = { ...applied.data, to: 3 };
    parts.header.finalHash = rechain(parts.records);
    const v = crossfire(["verify", write("resigned.ndjson", parts), "--public-key", path("ci.pem.pub")]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain(":1: header.signature does not verify: expected a signature of the final hash by the key");
    // Even without --public-key: the embedded signature no longer matches the recomputed head.
    expect(crossfire(["verify", path("resigned.ndjson")]).code).toBe(1);
  });

  it("names a file re-signed with the forger's own key when the trusted key is given", () => {
    crossfire(["keygen", path("forger.pem")]);
    runTo("honest.yaml", "forger.ndjson", ["--sign", path("forger.pem")]);
    expect(crossfire(["verify", path("forger.ndjson")]).code).toBe(0);
    const v = crossfire(["verify", path("forger.ndjson"), "--public-key", path("ci.pem.pub")]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain("found a signature by another key, or of another hash");
  });

  it("requires a signature when a public key is given", () => {
    const v = crossfire(["verify", path("failing.ndjson"), "--public-key", path("ci.pem.pub")]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain("header.signature does not verify: expected a signature by the key");
    expect(v.stdout).toContain("found no signature");
  });

  it("refuses --sign without --out, and key files that are not Ed25519 keys, before running", () => {
    expect(crossfire(["run", path("failing.yaml"), "--sign", path("ci.pem")]).stderr).toContain("--sign: signs the run file, so it needs --out <file>");
    writeFileSync(path("rsa.pem"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
    const bad = crossfire(["run", path("failing.yaml"), "--out", path("x.ndjson"), "--sign", path("rsa.pem")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("expected an Ed25519 private key (PEM `-----BEGIN PRIVATE KEY-----`, or 64 hex digits), found a PEM RSA PRIVATE KEY");
    const pubAsPrivate = crossfire(["run", path("failing.yaml"), "--out", path("x.ndjson"), "--sign", path("ci.pem.pub")]);
    expect(pubAsPrivate.code).toBe(2);
    expect(crossfire(["verify", path("failing.ndjson"), "--public-key", path("ci.pem")]).code).toBe(2);
  });

  it("keygen writes a private key only its owner can read, the public key beside it, and never overwrites", () => {
    const r = crossfire(["keygen", path("new.pem")]);
    expect(r.code).toBe(0);
    expect(readFileSync(path("new.pem"), "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI[A-Za-z0-9+/]+=*\n-----END PRIVATE KEY-----\n$/);
    expect(readFileSync(path("new.pem.pub"), "utf8")).toMatch(/^-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA[A-Za-z0-9+/]+=*\n-----END PUBLIC KEY-----\n$/);
    expect(statSync(path("new.pem")).mode & 0o777).toBe(0o600);
    const again = crossfire(["keygen", path("new.pem")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
  });
});
