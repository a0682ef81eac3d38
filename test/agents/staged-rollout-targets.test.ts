// The staged deployer and the rollback agent on several consumers at once (edge sites): stages go
// to every target together, one failing target rolls the stage back everywhere, a target raised
// alone does not move the others' stage, and the rollback can watch the balancer in front of the
// targets instead of the targets themselves. Files naming `target` or `targets` wrongly are
// reported at their path.
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const MIN = 60_000;

/** Two sites behind a balancer; `bad` is the schema the author puts at 1m (site-b crashes on it at once). */
function fleet(bad: string, extraAgents = ""): string {
  return `name: two-sites
seed: 1
duration: 12m
step: 5s
components:
  - { id: lb, kind: loadBalancer, targets: [site-a, site-b] }
  - { id: cfg, kind: documentStore, documents: [ { name: config, rows: 10 }, { name: lkg, rows: 10 } ] }
  - { id: site-a, kind: configConsumer, store: cfg, document: config, version: 1, replicas: 100, failover: true }
  - { id: site-b, kind: configConsumer, store: cfg, document: config, version: 1, replicas: 100, failover: true, rules: { schema: v1 } }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 6000/s } }
agents:
  - { id: author, kind: configAuthor, store: cfg, document: config, at: 1m, rows: 10, schema: ${bad} }
  - { id: deployer, kind: stagedDeployer, store: cfg, document: config, targets: [site-a, site-b], bake: 1m }
${extraAgents}`;
}

const rollouts = (run: RunResult, target: string) => run.log.filter((r) => r.type === "rollout.changed" && r.target === target).map((r) => [r.t, r.actor, r.data.to]);

describe("stagedDeployer with targets", () => {
  it("writes each stage to every target in the same step and promotes once", () => {
    const run = runScenario(scenarioFromYaml(fleet("v1")));
    const expected = [
      [MIN, "deployer", 1],
      [2 * MIN, "deployer", 10],
      [3 * MIN, "deployer", 100],
    ];
    expect(rollouts(run, "site-a")).toEqual(expected);
    expect(rollouts(run, "site-b")).toEqual(expected);
    expect(run.log.filter((r) => r.type === "config.deployed").map((r) => [r.target, r.data.to])).toEqual([
      ["site-a", 2],
      ["site-b", 2],
    ]);
    expect(run.log.filter((r) => r.type === "document.put" && r.data.document === "lkg").map((r) => r.actor)).toEqual(["deployer"]);
    const advance = run.log.find((r) => r.type === "rollout.changed" && r.data.to === 10)!;
    expect(advance.data.reason).toBe("site-a, site-b healthy for 60 s (bake 60 s) at 1%: advance cfg.config version 2 to 10%");
  });

  it("rolls the stage back on every target when one of them fails", () => {
    const run = runScenario(scenarioFromYaml(fleet("v2")));
    expect(rollouts(run, "site-a").map((r) => r[2])).toEqual([1, 0]);
    expect(rollouts(run, "site-b").map((r) => r[2])).toEqual([1, 0]);
    const back = run.log.filter((r) => r.type === "rollout.changed" && r.data.to === 0);
    expect(back.map((r) => r.data.reason)).toEqual([
      "site-b.available = 0.990 < 1 with cfg.config version 2 on 1% of site-a: roll the stage back, every node on the stable version",
      "site-b.available = 0.990 < 1 with cfg.config version 2 on 1% of site-b: roll the stage back, every node on the stable version",
    ]);
    expect(run.log.some((r) => r.type === "document.put" && r.data.document === "lkg")).toBe(false);
  });

  it("keeps staging the other targets when one is raised to 100% alone, and does not write it again", () => {
    const cleanup = "  - { id: cleanup, kind: cleanupOperator, target: site-a, version: 2, at: 90s }\n";
    const run = runScenario(scenarioFromYaml(fleet("v1", cleanup)));
    expect(rollouts(run, "site-a")).toEqual([
      [MIN, "deployer", 1],
      [90_000, "cleanup", 100],
    ]);
    expect(rollouts(run, "site-b")).toEqual([
      [MIN, "deployer", 1],
      [2 * MIN, "deployer", 10],
      [3 * MIN, "deployer", 100],
    ]);
  });
});

describe("rollback with targets and watch", () => {
  it("watches the balancer and restores the LKG to every target in one step", () => {
    // site-b crashes on v2 at once; a deployer that checks nothing takes it to 100%, and the
    // balancer keeps sending it half the load, so lb fails while site-a is fine.
    const agents = "  - { id: rollback, kind: rollback, targets: [site-a, site-b], watch: lb, store: cfg, document: config, errorRateMax: 0.2, evaluationsToAct: 2, evaluationPeriod: 30s }\n";
    const text = fleet("v2", agents).replace("version: 1, replicas: 100, failover: true, rules", "version: 1, replicas: 100, rules").replace("bake: 1m }", "bake: 1m, errorRateMax: 1, availableMin: 0 }");
    const run = runScenario(scenarioFromYaml(text));
    const put = run.log.find((r) => r.type === "document.put" && r.actor === "rollback")!;
    expect(put.data.reason).toMatch(/^lb\.errorRate = [\d.]+ > 0\.200 on 2 evaluations in a row: restore last-known-good cfg\.lkg version 2 /);
    const deployed = run.log.filter((r) => r.type === "config.deployed" && r.actor === "rollback");
    expect(deployed.map((r) => [r.t, r.target, r.data.to])).toEqual([
      [put.t, "site-a", put.data.version],
      [put.t, "site-b", put.data.version],
    ]);
  });
});

describe("target / targets in files", () => {
  const base = (agent: string) => `name: bad-targets
seed: 1
duration: 1m
components:
  - { id: cfg, kind: documentStore, documents: [ { name: config, rows: 1 } ] }
  - { id: a, kind: configConsumer, store: cfg, document: config, version: 1 }
agents:
  - ${agent}
`;

  it("resolves `target` to a list of one", () => {
    const s = scenarioFromYaml(base("{ id: d, kind: stagedDeployer, store: cfg, document: config, target: a }"));
    expect(s.agents[0]).toMatchObject({ targets: ["a"] });
  });

  it("reports both, neither, a repeated target and a watch that carries no load", () => {
    expect(() => scenarioFromYaml(base("{ id: d, kind: stagedDeployer, store: cfg, document: config, target: a, targets: [a] }"))).toThrow(/agents\[0\]\.targets: expected either `target` or `targets`, not both/);
    expect(() => scenarioFromYaml(base("{ id: d, kind: stagedDeployer, store: cfg, document: config }"))).toThrow(/agents\[0\]\.target: expected the id of a configConsumer \(`target`\) or a list of them \(`targets`\)/);
    expect(() => scenarioFromYaml(base("{ id: r, kind: rollback, store: cfg, document: config, targets: [a, a] }"))).toThrow(/agents\[0\]\.targets: expected distinct consumer ids, found \["a","a"\]\n\s+hint: a is listed twice/);
    expect(() => scenarioFromYaml(base("{ id: r, kind: rollback, store: cfg, document: config, targets: [a], watch: cfg }"))).toThrow(/agents\[0\]\.watch: expected a component of kind service or database or loadBalancer/);
    expect(() => scenarioFromYaml(base("{ id: r, kind: rollback, store: cfg, document: config, targets: [a, cfg] }"))).toThrow(/agents\[0\]\.targets\[1\]: expected a component of kind configConsumer/);
  });
});
