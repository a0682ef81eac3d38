// INCIDENTS.md section 4, scenarios/hpa-vpa-thrash.yaml: HPA (replicas on CPU utilization) and
// VPA (CPU requests) act on the same resource of one workload under constant load. Blind, VPA's
// resizes and HPA's scalings cause each other and replicas reverse several times an hour, with a
// VPA eviction after every HPA change; with the published fix, HPA owning the workload's CPU
// (a lease held by hpa), VPA's resizes are rejected and replicas settle.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCausalGraph } from "../../sim/causal/index.js";
import { detect } from "../../sim/detect/index.js";
import { runScenario } from "../../sim/engine/engine.js";
import type { EventRecord } from "../../sim/log/record.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

const HOUR_MS = 3_600_000;
const FILE = "scenarios/hpa-vpa-thrash.yaml";
const text = readFileSync(repoPath(FILE), "utf8");
const variant = (name: string, source = text) => loadVariant(source, FILE, name).scenario;

/** Replica scalings whose direction differs from the scaling before them. */
function reversals(log: readonly EventRecord[]): EventRecord[] {
  const scalings = log.filter((r) => r.type === "replicas.scaled");
  const direction = (r: EventRecord) => Math.sign((r.data.to as number) - (r.data.from as number));
  return scalings.filter((r, i) => i > 0 && direction(r) !== direction(scalings[i - 1]));
}

describe("HPA vs VPA on CPU, blind", () => {
  const run = runScenario(variant("blind"));
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
    expect(resizes.every((r) => r.actor === "vpa")).toBe(true);
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

  it("starts the way the incident describes: VPA raises requests, utilization falls, HPA scales in after its 300 s window", () => {
    expect(resizes[0]).toMatchObject({ seq: 1, t: 60_000, data: { from: 1000, to: 1534 } });
    expect(scalings[0].data).toMatchObject({ from: 3, to: 2 });
    expect(scalings[0].causes).toContain(resizes[0].seq);
    expect(scalings[0].data.reason).toBe("web.cpuUtilization = 0.435 < target 0.70: 3 -> 2 replicas (highest recommendation of the last 300s)");
    // Utilization fell to 0.435 when the resize's rollout ended (00:02:35); HPA's last
    // recommendation of 3 replicas (its 00:02:30 sync) leaves the 300 s window at 00:07:30.
    expect(scalings[0].t).toBe(450_000);
  });

  it("names VPA's first resize as the root cause of both thrashing findings, and the causal graph agrees", () => {
    const thrashing = detect(run).filter((f) => f.kind === "thrashing");
    expect(thrashing.map((f) => f.knob).sort()).toEqual(["web.cpuRequestMillicores", "web.replicas"]);
    for (const f of thrashing) {
      expect(f.actors, f.knob).toEqual(["hpa", "vpa"]);
      expect(f.rootCauses, f.knob).toEqual([resizes[0].seq]);
      expect(f.metrics.reversals, f.knob).toBeGreaterThanOrEqual(6);
      expect(f.metrics.coupledReversals, f.knob).toBe(f.metrics.reversals);
    }
    const onReplicas = thrashing.find((f) => f.knob === "web.replicas")!;
    expect(onReplicas.explanation[1]).toMatch(/^\d+ of the reversals went through a coupled knob: hpa reversed its own change of web\.replicas after vpa changed web\.cpuRequestMillicores in response to it/);
    expect(onReplicas.explanation[1]).toContain("The loop began with #1 vpa raised web.cpuRequestMillicores 1000->1534 at 00:01:00.");
    // The last scaling of the run descends, through the whole loop, from that first resize.
    const origin = buildCausalGraph(run.log).rootCauses(scalings.at(-1)!.seq, { mode: "origin" });
    expect(origin.map((r) => r.seq)).toEqual([resizes[0].seq]);
  });

  it("does not reverse with Kubernetes' default margin: both push replicas up and HPA pins at replicasMax", () => {
    const defaults = runScenario(variant("blind", text.replace("safetyMargin: 1.3", "safetyMargin: 0.15")));
    expect(reversals(defaults.log).length).toBeLessThanOrEqual(1);
    expect(defaults.telemetry.series("web", "replicas").at(-1)).toBe(10);
    expect(detect(defaults).filter((f) => f.kind === "thrashing")).toEqual([]);
  });
});

describe("HPA vs VPA on CPU, coordinated (HPA holds the lease on web's CPU)", () => {
  const run = runScenario(variant("coordinated"));

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
    expect(detect(run)).toEqual([]);
  });

  it("leaves web inside HPA's tolerance band", () => {
    const utilization = run.telemetry.series("web", "cpuUtilization").at(-1)!;
    expect(Math.abs(utilization / 0.7 - 1)).toBeLessThanOrEqual(0.1);
  });

  it("is deterministic", () => {
    expect(runScenario(variant("coordinated")).finalHash).toBe(run.finalHash);
    expect(runScenario(variant("blind")).finalHash).toBe(runScenario(variant("blind")).finalHash);
  });
});
