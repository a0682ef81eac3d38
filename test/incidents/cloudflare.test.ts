// INCIDENTS.md section 3, scenarios/cloudflare-feature-file.yaml: a gradual shard migration makes
// a feature-file generator produce oversized files for a growing share of its 5-minute runs; a
// distributor pushes them to proxies whose FL2 nodes crash (5xx) and FL nodes zero bot scores.
// Blind, the outage flaps as a 5-minute square wave until every shard is migrated, stays down
// until the operator stops the generator and inserts a good file, and the detectors trace it to
// the generation and the migration. Coordinated, validation in the store refuses every oversized
// file and the proxies keep the last good one.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/cloudflare-feature-file.yaml";
const text = readFileSync(repoPath(FILE), "utf8");
const blind = loadVariant(text, FILE, "blind").scenario;
const coordinated = loadVariant(text, FILE, "coordinated").scenario;
const MIN = 60_000;
const TRIGGER_MS = 6 * MIN;
const PERIOD_MS = 5 * MIN;
const ALL_MIGRATED_MS = TRIGGER_MS + 9 * 6 * MIN;
/** The operator stops the generator and puts a good file (14:24 UTC). */
const FIX_MS = 205 * MIN;

/** Share of samples in [fromMs, toMs) where the FL2 nodes fail (proxies' error rate above 0.5). */
function badShare(run: RunResult, fromMs: number, toMs: number): number {
  const errors = run.telemetry.series("proxies", "errorRate");
  let bad = 0;
  let all = 0;
  for (let i = 0; i < run.telemetry.count; i++) {
    const t = run.telemetry.times[i];
    if (t < fromMs || t >= toMs) continue;
    all++;
    if (errors[i] > 0.5) bad++;
  }
  return bad / all;
}

describe("cloudflare feature file, blind", () => {
  const run = runScenario(blind);
  const errors = run.telemetry.series("proxies", "errorRate");
  const degraded = run.telemetry.series("proxies", "degraded");
  const badPuts = run.log.filter((r) => r.type === "document.put" && r.data.rows === 240);
  const findings = detect(run, blind.detectors);

  it("serves cleanly until the first oversized file, which comes from a migrated shard", () => {
    expect(badPuts.length).toBeGreaterThan(0);
    expect(badPuts[0].t).toBeGreaterThanOrEqual(TRIGGER_MS);
    expect(badShare(run, 0, badPuts[0].t + 30_000)).toBe(0);
    expect(badPuts[0].data.reason).toMatch(/it is migrated, its query returns duplicate rows, so the file has 240 rows/);
  });

  it("makes FL2's 5xx a square wave: 0 or 70%, switching only 30-40 s after a generation (every 5 min)", () => {
    for (let i = 0; i < run.telemetry.count; i++) {
      expect(errors[i] < 1e-6 || Math.abs(errors[i] - 0.7) < 1e-6, `errorRate ${errors[i]} at ${run.telemetry.times[i]}`).toBe(true);
      if (i === 0 || (errors[i] > 0.5) === (errors[i - 1] > 0.5)) continue;
      const sinceGeneration = run.telemetry.times[i] % PERIOD_MS;
      expect(sinceGeneration).toBeGreaterThanOrEqual(30_000);
      expect(sinceGeneration).toBeLessThanOrEqual(40_000);
    }
  });

  it("flaps: several separate bad intervals before it stays failed", () => {
    let intervals = 0;
    for (let i = 1; i < run.telemetry.count; i++) if (errors[i] > 0.5 && errors[i - 1] <= 0.5) intervals++;
    expect(intervals).toBeGreaterThanOrEqual(3);
  });

  it("zeroes FL's bot scores (degraded = 30%) exactly while FL2 fails", () => {
    expect(Math.max(...degraded)).toBeCloseTo(0.3, 6);
    for (let i = 0; i < run.telemetry.count; i++) expect(degraded[i] > 0.15).toBe(errors[i] > 0.5);
  });

  it("flips the proxies' health at least 4 times, naming the oversized file among the causes", () => {
    const flips = run.log.filter((r) => r.type === "health.changed" && r.target === "proxies");
    expect(flips.length).toBeGreaterThanOrEqual(4);
    const down = flips.find((r) => r.data.healthy === false)!;
    const causes = down.causes.map((c) => run.log[c]);
    expect(causes.some((c) => c.type === "document.put" && c.data.rows === 240)).toBe(true);
    expect(causes.some((c) => c.type === "config.deployed")).toBe(true);
  });

  it("is failed for good once every shard is migrated (about 1 h in), until the operator's fix", () => {
    expect(badShare(run, ALL_MIGRATED_MS + PERIOD_MS + 40_000, FIX_MS + 30_000)).toBe(1);
  });

  it("recovers when the operator stops the generator and puts a good file (14:24), 30 s later", () => {
    const operatorPut = run.log.find((r) => r.type === "document.put" && r.actor === "operator")!;
    expect(operatorPut).toMatchObject({ t: FIX_MS, data: { rows: 60 } });
    expect(run.log.some((r) => r.actor === "generator" && r.t >= FIX_MS)).toBe(false);
    expect(run.agentStates.filter((s) => s.agent === "generator").at(-1)).toEqual({ t: FIX_MS, agent: "generator", state: "stopped" });
    const recovery = run.log.filter((r) => r.type === "health.changed" && r.target === "proxies").at(-1)!;
    expect(recovery.data.healthy).toBe(true);
    expect(recovery.t).toBeLessThanOrEqual(FIX_MS + MIN);
    const deploy = run.log.find((r) => r.type === "config.deployed" && r.causes.includes(operatorPut.seq))!;
    expect(recovery.causes).toEqual(expect.arrayContaining([operatorPut.seq, deploy.seq]));
    expect(badShare(run, FIX_MS + 40_000, blind.durationMs + 1)).toBe(0);
  });

  it("names the bad file generation, and behind it the migration, as the root cause; never a proxy", () => {
    const health = findings.find((f) => f.kind === "flapping" && f.knob === undefined)!;
    expect(health.components).toEqual(["proxies"]);
    expect(health.actors).toContain("generator");
    // The finding's first root cause is the generator's first oversized file...
    expect(health.rootCauses[0]).toBe(badPuts[0].seq);
    for (const seq of health.rootCauses) expect(run.log[seq].actor).not.toBe("proxies");
    // ...which the migration caused: the shard it read had just been migrated.
    const graph = buildCausalGraph(run.log, { agents: blind.agents.map((a) => a.id) });
    const [migration] = graph.rootCauses(badPuts[0].seq);
    expect(run.log[migration.seq]).toMatchObject({ type: "shards.migrated", actor: "permissions-change" });
    // From the first failure: proximately the file and its deploy, and at the origin the
    // permissions change itself (the first shard migrated at 00:06 = 11:05).
    const firstFailure = run.log.find((r) => r.type === "health.changed" && r.data.healthy === false)!;
    const proximate = graph.rootCauses(firstFailure.seq);
    expect(proximate.map((r) => r.seq)).toEqual([badPuts[0].seq, badPuts[0].seq + 1]);
    expect(run.log[proximate[1].seq]).toMatchObject({ type: "config.deployed", actor: "distributor" });
    const origin = graph.rootCauses(firstFailure.seq, { mode: "origin" });
    expect(origin.map((r) => run.log[r.seq])).toEqual([expect.objectContaining({ type: "shards.migrated", actor: "permissions-change", t: TRIGGER_MS, data: expect.objectContaining({ from: 0, to: 1 }) })]);
  });

  it("has a bad share that grows with the migrated fraction (20 seeds, first 70 min)", () => {
    let early = 0;
    let late = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = runScenario(blind, { seed, maxTimeMs: 70 * MIN });
      early += badShare(r, TRIGGER_MS, TRIGGER_MS + 30 * MIN);
      late += badShare(r, TRIGGER_MS + 30 * MIN, ALL_MIGRATED_MS);
      expect(badShare(r, ALL_MIGRATED_MS + PERIOD_MS + 40_000, 70 * MIN + 1), `seed ${seed}`).toBe(1);
    }
    // Expected shares: about 0.15 while 0-5 of 10 shards are migrated, about 0.6 while 5-9 are.
    expect(early / 20).toBeLessThan(0.35);
    expect(late / 20).toBeGreaterThan(0.45);
  });
});

