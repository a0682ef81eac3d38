// Analysis commands on a run file whose records verify but carry values JavaScript's String()
// throws on, and terminal escape sequences: exit 0 with the values shown as text (issue 13).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EventRecord } from "../../sim/log/record.js";
import { crossfire } from "../helpers/cli.js";
import { honestRunFile, rechain } from "../export/forged-run.js";

const dir = mkdtempSync(join(tmpdir(), "crossfire-forged-records-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The honest brownout run with `edit` applied to its records, rechained, the header's finalHash following. */
function forged(name: string, edit: (log: EventRecord[]) => void): string {
  const lines = honestRunFile().replace(/\n$/, "").split("\n");
  const header = JSON.parse(lines[0]);
  const log = lines.slice(1, -1).map((l) => JSON.parse(l) as EventRecord);
  edit(log);
  header.finalHash = rechain(log);
  writeFileSync(join(dir, name), [JSON.stringify(header), ...log.map((r) => JSON.stringify(r)), lines[lines.length - 1]].join("\n") + "\n");
  writeFileSync(join(dir, "honest.ndjson"), honestRunFile());
  return name;
}

describe("a verified run file with data String() throws on", () => {
  // Record #3 (web turning unhealthy) becomes a knob change whose knob and old value are such objects.
  const file = forged("to-string.ndjson", (log) => {
    Object.assign(log[3], { type: "replicas.scaled", actor: "autoscaler", data: { knob: JSON.parse('{"valueOf":1}'), from: [JSON.parse('{"toString":"x"}')], to: 2 } });
  });

  it("verifies", () => expect(crossfire(["verify", file], { cwd: dir }).code).toBe(0));

  it.each([
    ["compare", [file, "honest.ndjson"]],
    ["explain", [file, "3"]],
    ["export", [file, "--format", "dot"]],
    ["export", [file, "--format", "html"]],
  ])("%s %j exits 0", (command, args) => {
    const r = crossfire([command, ...args], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("compare shows the value as JSON", () => {
    expect(crossfire(["compare", file, "honest.ndjson"], { cwd: dir }).stdout).toContain('[{"toString":"x"}]');
  });
});

describe("a verified run file with terminal escape sequences in its strings", () => {
  const file = forged("escapes.ndjson", (log) => {
    // Not #0 and the last record: run.started and run.ended (by the engine) bind the header and telemetry.
    for (const r of log.slice(1, -1)) r.actor = `${r.actor}\u001b]0;owned\u0007\u001b[2J\r`;
  });

  it.each([
    ["explain", [file, "3"]],
    ["compare", [file, "honest.ndjson"]],
  ])("%s prints them as \\u escapes", (command, args) => {
    const r = crossfire([command, ...args], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/[\u001b\u0007\r]/);
    expect(r.stdout).toContain("\\u001b]0;owned\\u0007\\u001b[2J\\u000d");
  });

  it("verify names a bad record without printing its escapes", () => {
    const bad = forged("escapes-bad.ndjson", (log) => {
      (log[2] as unknown as { seq: string }).seq = "\u001b[2J";
    });
    const r = crossfire(["verify", bad], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toContain("\u001b");
    expect(r.stdout).toContain("says seq \\u001b[2J");
  });
});
