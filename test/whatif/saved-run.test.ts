// A saved run file is analysed exactly like the live run: same log, same telemetry bits, same
// findings and expectation results; damaged files are refused with the line that is wrong.
import { ENGINE_VERSION } from "../../sim/engine/version.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkRun } from "../../sim/assert/check.js";
import { evaluateExpectations } from "../../sim/assert/evaluate.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { parseRunFile, toRunFile, TELEMETRY_VALUES_STORED_MAX } from "../../sim/export/run-file.js";
import { openRunFile } from "../../sim/export/saved-run.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const text = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8");
const variant = loadVariant(text, "scenarios/cost-vs-performance.yaml", "blind");
const live = runScenario(variant.scenario);
const saved = toRunFile({ scenario: "cost-vs-performance", variant: "blind", seed: live.seed, finalHash: live.finalHash, scenarioText: text, scenarioFile: "scenarios/cost-vs-performance.yaml" }, live.log, live.telemetry);

describe("run files (crossfire-run/3)", () => {
  it("round-trips the log and every telemetry bit", () => {
    const { header, log, telemetry } = parseRunFile(saved, "r.ndjson");
    expect(header).toMatchObject({ format: "crossfire-run/3", engine: ENGINE_VERSION, scenario: "cost-vs-performance", variant: "blind", seed: 42, events: live.log.length, finalHash: live.finalHash });
    expect(log).toEqual(live.log);
    expect(telemetry!.count).toBe(live.telemetry.count);
    expect(Array.from(telemetry!.times)).toEqual(Array.from(live.telemetry.times.subarray(0, live.telemetry.count)));
    expect(Buffer.from(telemetry!.values.buffer)).toEqual(Buffer.from(live.telemetry.values.buffer, 0, live.telemetry.count * live.telemetry.width * 4));
  });

  it("gives the same findings and expectation results as the live run", () => {
    const opened = openRunFile(saved, "r.ndjson");
    const liveVerdict = checkRun(variant, live);
    const findings = detect(opened.view);
    expect(findings).toEqual(liveVerdict.findings);
    expect(findings.map((f) => f.kind)).toContain("thrashing");
    expect(evaluateExpectations(opened.variant.expectations, opened.view, findings)).toEqual(liveVerdict.expectations);
  });

  it("re-derives telemetry that was too large to store, checking the final hash", () => {
    expect(live.telemetry.count * live.telemetry.width).toBeLessThan(TELEMETRY_VALUES_STORED_MAX);
    const withoutTelemetry = toRunFile({ scenario: "cost-vs-performance", variant: "blind", seed: live.seed, finalHash: live.finalHash, scenarioText: text }, live.log);
    expect(parseRunFile(withoutTelemetry).telemetry).toBeUndefined();
    const opened = openRunFile(withoutTelemetry, "r.ndjson");
    expect(Buffer.from(opened.view.telemetry.values.buffer, 0, live.telemetry.count * live.telemetry.width * 4)).toEqual(Buffer.from(live.telemetry.values.buffer, 0, live.telemetry.count * live.telemetry.width * 4));
    // A scenario text that is not the one the chain binds is refused rather than re-run.
    const edited = toRunFile({ scenario: "cost-vs-performance", variant: "blind", seed: live.seed, finalHash: live.finalHash, scenarioText: text.replace("cooldown: 3m", "cooldown: 4m") }, live.log);
    expect(() => openRunFile(edited, "r.ndjson")).toThrow(/^r\.ndjson:1 \(header\.scenarioText\): expected scenario text with SHA-256 "[0-9a-f]{64}", as record #0 \(run\.started\) binds it/);
  });

  it("refuses a changed record or telemetry line, naming the line", () => {
    const lines = saved.split("\n");
    const tampered = [...lines];
    const line = tampered.findIndex((l) => l.includes('"to":8'));
    tampered[line] = tampered[line].replace('"to":8', '"to":9');
    expect(() => openRunFile(tampered.join("\n"), "r.ndjson")).toThrow(new RegExp(`^r\\.ndjson:${line + 1} \\(record #${line - 1}\\): expected records whose hash chain and shape verify, found record ${line - 1} content hashes to`));
    const telemetryDamaged = [...lines];
    const last = telemetryDamaged.length - 2;
    telemetryDamaged[last] = telemetryDamaged[last].replace(/A/, "B");
    expect(() => openRunFile(telemetryDamaged.join("\n"), "r.ndjson")).toThrow(new RegExp(`^r\\.ndjson:${last + 1} \\(telemetry\\): expected telemetry with SHA-256 "[0-9a-f]{64}", as record #\\d+ \\(run\\.ended\\) binds it`));
  });

  it("still reads version 1 files for verification, but will not analyse them", () => {
    const v1 = [JSON.stringify({ format: "crossfire-run/1", scenario: "x", seed: 1, events: live.log.length, finalHash: live.finalHash }), ...saved.split("\n").slice(1, live.log.length + 1)].join("\n");
    expect(parseRunFile(v1).log).toEqual(live.log);
    expect(() => openRunFile(v1, "old.ndjson")).toThrow(/without one/);
  });
});