describe("cloudflare feature file, coordinated (validation of the document in the store)", () => {
  const run = runScenario(coordinated);
  const blindRun = runScenario(blind);

  it("has no FL2 errors, no degraded output and no flapping", () => {
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBe(0);
    expect(run.log.some((r) => r.type === "health.changed")).toBe(false);
    expect(detect(run, coordinated.detectors)).toEqual([]);
  });

  it("rejects every oversized file by the validation policy, and readers keep the last good version", () => {
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    const blindBad = blindRun.log.filter((r) => r.type === "document.put" && r.data.rows === 240);
    expect(rejected.length).toBe(blindBad.length);
    rejected.forEach((r, i) => {
      expect(r.t).toBe(blindBad[i].t);
      expect(r.actor).toBe("generator");
      expect(r.data.policy).toBe("validation");
      expect(r.data.reason).toMatch(/^features\.file version \d+ refused: 240 rows exceed the limit of 200; readers keep version \d+$/);
      expect(r.data.intent).toMatch(/duplicate rows/);
    });
    expect(run.log.filter((r) => r.type === "document.put").every((r) => r.data.rows === 60)).toBe(true);
  });

  it("diverges from the blind run exactly at the first oversized file", () => {
    // Record #0 names the variant, so the chains part there; compare what happened after it.
    const content = ({ hash: _h, prev: _p, ...rest }: (typeof run.log)[number]) => JSON.stringify(rest);
    const first = run.log.findIndex((r, i) => i > 0 && content(r) !== content(blindRun.log[i]));
    expect(run.log[first]).toMatchObject({ type: "command.rejected", actor: "generator" });
    expect(blindRun.log[first]).toMatchObject({ type: "document.put", data: { rows: 240 } });
  });

  it("is deterministic: the same seed gives the same final hash", () => {
    expect(runScenario(coordinated).finalHash).toBe(run.finalHash);
    expect(runScenario(blind, { seed: 5 }).finalHash).toBe(runScenario(blind, { seed: 5 }).finalHash);
  });
});

describe("cloudflare feature file, the other fixes", () => {
  const variant = (from: string, to: string) => {
    expect(text).toContain(from);
    return loadVariant(text.replace(from, to), FILE, "blind").scenario;
  };

  it("a distributor keeping the last good file: no errors, no degraded output", () => {
    const run = runScenario(variant("    propagation: 30s\n", "    propagation: 30s\n    keepLastGood: true\n    rules: { rowsMax: 200 }\n"));
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBe(0);
  });

  it("FL2 failing open: no errors (FL still degrades)", () => {
    const run = runScenario(variant("onViolation: crash", "onViolation: failOpen"));
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBeCloseTo(0.3, 6);
  });
});
