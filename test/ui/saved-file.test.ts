// Opening a saved file in the app: a run file or an HTML report gives the scenario, variant, seed
// and final hash to re-run; tampered, foreign or outdated files are refused with a message that
// names the file and what was expected.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { toRunFile } from "../../sim/export/run-file.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { readSavedFile, type SavedFile } from "../../ui/model/saved-file.js";
import { checkedRun, exportInput } from "../export/runs.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/cost-vs-performance.yaml";
const scenarioText = readFileSync(repoPath(FILE), "utf8");
const blind = checkedRun(FILE, "blind");
const meta = { scenario: blind.run.scenario.name, variant: blind.variant, seed: blind.run.seed, finalHash: blind.run.finalHash, scenarioText, scenarioFile: FILE };
const runFile = toRunFile(meta, blind.run.log, blind.run.telemetry);
const report = toHtmlReport({ ...exportInput(blind), scenarioText, scenarioFile: FILE });

/** The final hash of re-running what `saved` describes, as the app's worker does (to the same bound). */
function rerunHash(saved: SavedFile): string {
  const variant = loadVariant(saved.scenarioText, saved.scenarioFile, saved.variant);
  return runScenario(variant.scenario, { seed: saved.seed, ...saved.bounds }).finalHash;
}

// A run cut short by --max-events: the app must re-run it to the same bound to reach its hash.
const boundedVariant = loadVariant(scenarioText, FILE, "blind");
const bounded = runScenario(boundedVariant.scenario, { maxEvents: 300 });

const expected = { scenarioText, scenarioFile: FILE, variant: "blind", seed: blind.run.seed, finalHash: blind.run.finalHash };

describe("readSavedFile: run files", () => {
  it("reads a run file whose chain verifies", () => {
    expect(readSavedFile(runFile, "blind.ndjson")).toEqual({ kind: "run-file", ...expected });
  });

  it("refuses a changed record, naming its line and seq", () => {
    const lines = runFile.split("\n");
    const i = lines.findIndex((l) => l.includes('"type":"replicas.scaled"'));
    lines[i] = lines[i].replace(/"to":(\d+)/, (_m, n) => `"to":${Number(n) + 1}`);
    expect(() => readSavedFile(lines.join("\n"), "blind.ndjson")).toThrow(`blind.ndjson:${i + 1} (record #${i - 1}): expected records whose hash chain and shape verify, found record ${i - 1} content hashes to`);
  });

  it("refuses a header whose final hash is not the chain's", () => {
    const tampered = runFile.replace(blind.run.finalHash, "0".repeat(64));
    expect(() => readSavedFile(tampered, "blind.ndjson")).toThrow(/^blind\.ndjson:1 \(header\.finalHash\): expected the hash the records end at \([0-9a-f]{64}\), found "0{64}"/);
  });

  it("refuses a truncated file (records missing at the end)", () => {
    const lines = runFile.split("\n");
    const truncated = [lines[0], ...lines.slice(1, 20)].join("\n");
    expect(() => readSavedFile(truncated, "short.ndjson")).toThrow("short.ndjson:1 (header.finalHash): expected the hash the records end at");
  });

  it("refuses a version 1 file, which has no scenario to re-run", () => {
    const header = JSON.parse(runFile.slice(0, runFile.indexOf("\n")));
    const v1 = [JSON.stringify({ format: "crossfire-run/1", scenario: header.scenario, seed: header.seed, events: header.events, finalHash: header.finalHash }), ...runFile.split("\n").slice(1)].join("\n");
    expect(() => readSavedFile(v1, "old.ndjson")).toThrow("old.ndjson: expected a crossfire-run/3 run file with its scenario, found a crossfire-run/1 file without one");
  });
});

describe("readSavedFile: bounded runs", () => {
  it("a run file of a bounded run says where it stopped, so the re-run reaches its final hash", () => {
    expect(bounded.stopReason).toBe("maxEvents");
    const file = toRunFile({ ...meta, finalHash: bounded.finalHash }, bounded.log, bounded.telemetry);
    const saved = readSavedFile(file, "bounded.ndjson");
    expect(saved.bounds).toEqual({ maxEvents: 300 });
    expect(rerunHash(saved)).toBe(bounded.finalHash);
    expect(rerunHash({ ...saved, bounds: undefined })).not.toBe(bounded.finalHash);
  });

  it("so does the report of a bounded run", () => {
    const html = toHtmlReport({ ...exportInput(blind), finalHash: bounded.finalHash, log: bounded.log, telemetry: bounded.telemetry, scenarioText, scenarioFile: FILE });
    const saved = readSavedFile(html, "bounded.html");
    expect(saved.bounds).toEqual({ maxEvents: 300 });
    expect(rerunHash(saved)).toBe(bounded.finalHash);
  });

  it("refuses bounds of the wrong shape in a report", () => {
    const html = toHtmlReport({ ...exportInput(blind), finalHash: bounded.finalHash, log: bounded.log, telemetry: bounded.telemetry, scenarioText, scenarioFile: FILE });
    expect(() => readSavedFile(html.replace(`"bounds":{"maxEvents":300}`, `"bounds":{"maxEvents":-1}`), "r.html")).toThrow("r.html (#crossfire-run).bounds: expected where a bounded run stopped");
  });
});

