// `crossfire telemetry`: a run's signals over time as CSV or JSON, selected by glob patterns, the
// same from a scenario and from its run file, and a located usage error for a pattern that
// selects nothing (issue 16 item 7: authors no longer decode base64 telemetry by hand).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { formatSample } from "../../sim/export/telemetry-table.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";
import { readFileSync } from "node:fs";

const FILE = "docs/examples/first-scenario.yaml";

describe("crossfire telemetry", () => {
  const run = runScenario(loadVariant(readFileSync(repoPath(FILE), "utf8"), FILE, "brownout").scenario);

  it("prints the selected columns as CSV, one row per sample, the values the run sampled", () => {
    const r = crossfire(["telemetry", repoPath(FILE), "--variant", "brownout", "--signals", "web.errorRate,db.*P95"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("tMs,time,web.errorRate,db.latencyMsP95");
    expect(lines).toHaveLength(run.telemetry.count + 1);
    const errors = run.telemetry.series("web", "errorRate");
    const p95 = run.telemetry.series("db", "latencyMsP95");
    for (const k of [0, Math.floor(run.telemetry.count / 2), run.telemetry.count - 1]) {
      const [t, , e, l] = lines[k + 1].split(",");
      expect(Number(t)).toBe(run.telemetry.times[k]);
      expect(Number(e)).toBeCloseTo(errors[k], 6);
      expect(Number(l)).toBeCloseTo(p95[k], 3);
    }
    expect(errors.some((e) => e > 0.01)).toBe(true); // the brownout shows in the column
  });

  it("gives the same table from the run file as from the scenario, and JSON with the same numbers", () => {
    const dir = mkdtempSync(join(tmpdir(), "crossfire-telemetry-"));
    const out = join(dir, "run.ndjson");
    expect(crossfire(["run", repoPath(FILE), "--variant", "brownout", "--out", out, "--quiet"]).code).toBe(0);
    const fromScenario = crossfire(["telemetry", repoPath(FILE), "--variant", "brownout", "--signals", "*.healthy"]).stdout;
    expect(crossfire(["telemetry", out, "--signals", "*.healthy"]).stdout).toBe(fromScenario);
    const json = JSON.parse(crossfire(["telemetry", out, "--signals", "*.healthy", "--format", "json"]).stdout) as { variant: string; times: number[]; series: Record<string, number[]> };
    expect(json.variant).toBe("brownout");
    expect(json.times).toHaveLength(run.telemetry.count);
    expect(Object.keys(json.series)).toEqual(run.telemetry.componentIds.map((id) => `${id}.healthy`));
    const csvHealthy = fromScenario.trimEnd().split("\n").slice(1).map((l) => Number(l.split(",")[3]));
    expect(json.series[`${run.telemetry.componentIds[1]}.healthy`]).toEqual(csvHealthy);
  });

  it("refuses a pattern that selects nothing, or an unknown format, with exit 2 and the columns it has", () => {
    const r = crossfire(["telemetry", repoPath(FILE), "--signals", "web.errrate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--signals: "web.errrate" selects no column; columns are component.signal, e.g. web.loadRps');
    expect(r.stdout).toBe("");
    expect(crossfire(["telemetry", repoPath(FILE), "--format", "xml"]).stderr).toContain('--format: expected csv or json, found "xml"');
  });

  it("prints Float32 samples with the digits they hold, and infinities by name", () => {
    expect(formatSample(Math.fround(0.3))).toBe("0.3");
    expect(formatSample(Math.fround(1234.5678))).toBe("1234.568");
    expect(formatSample(Infinity)).toBe("Infinity");
    expect(formatSample(-Infinity)).toBe("-Infinity");
    expect(formatSample(0)).toBe("0");
  });
});
