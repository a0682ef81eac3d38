// `crossfire sweep` end to end: real worker threads, output independent of the worker count,
// results equal to runs in this thread, a seed-dependent failure named with its replay command,
// and bad input refused before any worker starts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadVariant } from "../../sim/scenario/load.js";
import { runSeed } from "../../sim/sweep/run-seed.js";
import { SeedCrash, sweepSeeds } from "../../sim/cli/sweep.js";
import { crossfire } from "../helpers/cli.js";
import { repoPath } from "../helpers/scenarios.js";
import { crossfireAsync } from "./cli.js";

// A service near its limit under noisy load, one minute long: whether its peak utilization
// stays under 95% depends on the seed's noise draws (checked below: some seeds pass, some fail).
const NOISY = `name: noisy-edge
description: Four replicas at 80% mean utilization with 10% noise; the peak decides the verdict.
seed: 1
duration: 1m
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 4, capacityPerReplica: 100/s }
workload:
  - { id: users, target: edge, pattern: { kind: constant, rate: 320/s }, noise: 0.1 }
expect:
  - name: utilization stays under 95%
    threshold: "web.utilization max < 0.95"
`;

const tmp = mkdtempSync(join(tmpdir(), "crossfire-sweep-"));
const noisyFile = join(tmp, "noisy.yaml");
const brokenFile = join(tmp, "broken.yaml");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => {
  writeFileSync(noisyFile, NOISY);
  writeFileSync(brokenFile, NOISY.replace("replicas: 4", "replicas: four"));
});

const withoutWall = (stdout: string) => {
  const { wallMs, ...rest } = JSON.parse(stdout);
  expect(typeof wallMs).toBe("number");
  return rest;
};

