// Flapping: health alternating and served config alternating, on hand-built logs (fires, stays
// quiet on near misses, witnesses) and on the Cloudflare scenario where the outage flapped.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFlapping } from "../../sim/detect/flapping.js";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { chainScenario, LogBuilder, min, servedScenario } from "./log-builder.js";

describe("health flapping on hand-built logs", () => {
  it("fires on 4 flips within 30 minutes, witnessing the flips and naming the actions they were caused by", () => {
    const b = new LogBuilder();
    const scaleIn = b.knob(min(9), "cost", "web", "replicas", 6, 2).seq;
    const flips = [
      b.health(min(10), "web", false, [0, scaleIn]).seq,
      b.health(min(12), "web", true, [scaleIn]).seq,
      b.health(min(15), "web", false, [0, scaleIn, 2]).seq,
      b.health(min(17), "web", true, [3]).seq,
    ];
    const findings = detectFlapping(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: "flapping",
      from: min(10),
      to: min(17),
      components: ["web"],
      actors: ["cost"],
      witnesses: flips,
      rootCauses: [scaleIn],
      metrics: { flips: 4, failures: 2, periodMs: min(5), unhealthyMs: min(4), unhealthyShare: 0.571 },
    });
    expect(findings[0].knob).toBeUndefined();
    const [summary, first, causes] = findings[0].explanation;
    expect(summary).toBe("web flipped between healthy and unhealthy 4 times between 00:10:00 and 00:17:00: 2 failures, starting about every 5m; unhealthy for 4m of those 7m.");
    expect(first).toMatch(/^It first failed at 00:10:00 with errorRate 1 \(limit [\d.]+\) and p95 10ms \(limit \d+ms\) and recovered at 00:12:00\.$/);
    expect(causes).toBe(`Its failures name as causes #${scaleIn} cost lowered web.replicas 6->2 at 00:09:00.`);
  });

  it("names a deletion among the failures' causes before routine writes, as the causal graph ranks them", () => {
    const b = new LogBuilder();
    const put = b.put(min(8), "planner", "plans", "plan", 2, 3).seq;
    const scaleIn = b.knob(min(9), "cost", "web", "replicas", 6, 2).seq;
    b.health(min(10), "web", false, [0, put, scaleIn]);
    b.health(min(12), "web", true, [scaleIn]);
    const del = b.deleted(min(13), "enactor", "plans", "plan", 1).seq;
    b.health(min(15), "web", false, [0, del]);
    b.health(min(17), "web", true, []);
    const [finding] = detectFlapping(b.view(chainScenario), DETECTOR_DEFAULTS);
    expect(finding.rootCauses).toEqual([del, put, scaleIn]);
  });

  it("stays quiet on one outage and a relapse (3 flips), and on 4 flips spread over hours", () => {
    const b = new LogBuilder();
    b.health(min(10), "web", false);
    b.health(min(12), "web", true);
    b.health(min(15), "web", false);
    for (const [t, healthy] of [[100, false], [130, true], [170, false], [205, true]] as const) b.health(min(t), "db", healthy);
    expect(detectFlapping(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("keeps components apart: two components each flipping twice do not make a finding", () => {
    const b = new LogBuilder();
    for (const c of ["web", "db"]) {
      b.health(min(10), c, false);
      b.health(min(12), c, true);
    }
    expect(detectFlapping(b.view(chainScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });
});

describe("config flapping on hand-built logs", () => {
  it("fires when the content a consumer serves alternates, even though version numbers only grow", () => {
    const b = new LogBuilder();
    const deploys: number[] = [];
    [240, 60, 240].forEach((rows, i) => {
      const put = b.put(min(1 + 4 * i), "generator", "features", "file", 2 + i, rows).seq;
      deploys.push(b.knob(min(2 + 4 * i), "distributor", "proxies", "version", 1 + i, 2 + i, { causes: [put] }).seq);
    });
    const findings = detectFlapping(b.view(servedScenario), DETECTOR_DEFAULTS);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: "flapping",
      knob: "proxies.version",
      components: ["proxies"],
      actors: ["distributor"],
      witnesses: deploys,
      rootCauses: [deploys[0]],
      metrics: { returns: 2, switches: 3, values: 2, periodMs: min(4) },
    });
    expect(findings[0].explanation[0]).toBe(
      "proxies.version went back to the value it served before the previous switch (A -> B -> A) 2 times between 00:02:00 and 00:10:00, alternating between 240 rows (24000 B, schema v1) and 60 rows (6000 B, schema v1).",
    );
    expect(findings[0].explanation[1]).toBe("distributor set proxies.version 1->2 at 00:02:00, now serving 240 rows (24000 B, schema v1); reason: distributor wants 2.");
  });

  it("ignores new versions with the same content", () => {
    const b = new LogBuilder();
    for (let i = 0; i < 6; i++) {
      b.put(min(1 + 2 * i), "generator", "features", "file", 2 + i, 60);
      b.knob(min(2 + 2 * i), "distributor", "proxies", "version", 1 + i, 2 + i);
    }
    expect(detectFlapping(b.view(servedScenario), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("fires on a DNS plan going 1 -> 2 -> 1 -> 2, but not on a single 1 -> 2 -> 1 unless asked", () => {
    const once = new LogBuilder();
    const a = once.knob(min(1), "enactor-b", "ddb-dns", "plan", 1, 2).seq;
    const back = once.knob(min(2), "enactor-a", "ddb-dns", "plan", 2, 1).seq;
    expect(detectFlapping(once.view(servedScenario), DETECTOR_DEFAULTS)).toEqual([]);
    const single = detectFlapping(once.view(servedScenario), { ...DETECTOR_DEFAULTS, configReturnsMin: 1 });
    expect(single.map((f) => [f.knob, f.witnesses])).toEqual([["ddb-dns.plan", [a, back]]]);

    const twice = new LogBuilder();
    const seqs = [1, 2, 3].map((i) => twice.knob(min(i), i % 2 === 1 ? "enactor-b" : "enactor-a", "ddb-dns", "plan", i % 2 === 1 ? 1 : 2, i % 2 === 1 ? 2 : 1).seq);
    const [finding] = detectFlapping(twice.view(servedScenario), DETECTOR_DEFAULTS);
    expect(finding).toMatchObject({ knob: "ddb-dns.plan", witnesses: seqs, actors: ["enactor-a", "enactor-b"], metrics: { returns: 2 } });
    expect(finding.explanation[0]).toContain("alternating between plan 2 and plan 1");
  });
});

describe("flapping on scenarios/cloudflare-feature-file.yaml (blind, its first variant)", () => {
  const run = runScenario(scenarioFromYaml(readFileSync(repoPath("scenarios/cloudflare-feature-file.yaml"), "utf8")));
  const flapping = detect(run).filter((f) => f.kind === "flapping");

  it("finds the proxies' health flapping and the file they serve alternating between good and bad", () => {
    const health = flapping.find((f) => f.knob === undefined)!;
    const config = flapping.find((f) => f.knob === "proxies.version")!;
    expect(health.components).toEqual(["proxies"]);
    expect(health.metrics.flips).toBeGreaterThanOrEqual(4);
    for (const seq of health.witnesses) expect(run.log[seq]).toMatchObject({ type: "health.changed", target: "proxies" });
    expect(health.actors).toContain("distributor");
    expect(config.explanation[0]).toContain("alternating between 240 rows (24000 B, schema v1) and 60 rows (6000 B, schema v1)");
    for (const seq of config.witnesses) expect(run.log[seq]).toMatchObject({ type: "config.deployed", actor: "distributor" });
  });
});
