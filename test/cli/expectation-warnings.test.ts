// What users see of vacuous expectations and agent-state expectations: validate's warnings and
// --strict, test's VACUOUS lines, JUnit <skipped>, GitHub ::warning annotations, --json, and
// agent-state expectations evaluated on a saved run file (the state trace re-derived by a re-run).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { checkRun } from "../../sim/assert/check.js";
import { openRunFile } from "../../sim/export/saved-run.js";
import { crossfire } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "crossfire-vacuous-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCENARIO = `name: vacuous
seed: 1
duration: 30m
components:
  - { id: web, kind: service, replicas: 3, capacityPerReplica: 100/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 100/s } }
agents:
  - { id: perf, kind: performance, target: web, latencyP95Max: 60ms }
expect:
  - event: replicas.scalde
    count: "== 0"
  - { agent: perf, never: coolingDown }
  - { event: replicas.scaled, after: { event: fault.started }, within: 5m }
`;

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("vacuous expectations in the CLI", () => {
  const file = write("vacuous.yaml", SCENARIO);

  it("validate warns on stderr with file:line:col and a hint, exits 0; --strict exits 2", () => {
    const ok = crossfire(["validate", file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`ok  ${file}: 1 variant (default), 3 expectations, 1 warning\n`);
    expect(ok.stderr).toContain(`${file}:11:12: warning: expect[0].event: expected a record type this scenario can log (`);
    expect(ok.stderr).toContain("hint: did you mean `replicas.scaled`?");
    const strict = crossfire(["validate", "--strict", file]);
    expect(strict.code).toBe(2);
    expect(strict.stdout).toBe("");
    expect(strict.stderr).toContain("1 warning (--strict makes them errors)");
  });

  it("test marks each vacuous pass under a passing row; JUnit has it as <skipped>; annotations warn", () => {
    const junit = join(dir, "report.xml");
    const r = crossfire(["test", file, "--junit", junit], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`       VACUOUS replicas.scalde records == 0  (${file}:11:5)\n            passed (vacuous: no record of this scenario has type replicas.scalde)\n`);
    expect(r.stdout).toContain("passed (vacuous: the trigger (fault.started records) never occurred)");
    expect(r.stdout).toMatch(/::warning file=[^,]+,line=11,col=5,title=crossfire \[default\]%3A vacuous pass%3A replicas.scalde records == 0::passed \(vacuous/);
    expect(r.stdout).toMatch(/::warning file=[^,]+,line=11,col=12,title=crossfire%3A expectation can never match/);
    expect(r.stderr).toContain("warning: expect[0].event");
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(readFileSync(junit, "utf8"));
    const suite = xml.testsuites.testsuite;
    expect(suite.skipped).toBe("2");
    expect(suite.failures).toBe("0");
    const cases = suite.testcase as { name: string; skipped?: { message: string } }[];
    expect(cases.map((c) => c.skipped?.message)).toEqual(["passed (vacuous: no record of this scenario has type replicas.scalde)", undefined, "passed (vacuous: the trigger (fault.started records) never occurred)"]);
  });

  it("the HTML report marks a vacuous pass, escaped", () => {
    const reports = join(dir, "reports");
    expect(crossfire(["test", file, "--reports", reports]).code).toBe(0);
    const html = readFileSync(join(reports, "vacuous.html"), "utf8");
    expect(html).toContain('<em class="vacuous" data-vacuous="true">passed (vacuous: no record of this scenario has type replicas.scalde)</em>');
  });

  it("run --json carries `vacuous` on the expectation and prints warnings on stderr only", () => {
    const r = crossfire(["run", file, "--json"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { expectations: { vacuous?: string }[] };
    expect(json.expectations.map((e) => e.vacuous)).toEqual(["no record of this scenario has type replicas.scalde", undefined, "the trigger (fault.started records) never occurred"]);
    expect(r.stderr).toContain("warning:");
  });

  it("run's text output says passed (vacuous: ...) with the location", () => {
    const r = crossfire(["run", file]);
    expect(r.stdout).toContain(`  PASS  replicas.scalde records == 0  (${file}:11:5)\n        observed no matching replicas.scalde record\n        passed (vacuous: no record of this scenario has type replicas.scalde)\n`);
  });
});

describe("agent-state expectations on a saved run file", () => {
  it("re-derive the state trace by re-running and give what the live run gave", () => {
    const scenario = write("states.yaml", SCENARIO.replace(/expect:[\s\S]*$/, "expect:\n  - { agent: perf, never: coolingDown }\n  - { agent: perf, state: watching, entered: \"== 1\" }\n"));
    const out = join(dir, "run.ndjson");
    const live = crossfire(["run", scenario, "--out", out, "--json"]);
    expect(live.code).toBe(0);
    const opened = openRunFile(readFileSync(out, "utf8"), out);
    expect(opened.view.agentStates?.length).toBeGreaterThan(0);
    const verdict = checkRun(opened.variant, opened.view);
    expect(verdict.expectations.map((e) => [e.passed, e.observed])).toEqual((JSON.parse(live.stdout) as { expectations: { passed: boolean; observed: string }[] }).expectations.map((e) => [e.passed, e.observed]));
    expect(verdict.expectations.every((e) => e.passed)).toBe(true);
  });
});
