// INCIDENTS.md section 4 expressed in YAML: HPA (replicas on CPU utilization) and VPA (CPU
// requests) act on the same resource of one workload under constant load. Blind, VPA's resizes
// and HPA's scalings cause each other and replicas reverse several times an hour; with the
// published fix, HPA owning the workload's CPU, replicas settle.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const HOUR_MS = 3_600_000;
const blindText = readFileSync(repoPath("test/incidents/hpa-vpa-sketch.yaml"), "utf8");
// The published fix is ownership per (workload, resource): HPA owns web's CPU, VPA would own its
// memory. A lease says exactly that: every knob driven by web's CPU (replicas, which HPA scales
// on CPU, and the CPU request) is held by hpa for the whole run, and any other writer is
// rejected with a reason naming the holder. An authorization scope would also stop VPA, but it
// has to list what every agent may write, and VPA's own scope (memory) has no knob here.
const coordinatedText = `${blindText}\ncoordination:\n  lease: { knobs: [web.replicas, web.cpuRequestMillicores], holder: hpa }\n`;

/** Replica scalings whose direction differs from the scaling before them. */
function reversals(log: readonly EventRecord[]): EventRecord[] {
  const scalings = log.filter((r) => r.type === "replicas.scaled");
  const direction = (r: EventRecord) => Math.sign((r.data.to as number) - (r.data.from as number));
  return scalings.filter((r, i) => i > 0 && direction(r) !== direction(scalings[i - 1]));
}

describe("HPA vs VPA on CPU, blind", () => {
  const run = runScenario(scenarioFromYaml(blindText));
  const scalings = run.log.filter((r) => r.type === "replicas.scaled");
  const resizes = run.log.filter((r) => r.type === "resources.resized");
  const endMs = run.scenario.durationMs;

  it("reverses the replica direction at least 3 times in every hour", () => {
    const found = reversals(run.log);
    for (let h = 0; h < endMs / HOUR_MS; h++) {
      const inHour = found.filter((r) => r.t >= h * HOUR_MS && r.t < (h + 1) * HOUR_MS);
      expect(inHour.length, `hour ${h}`).toBeGreaterThanOrEqual(3);
    }
    expect(scalings.every((r) => r.actor === "hpa")).toBe(true);
    expect(run.stats.rejected).toBe(0);
  });

  it("has VPA evict after every HPA change, its resize caused by that scaling", () => {
    for (const s of scalings.filter((r) => r.t < endMs - 180_000)) {
      const next = resizes.find((r) => r.seq > s.seq);
      expect(next, `resize after #${s.seq}`).toBeDefined();
      expect(next!.t - s.t, `#${s.seq} -> #${next!.seq}`).toBeLessThanOrEqual(120_000);
      expect(next!.causes, `#${next!.seq}`).toContain(s.seq);
      expect(next!.data.reason).toMatch(/evicting pods$/);
    }
  });

  it("has every HPA change caused by a VPA resize, and every scale-out by an eviction under a minute old", () => {
    for (const s of scalings) {
      const resizeCauses = s.causes.map((c) => run.log[c]).filter((c) => c.type === "resources.resized");
      expect(resizeCauses.length, `#${s.seq}`).toBeGreaterThan(0);
      if ((s.data.to as number) > (s.data.from as number)) {
        expect(s.t - resizeCauses.at(-1)!.t, `#${s.seq}`).toBeLessThanOrEqual(60_000);
        expect(s.data.reason).toMatch(/^web\.cpuUtilization = 0\.\d+ > target 0\.70: \d+ -> \d+ replicas$/);
      }
    }
  });

  it("starts the way the incident describes: VPA raises requests, utilization falls, HPA scales in", () => {
    expect(resizes[0].data).toMatchObject({ from: 1000, to: 1534 });
    expect(scalings[0].data).toMatchObject({ from: 3, to: 2 });
    expect(scalings[0].causes).toContain(resizes[0].seq);
    expect(scalings[0].data.reason).toBe("web.cpuUtilization = 0.435 < target 0.70: 3 -> 2 replicas (highest recommendation of the last 300s)");
  });

  it("does not reverse with Kubernetes' default margin: both push replicas up and HPA pins at replicasMax", () => {
    const defaults = runScenario(scenarioFromYaml(blindText.replace("safetyMargin: 1.3", "safetyMargin: 0.15")));
    expect(reversals(defaults.log).length).toBeLessThanOrEqual(1);
    expect(defaults.telemetry.series("web", "replicas").at(-1)).toBe(10);
  });
});

describe("HPA vs VPA on CPU, coordinated (HPA holds the lease on web's CPU)", () => {
  const run = runScenario(scenarioFromYaml(coordinatedText));

  it("reverses the replica direction at most once", () => {
    expect(reversals(run.log).length).toBeLessThanOrEqual(1);
  });

  it("rejects every VPA resize with the lease as the reason, so no pod is evicted", () => {
    expect(run.log.some((r) => r.type === "resources.resized")).toBe(false);
    const rejected = run.log.filter((r) => r.type === "command.rejected");
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected) {
      expect(r).toMatchObject({ actor: "vpa", data: { knob: "cpuRequestMillicores", policy: "lease", reason: "web.cpuRequestMillicores is leased to hpa for the whole run" } });
    }
    expect(Math.min(...run.telemetry.series("web", "available"))).toBe(1);
  });

  it("leaves web inside HPA's tolerance band", () => {
    const utilization = run.telemetry.series("web", "cpuUtilization").at(-1)!;
    expect(Math.abs(utilization / 0.7 - 1)).toBeLessThanOrEqual(0.1);
  });

  it("is deterministic", () => {
    expect(runScenario(scenarioFromYaml(coordinatedText)).finalHash).toBe(run.finalHash);
    expect(runScenario(scenarioFromYaml(blindText)).finalHash).toBe(runScenario(scenarioFromYaml(blindText)).finalHash);
  });
});
