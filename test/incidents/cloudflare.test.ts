// INCIDENTS.md section 3 expressed in YAML: a gradual shard migration makes a feature-file
// generator produce oversized files for a growing share of its 5-minute runs; a distributor
// pushes them to proxies whose FL2 nodes crash (5xx) and FL nodes zero bot scores. Blind, the
// outage flaps as a 5-minute square wave until every shard is migrated; validating the document
// in the store (the coordination `validation` policy) keeps the last good file everywhere.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const text = readFileSync(repoPath("test/incidents/cloudflare-sketch.yaml"), "utf8");
const blind = scenarioFromYaml(text);
const coordinated = scenarioFromYaml(`${text}coordination:\n  validation: { documents: [features.file], rowsMax: 200 }\n`);
const TRIGGER_MS = 6 * 60_000;
const PERIOD_MS = 5 * 60_000;
const ALL_MIGRATED_MS = TRIGGER_MS + 9 * 6 * 60_000;

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

describe("cloudflare feature file sketch, blind", () => {
  const run = runScenario(blind);
  const errors = run.telemetry.series("proxies", "errorRate");
  const degraded = run.telemetry.series("proxies", "degraded");
  const badPuts = run.log.filter((r) => r.type === "document.put" && r.data.rows === 240);

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

  it("is failed for good once every shard is migrated (about 1 h in)", () => {
    expect(badShare(run, ALL_MIGRATED_MS + PERIOD_MS + 40_000, blind.durationMs + 1)).toBe(1);
  });

  it("has a bad share that grows with the migrated fraction (20 seeds)", () => {
    let early = 0;
    let late = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = runScenario(blind, { seed });
      early += badShare(r, TRIGGER_MS, TRIGGER_MS + 30 * 60_000);
      late += badShare(r, TRIGGER_MS + 30 * 60_000, ALL_MIGRATED_MS);
      expect(badShare(r, ALL_MIGRATED_MS + PERIOD_MS + 40_000, blind.durationMs + 1), `seed ${seed}`).toBe(1);
    }
    // Expected shares: about 0.15 while 0-5 of 10 shards are migrated, about 0.6 while 5-9 are.
    expect(early / 20).toBeLessThan(0.35);
    expect(late / 20).toBeGreaterThan(0.45);
  });
});

describe("cloudflare feature file sketch, coordinated (validation of the document in the store)", () => {
  const run = runScenario(coordinated);

  it("has no FL2 errors and no degraded output", () => {
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBe(0);
    expect(run.log.some((r) => r.type === "health.changed")).toBe(false);
  });

  it("rejects every oversized file by the validation policy, and readers keep the last good version", () => {
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    const blindBad = runScenario(blind).log.filter((r) => r.type === "document.put" && r.data.rows === 240);
    expect(rejected.length).toBe(blindBad.length);
    for (const r of rejected) {
      expect(r.data.policy).toBe("validation");
      expect(r.data.reason).toMatch(/^features\.file version \d+ refused: 240 rows exceed the limit of 200; readers keep version \d+$/);
      expect(r.data.intent).toMatch(/duplicate rows/);
    }
    expect(run.log.filter((r) => r.type === "document.put").every((r) => r.data.rows === 60)).toBe(true);
  });

  it("is deterministic: the same seed gives the same final hash", () => {
    expect(runScenario(coordinated).finalHash).toBe(run.finalHash);
    expect(runScenario(blind, { seed: 5 }).finalHash).toBe(runScenario(blind, { seed: 5 }).finalHash);
  });
});

describe("cloudflare feature file sketch, the other fixes", () => {
  it("a distributor keeping the last good file: no errors, no degraded output", () => {
    const run = runScenario(scenarioFromYaml(text.replace("propagation: 30s }", "propagation: 30s, keepLastGood: true, rules: { rowsMax: 200 } }")));
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBe(0);
  });

  it("FL2 failing open: no errors (FL still degrades)", () => {
    const run = runScenario(scenarioFromYaml(text.replace("onViolation: crash", "onViolation: failOpen")));
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
    expect(Math.max(...run.telemetry.series("proxies", "degraded"))).toBeCloseTo(0.3, 6);
  });
});