describe("readSavedFile: HTML reports", () => {
  it("reads the run a report embeds, and re-running it reproduces the final hash", () => {
    const saved = readSavedFile(report, "blind.html");
    expect(saved).toEqual({ kind: "html-report", ...expected });
    expect(rerunHash(saved)).toBe(blind.run.finalHash);
  });

  it("hands over a changed final hash unchanged, so the re-run's comparison refuses it", () => {
    const other = "f".repeat(64);
    const saved = readSavedFile(report.replace(`"finalHash":"${blind.run.finalHash}"`, `"finalHash":"${other}"`), "blind.html");
    expect(saved.finalHash).toBe(other);
    expect(rerunHash(saved)).not.toBe(other);
  });

  it("keeps scenario text that looks like markup exactly", () => {
    const hostile = `${scenarioText}\n# </script><script>alert(1)</script> ]]> & <!-- "quotes" 'single' \u2028\n`;
    const html = toHtmlReport({ ...exportInput(blind), scenarioText: hostile });
    const saved = readSavedFile(html, "hostile.html");
    expect(saved.scenarioText).toBe(hostile);
    expect(saved.scenarioFile).toBe("hostile.html");
    // The chain binds the scenario text's digest: even a comment added to it makes another run,
    // so the app's re-run cannot reach the report's final hash and refuses the report.
    expect(rerunHash(saved)).not.toBe(blind.run.finalHash);
  });

  it("refuses a report written without its run, saying why", () => {
    const old = toHtmlReport(exportInput(blind));
    expect(() => readSavedFile(old, "old.html")).toThrow(/^old\.html: expected a Crossfire HTML report with its run embedded .*found a report without it/);
  });

  it("refuses an HTML page that is not a Crossfire report", () => {
    expect(() => readSavedFile(`<!DOCTYPE html><html><head><title>Hello</title></head><body><p>hi</p></body></html>`, "page.html")).toThrow("page.html: expected a Crossfire run file or HTML report, found an HTML page that is not a Crossfire report");
  });

  it("refuses a changed data block, naming the field", () => {
    const block = (html: string, edit: (json: string) => string) => html.replace(/(<script type="application\/json" id="crossfire-run">)([^<]*)(<\/script>)/, (_m, open, json, close) => `${open}${edit(json)}${close}`);
    expect(() => readSavedFile(block(report, (j) => j.replace(/"finalHash":"[0-9a-f]+"/, `"finalHash":"not a hash"`)), "r.html")).toThrow(`r.html (#crossfire-run).finalHash: expected a SHA-256 hash (64 lowercase hex digits), found "not a hash"`);
    expect(() => readSavedFile(block(report, (j) => j.replace(`"format":"crossfire-report/1"`, `"format":"crossfire-report/9"`)), "r.html")).toThrow(`r.html (#crossfire-run).format: expected "crossfire-report/1", found "crossfire-report/9"`);
    expect(() => readSavedFile(block(report, (j) => j.replace(/"scenarioText":"(?:[^"\\]|\\.)*"/, `"scenarioText":7`)), "r.html")).toThrow(`r.html (#crossfire-run).scenarioText: expected the scenario file's text, found 7`);
    expect(() => readSavedFile(block(report, (j) => j.replace(/"seed":[^,]+/, `"seed":1.5`)), "r.html")).toThrow(`r.html (#crossfire-run).seed: expected a seed`);
    expect(() => readSavedFile(block(report, (j) => j.slice(0, -3)), "r.html")).toThrow(/^r\.html \(#crossfire-run\): expected the report's run as JSON, found invalid JSON/);
    expect(() => readSavedFile(block(report, () => "[1,2]"), "r.html")).toThrow(`r.html (#crossfire-run): expected the report's run as a JSON object, found a list`);
  });
});

describe("readSavedFile: anything else", () => {
  it.each([
    ["an empty file", "", /^x: expected a Crossfire run file .* or HTML report .*, found an empty file/],
    ["plain text", "hello world\n", /found text starting "hello world\\n"/],
    ["a YAML scenario", scenarioText, /^x: expected a Crossfire run file/],
    ["binary junk", "\u0000\u0001PK\u0003\u0004", /^x: expected a Crossfire run file/],
    ["JSON that is not a run file", `{"format":"something-else"}\n`, /^x:1:1: expected a header with format "crossfire-run\/3"/],
    ["broken JSON", `{"format":\n`, /^x:1:1: expected one JSON object per line, found invalid JSON/],
  ])("refuses %s", (_what, text, message) => {
    expect(() => readSavedFile(text, "x")).toThrow(message);
  });
});
