// INCIDENTS.md section 1 expressed in YAML: planner + three enactors race on a DNS record's
// plan; a slow enactor's stale plan gets cleaned up, the record empties, every enactor blocks
// and dependents fail once resolver caches expire. Fencing (compare-and-set) plus clean-up that
// spares the referenced plan prevents it for every seed tried.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const blindText = readFileSync(repoPath("test/incidents/dynamodb-sketch.yaml"), "utf8");
const blind = scenarioFromYaml(blindText);
const coordinated = scenarioFromYaml(
  `${blindText.replaceAll("record: ddb-dns", "record: ddb-dns, fencing: true, protectReferenced: true")}\ncoordination:\n  compareAndSet: { knobs: [ddb-dns.plan], requireVersion: true }\n`,
);

function firstEmptyMs(run: RunResult): number | undefined {
  const available = run.telemetry.series("ddb-dns", "available");
  const i = available.findIndex((v) => v === 0);
  return i < 0 ? undefined : run.telemetry.times[i];
}

describe("dynamodb DNS race sketch, blind", () => {
  const run = runScenario(blind);
  const emptyAt = firstEmptyMs(run)!;

  it("empties the record: it points at a plan version that was deleted", () => {
    expect(emptyAt).toBeDefined();
    const state = run.log.filter((r) => r.type === "record.updated").at(-1)!;
    const deleted = run.log.find((r) => r.type === "document.deleted" && r.data.version === state.data.to);
    expect(deleted, `plan ${state.data.to} should have been deleted`).toBeDefined();
  });

  it("was caused by a stale apply from the slow enactor", () => {
    const staleApply = run.log.find((r) => r.type === "record.updated" && (r.data.to as number) < (r.data.from as number))!;
    expect(staleApply.actor).toBe("enactor-a");
  });

  it("leaves every enactor blocked, so no one restores the record", () => {
    const blocked = new Set(run.agentStates.filter((s) => s.state === "blocked").map((s) => s.agent));
    expect(blocked).toEqual(new Set(["enactor-a", "enactor-b", "enactor-c"]));
    expect(run.telemetry.series("ddb-dns", "available").at(-1)).toBe(0);
  });

  it("fails > 90% of dependents' requests within TTL + 1 min of the record emptying", () => {
    const errors = run.telemetry.series("app", "errorRate");
    const i = run.telemetry.indexAt(emptyAt + 120_000);
    expect(errors[i]).toBeGreaterThan(0.9);
    const appDown = run.log.find((r) => r.type === "health.changed" && r.target === "app" && r.data.healthy === false)!;
    expect(appDown.t - emptyAt).toBeLessThanOrEqual(120_000);
  });

  it("names the plan's deletion or the stale apply among the causes of the record going unhealthy", () => {
    const down = run.log.find((r) => r.type === "health.changed" && r.target === "ddb-dns" && r.data.healthy === false)!;
    const causeTypes = down.causes.map((c) => run.log[c].type);
    expect(causeTypes.some((t) => t === "document.deleted" || t === "record.updated")).toBe(true);
  });
});

describe("dynamodb DNS race sketch, coordinated (fencing + compare-and-set + protected clean-up)", () => {
  it("never empties the record for any of 20 seeds, rejecting the stale applies", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const run = runScenario(coordinated, { seed });
      expect(firstEmptyMs(run), `seed ${seed}`).toBeUndefined();
      expect(run.agentStates.some((s) => s.state === "blocked"), `seed ${seed}`).toBe(false);
      const rejected = run.log.filter((r) => r.type === "command.rejected");
      expect(rejected.length, `seed ${seed}`).toBeGreaterThan(0);
      for (const r of rejected) expect(r.data.policy).toBe("compareAndSet");
    }
  });

  it("is deterministic per seed", () => {
    expect(runScenario(coordinated, { seed: 3 }).finalHash).toBe(runScenario(coordinated, { seed: 3 }).finalHash);
  });
});
