// The `crossfire` command in-process (runCli, as bin/crossfire.mjs calls it) and once as a real
// process: exit codes, the pass/fail table, JUnit XML, GitHub annotations, --json, --help.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FAILING = `name: failing
seed: 1
duration: 30m
components:
  - { id: web, kind: service, replicas: 1, capacityPerReplica: 100/s }
workload:
  - { id: users, target: web, pattern: { kind: constant, rate: 150/s } }
expect:
  - { component: web, never: unhealthy }
  - threshold: "web.latency: p(99) < 1s"
variants:
  one: {}
  two:
    components: [{ id: web, replicas: 3 }]
`;
const failingFile = join(tmp, "failing.yaml");
writeFileSync(failingFile, FAILING);

function parseJUnit(file: string) {
  return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (name) => name === "testsuite" || name === "testcase" }).parse(readFileSync(file, "utf8"));
}

describe("crossfire test", () => {
  it("passes on scenarios/ and writes JUnit XML that parses: a suite per variant, a case per expectation", () => {
    const junit = join(tmp, "report.xml");
    const r = crossfire(["test", "scenarios/", "--junit", junit]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS {3}cost-vs-performance \[blind\] /m);
    expect(r.stdout).toMatch(/^PASS {3}cost-vs-performance \[coordinated\] /m);
    const xml = parseJUnit(junit);
    const suites = xml.testsuites.testsuite as { name: string; tests: string; failures: string; testcase: { name: string; line?: string; failure?: unknown }[] }[];
    // The suite's name says what the pass means; its testcases keep the bare name as classname.
    expect(suites.map((s) => s.name)).toContain("cost-vs-performance [coordinated]: prevented as expected (5/5); system: healthy");
    expect(suites.map((s) => s.name)).toContain("dynamodb-dns-race [blind]: outage reproduced as expected (16/16); system: outage, worst availability 0% (front)");
    for (const s of suites) {
      expect(s.failures).toBe("0");
      expect(Number(s.tests)).toBe(s.testcase.length);
      for (const c of s.testcase) {
        expect(c.failure).toBeUndefined();
        expect(Number(c.line)).toBeGreaterThan(0);
      }
    }
    expect(Number(xml.testsuites.tests)).toBe(suites.reduce((n, s) => n + s.testcase.length, 0));
  });

  it("fails with exit 1, names the failing expectation's line, and records failures in JUnit", () => {
    const junit = join(tmp, "failing.xml");
    const r = crossfire(["test", failingFile, "--junit", junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {3}failing \[one\] +expectations not met \(0\/2\) · system: outage, worst availability 66% \(web\) /m);
    expect(r.stdout).toContain(`FAIL web never unhealthy  (${failingFile}:9:5)`);
    expect(r.stdout).toMatch(/^PASS {3}failing \[two\] +expectations met \(2\/2\) · system: healthy /m);
    expect(r.stdout).toContain("expectations met on 1, not met on 1, 0 errors (2 scenario variants); system: outage on 1, healthy on 1");
    expect(r.stdout).not.toContain("::error");
    const suites = parseJUnit(junit).testsuites.testsuite;
    expect(suites[0].failures).toBe("2");
    expect(suites[0].testcase[0].failure.message).toMatch(/^expected web never unhealthy; observed unhealthy in \d+ of \d+ samples/);
    expect(suites[1].failures).toBe("0");
  });

  it("emits GitHub ::error annotations at the expectation's line when GITHUB_ACTIONS=true", () => {
    const r = crossfire(["test", failingFile], { env: { GITHUB_ACTIONS: "true" } });
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::error"));
    expect(annotations).toHaveLength(2);
    expect(annotations[0]).toMatch(new RegExp(`^::error file=${failingFile.replace(/[/.]/g, "\\$&")},line=9,col=5,title=crossfire \\[one\\]%3A web never unhealthy::expected web never unhealthy; observed unhealthy in`));
    expect(annotations[1]).toContain(",line=10,col=5,");
  });

  it("--bail stops at the first failing variant", () => {
    const r = crossfire(["test", failingFile, "scenarios/cost-vs-performance.yaml", "--bail"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("stopped at the first failure (--bail)");
    expect(r.stdout).not.toContain("[two]");
    expect(r.stdout).not.toContain("cost-vs-performance");
  });

  it("a bad file is an ERROR row with its problems, exit 2, and a JUnit error", () => {
    const bad = join(tmp, "bad.yaml");
    writeFileSync(bad, FAILING.replace("replicas: 1,", "replicaz: 1,"));
    const junit = join(tmp, "bad.xml");
    const r = crossfire(["test", bad, "scenarios/cost-vs-performance.yaml", "--junit", junit], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR {2}\S*bad\.yaml/m);
    expect(r.stdout).toContain("hint: did you mean `replicas`?");
    expect(r.stdout).toContain(`::error file=${bad},line=5,col=31,title=crossfire%3A bad scenario (components[0].replicaz)::expected a known key, found unknown key \`replicaz\`; hint: did you mean \`replicas\`?`);
    expect(parseJUnit(junit).testsuites.testsuite[0].testcase[0].error.message).toContain("1 problem");
  });

  it("shows progress only on a terminal", () => {
    const file = "scenarios/cost-vs-performance.yaml";
    expect(crossfire(["test", file], { isTTY: true }).stderr).toContain("[1/1] cost-vs-performance [blind] ...");
    expect(crossfire(["test", file], { isTTY: false }).stderr).toBe("");
  });

  it("says so when nothing matches", () => {
    const r = crossfire(["test", "nowhere/*.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("nowhere/*.yaml: no scenario files match");
  });
});

describe("crossfire run", () => {
  it("--json has the documented shape", () => {
    const r = crossfire(["run", "scenarios/cost-vs-performance.yaml", "--json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ scenario: "cost-vs-performance", variant: "blind", seed: 42, events: 117, passed: true });
    expect(out.finalHash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof out.wallMs).toBe("number");
    expect(out.findings[0]).toMatchObject({ kind: "thrashing", knob: "web.replicas", actors: ["cost", "perf"] });
    for (const key of ["kind", "subjects", "from", "to", "explanation"]) expect(out.findings[0]).toHaveProperty(key);
    for (const e of out.expectations) expect(Object.keys(e)).toEqual(expect.arrayContaining(["name", "passed", "observed", "expected"]));
  });

  it("prints findings with explanations and expectations with pass/fail; exit 1 when one fails", () => {
    const ok = crossfire(["run", "scenarios/cost-vs-performance.yaml", "--variant", "coordinated"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("variant coordinated");
    expect(ok.stdout).toContain("findings: none");
    expect(ok.stdout).toMatch(/PASS {2}the lease refuses the cost agent\n {8}observed \d+ rejected \(\d+ by lease\)/);
    expect(ok.stdout).toMatch(/final hash [0-9a-f]{64}\n$/);
    const failed = crossfire(["run", failingFile]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`FAIL  web never unhealthy  (${failingFile}:9:5)`);
  });

  it("an unknown variant is bad input with a hint, and no --out file is written", () => {
    const out = join(tmp, "never.ndjson");
    const r = crossfire(["run", "scenarios/cost-vs-performance.yaml", "--variant", "coordinatd", "--out", out]);
    expect(r.code).toBe(2);
    const variantsLine = readFileSync(repoPath("scenarios/cost-vs-performance.yaml"), "utf8").split("\n").indexOf("variants:") + 1;
    expect(r.stderr).toContain(`scenarios/cost-vs-performance.yaml:${variantsLine}:1: variants: expected a variant of this scenario (blind, coordinated, cooldown), found "coordinatd"\n  hint: did you mean \`coordinated\`?`);
    expect(readdirSync(tmp)).not.toContain("never.ndjson");
  });

  it("an unwritable --out is bad input and leaves no temporary file", () => {
    const dir = join(tmp, "no-such-dir");
    const r = crossfire(["run", "scenarios/cost-vs-performance.yaml", "--out", join(dir, "run.ndjson")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write (ENOENT)");
  });
});

describe("crossfire validate and help", () => {
  it("validate checks without running; bad files give exit 2", () => {
    const good = crossfire(["validate", "scenarios/"]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("ok  scenarios/cost-vs-performance.yaml: 3 variants (blind, coordinated, cooldown), 14 expectations\n");
    const bad = crossfire(["validate", "test/errors/unknown-key.yaml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(readFileSync(repoPath("test/errors/unknown-key.expected.txt"), "utf8"));
  });

  it.each(["run", "test", "validate", "verify"])("%s --help shows examples", (command) => {
    const r = crossfire([command, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: crossfire ${command}`);
    expect(r.stdout).toMatch(/Examples?:\n {2}crossfire /);
  });

  it("usage errors exit 2", () => {
    expect(crossfire(["run"]).code).toBe(2);
    expect(crossfire(["frobnicate"]).code).toBe(2);
    expect(crossfire(["run", "scenarios/cost-vs-performance.yaml", "--max-events", "-3"]).code).toBe(2);
  });
});

describe("the binary", () => {
  it("`crossfire test scenarios/` runs as a real process with the same exit code and table", () => {
    const r = spawnSync(process.execPath, [repoPath("bin/crossfire.mjs"), "test", "scenarios/"], { cwd: repoPath(""), encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^expectations met on (\d+), not met on 0, 0 errors \(\1 scenario variants\); system: outage on \d+, healthy on \d+$/m);
    const failing = spawnSync(process.execPath, [repoPath("bin/crossfire.mjs"), "test", failingFile], { cwd: repoPath(""), encoding: "utf8" });
    expect(failing.status).toBe(1);
    expect(() => execFileSync(process.execPath, [repoPath("bin/crossfire.mjs"), "validate", "test/errors/empty.yaml"], { cwd: repoPath(""), stdio: "pipe" })).toThrow(/status 2|exit code 2|Command failed/);
  }, 60_000);
});
