// Checks the config-pipeline agents (migrator, configGenerator, distributor) in small scenarios,
// and the resolver's checks of their kinds.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const base = (agents: string, shards = "migrated: 0", extra = "") => `
name: pipeline
seed: 1
duration: 30m
step: 5s
components:
  - { id: db, kind: shards, count: 3, ${shards} }
  - { id: features, kind: documentStore, documents: [ { name: file, rows: 60 } ] }
  - { id: proxies, kind: configConsumer, store: features, document: file, version: 1, rules: { rowsMax: 200 }, replicas: 10 }
workload:
  - { id: users, target: proxies, pattern: { kind: constant, rate: 100/s } }
agents:
${agents}
${extra}`;

describe("migrator", () => {
  it("migrates one more shard on each wake from startAt until all are migrated", () => {
    const run = runScenario(scenarioFromYaml(base("  - { id: m, kind: migrator, target: db, startAt: 6m, evaluationPeriod: 3m }")));
    const migrations = run.log.filter((r) => r.type === "shards.migrated");
    expect(migrations.map((r) => [r.t / 60_000, r.data.to])).toEqual([
      [6, 1],
      [9, 2],
      [12, 3],
    ]);
    expect(migrations[0].data.reason).toBe("migrate shard 0 of db: 0 of 3 shards migrated so far");
    expect(run.agentStates.at(-1)).toMatchObject({ agent: "m", state: "done" });
  });
});

describe("configGenerator", () => {
  it("puts a good file every period while the shard it reads is not migrated", () => {
    const run = runScenario(scenarioFromYaml(base("  - { id: g, kind: configGenerator, shards: db, store: features, document: file }")));
    const puts = run.log.filter((r) => r.type === "document.put");
    expect(puts.map((r) => r.t / 60_000)).toEqual([5, 10, 15, 20, 25, 30]);
    for (const p of puts) {
      expect(p.data).toMatchObject({ rows: 60, sizeBytes: 6000, schema: "v1" });
      expect(p.data.reason).toMatch(/^read shard \d of db \(0 of 3 migrated\): not migrated/);
    }
  });

  it("puts a bad file (rowsBad) when the shard it reads is migrated, naming the migration as a cause", () => {
    const run = runScenario(
      scenarioFromYaml(base("  - { id: m, kind: migrator, target: db, evaluationPeriod: 1m }\n  - { id: g, kind: configGenerator, shards: db, store: features, document: file, rowsBad: 240 }")),
    );
    const puts = run.log.filter((r) => r.type === "document.put");
    expect(puts.length).toBe(6);
    for (const p of puts) {
      expect(p.data.rows).toBe(240);
      expect(p.data.reason).toMatch(/it is migrated, its query returns duplicate rows, so the file has 240 rows/);
      expect(p.causes.some((c) => run.log[c].type === "shards.migrated")).toBe(true);
    }
  });

  it("with stopAt generates nothing from its first wake at or after that time, and shows as stopped", () => {
    const run = runScenario(scenarioFromYaml(base("  - { id: g, kind: configGenerator, shards: db, store: features, document: file, stopAt: 12m }")));
    expect(run.log.filter((r) => r.type === "document.put").map((r) => r.t / 60_000)).toEqual([5, 10]);
    expect(run.agentStates.filter((s) => s.agent === "g")).toEqual([
      { t: 0, agent: "g", state: "generating" },
      { t: 15 * 60_000, agent: "g", state: "stopped" },
    ]);
  });
});

describe("distributor", () => {
  const generator = "  - { id: g, kind: configGenerator, shards: db, store: features, document: file }";

  it("deploys each new version to every target within the propagation delay (plus one evaluation period)", () => {
    const run = runScenario(scenarioFromYaml(base(`${generator}\n  - { id: d, kind: distributor, store: features, document: file, targets: [proxies], propagation: 30s }`)));
    const puts = run.log.filter((r) => r.type === "document.put");
    const deploys = run.log.filter((r) => r.type === "config.deployed");
    expect(deploys.length).toBe(puts.length - 1); // the put at 30m is still propagating at the end
    deploys.forEach((d, i) => {
      expect(d.target).toBe("proxies");
      expect(d.data.to).toBe(puts[i].data.version);
      expect(d.t - puts[i].t).toBeGreaterThanOrEqual(30_000);
      expect(d.t - puts[i].t).toBeLessThanOrEqual(35_000);
      expect(d.data.reason).toMatch(/^deploy features\.file version \d+ \(60 rows, 6000 bytes, schema v1\), the newest when seen, after 30 s propagation$/);
      expect(d.causes).toContain(puts[i].seq);
    });
  });

  it("with keepLastGood skips versions breaking its rules, so consumers keep the last good one", () => {
    const agents = "  - { id: g, kind: configGenerator, shards: db, store: features, document: file }\n  - { id: d, kind: distributor, store: features, document: file, targets: [proxies], keepLastGood: true, rules: { rowsMax: 200 } }";
    const run = runScenario(scenarioFromYaml(base(agents, "migrated: 3")));
    expect(run.log.filter((r) => r.type === "document.put").length).toBe(6);
    expect(run.log.filter((r) => r.type === "config.deployed")).toEqual([]);
    expect(Math.max(...run.telemetry.series("proxies", "errorRate"))).toBe(0);
  });
});

describe("resolving the config-pipeline kinds", () => {
  const problems = (text: string) => {
    try {
      scenarioFromYaml(text);
    } catch (e) {
      if (e instanceof ScenarioError) return e.message;
      throw e;
    }
    return "";
  };

  it("reports group shares not adding up to 1, crashAfter without crash, and a distributor target that is not a consumer", () => {
    const text = base("  - { id: d, kind: distributor, store: features, document: file, targets: [db] }").replace(
      "rules: { rowsMax: 200 },",
      "rules: { rowsMax: 200 }, groups: [ { name: a, share: 0.5, onViolation: crash }, { name: b, share: 0.4, onViolation: degrade, crashAfter: 1m } ],",
    );
    const message = problems(text);
    expect(message).toMatch(/group shares adding up to 1/);
    expect(message).toMatch(/crashAfter only on a group with onViolation: crash/);
    expect(message).toMatch(/a component of kind configConsumer/);
  });

  it("reports migrated above count", () => {
    expect(problems(base("  - { id: m, kind: migrator, target: db }", "migrated: 4"))).toMatch(/at most count \(3\)/);
  });
});