describe("crossfire sweep", () => {
  it("gives the same --json output and exit code with 1 and 2 workers, results sorted by seed and equal to runs in this thread", async () => {
    const args = ["sweep", "scenarios/cost-vs-performance.yaml", "--seeds", "6", "--json"];
    const one = await crossfireAsync([...args, "--workers", "1"]);
    const two = await crossfireAsync([...args, "--workers", "2"]);
    expect(one.stderr).toBe("");
    expect(one.code).toBe(0);
    expect(two.code).toBe(one.code);
    const json = withoutWall(one.stdout);
    expect(withoutWall(two.stdout)).toEqual(json);

    expect(json).toMatchObject({ scenario: "cost-vs-performance", variant: "blind", seeds: { from: 1, count: 6 }, passed: true, firstFailing: null });
    expect(json.scenarioSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(json.results.map((r: { seed: number }) => r.seed)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(json.summary.passed.count).toBe(6);
    expect(json.summary.findings.find((f: { kind: string }) => f.kind === "thrashing").seeds.count).toBe(6);

    const file = repoPath("scenarios/cost-vs-performance.yaml");
    const variant = loadVariant(readFileSync(file, "utf8"), file, "blind");
    expect(json.results[2]).toEqual(runSeed(variant, 3));
    const run = crossfire(["run", "scenarios/cost-vs-performance.yaml", "--variant", "blind", "--seed", "3", "--json"]);
    expect(JSON.parse(run.stdout).finalHash).toBe(json.results[2].finalHash);
  });

  it("exits 1 when some seeds fail, names the first failing seed, and its replay command reproduces it", async () => {
    const r = await crossfireAsync(["sweep", noisyFile, "--seeds", "8", "--json", "--workers", "2"]);
    expect(r.code).toBe(1);
    const json = withoutWall(r.stdout);
    const passed = json.results.map((s: { passed: boolean }) => s.passed);
    // The expectation really depends on the seed: the sweep must see both outcomes.
    expect(passed).toContain(true);
    expect(passed).toContain(false);
    expect(new Set(json.results.map((s: { finalHash: string }) => s.finalHash)).size).toBe(8);
    const first = json.results.find((s: { passed: boolean }) => !s.passed);
    expect(json.firstFailing).toEqual({ seed: first.seed, failedExpectations: ["utilization stays under 95%"], reproduce: `crossfire run ${noisyFile} --seed ${first.seed}` });
    expect(json.summary.expectations).toEqual([{ name: "utilization stays under 95%", failedSeeds: passed.filter((p: boolean) => !p).length, firstFailingSeed: first.seed }]);

    const replay = crossfire(["run", noisyFile, "--seed", String(first.seed), "--json"]);
    expect(replay.code).toBe(1);
    expect(JSON.parse(replay.stdout).finalHash).toBe(first.finalHash);
  });

  it("prints the same text report whatever the worker count; wall time and progress go to stderr, progress only on a TTY", async () => {
    const args = ["sweep", noisyFile, "--seeds", "8", "--from", "3"];
    const one = await crossfireAsync([...args, "--workers", "1"]);
    const two = await crossfireAsync([...args, "--workers", "2"], { isTTY: true });
    expect(two.stdout).toBe(one.stdout);
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(one.stdout).toMatch(/^sweep noisy-edge {2}seeds 3\.\.10 \(8\) {2}scenario sha256 [0-9a-f]{16}\n/);
    expect(one.stdout).toMatch(/\nexpectations met on \d\/8 seeds {2}\d+\.\d% {2}\[\d+\.\d%, \d+\.\d%\]; system: (outage|degraded|healthy) on \d.*\nexpectations not met on seeds \d/);
    expect(one.stdout).toMatch(/\nfirst failing seed (\d+): "utilization stays under 95%" failed\n {2}reproduce: crossfire run \S+noisy\.yaml --seed \1\n$/);
    expect(one.stderr).toBe("swept 8 seeds in 0.1 s with 1 worker\n");
    expect(two.stderr).toContain("[8/8] seeds ...");
    expect(two.stderr).toMatch(/swept 8 seeds in 0\.1 s with 2 workers\n$/);
  });

  it("reports a scenario that does not load once, as bad input (exit 2), before any worker starts", async () => {
    const r = await crossfireAsync(["sweep", brokenFile, "--seeds", "4"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${brokenFile}:`);
    expect(r.stderr).toContain("components[1].replicas");
    expect(r.stderr.match(/replicas/g)!.length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toContain("swept");
  });

  it.each([
    [["sweep", "scenarios/cost-vs-performance.yaml"], /required option '--seeds <n>' not specified/],
    [["sweep", "scenarios/cost-vs-performance.yaml", "--seeds", "0"], /--seeds: expected a whole number from 1 to 100000, found "0"/],
    [["sweep", "scenarios/cost-vs-performance.yaml", "--seeds", "3", "--workers", "two"], /--workers: expected a whole number from 1 to 256, found "two"/],
    [["sweep", "scenarios/cost-vs-performance.yaml", "--seeds", "3", "--from", "1.5"], /--from: expected a whole number, found "1.5"/],
    [["sweep", "scenarios/cost-vs-performance.yaml", "--seeds", "3", "--variant", "blnd"], /did you mean/],
    [["sweep", "no-such.yaml", "--seeds", "3"], /no-such\.yaml: expected a readable scenario file, found no such file/],
  ])("refuses bad input %j with exit 2", async (args, message) => {
    const r = await crossfireAsync(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("runs the other commands through the async runner unchanged, and lists sweep in --help", async () => {
    const validate = await crossfireAsync(["validate", "scenarios/cost-vs-performance.yaml"]);
    expect(validate.code).toBe(0);
    expect(validate.stdout).toContain("ok  scenarios/cost-vs-performance.yaml");
    const help = await crossfireAsync(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("sweep");
    const sweepHelp = await crossfireAsync(["sweep", "--help"]);
    expect(sweepHelp.stdout).toContain("crossfire sweep scenarios/cost-vs-performance.yaml --seeds 20");
  });
});

describe("sweepSeeds", () => {
  it("runs every seed even when some throw, then names the lowest seed that threw, whatever the order they finished in", async () => {
    // A task the worker cannot load: every seed throws inside the worker.
    const crash = await sweepSeeds({ scenarioText: "name: [", file: "bad.yaml", variant: "default" }, [5, 3, 4], 2).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(SeedCrash);
    expect((crash as SeedCrash).seed).toBe(3);
    expect((crash as SeedCrash).detail).toContain("bad.yaml");
  });
});
