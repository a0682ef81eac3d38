// Network partitions between sites: calls crossing the cut fail and never arrive (hand-computed
// on a two-site split), agents across the cut read the view frozen at the partition's start and
// their commands there are refused, everything reconnects at the heal; a property over random
// site assignments; file checks; and a scenario without partitions runs exactly as before.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { readFileSync } from "node:fs";
import { buildCausalGraph } from "../../sim/causal/graph.js";
import { detect } from "../../sim/detect/index.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const MIN = 60_000;
const at = (run: RunResult, id: string, signal: string, tMs: number): number => run.telemetry.series(id, signal)[run.telemetry.indexAt(tMs)];

// lb (east) splits 100/s evenly over a-east and b-west; the partition cuts east from west over [2m, 7m).
const split = (extra: { agents?: string; faults?: string; sites?: string } = {}) => `
name: split
seed: 1
duration: 10m
step: 10s
sites: ${extra.sites ?? "{ east: [lb, a-east, copier-east, fencer-east], west: [b-west, scaler-west] }"}
components:
  - { id: lb, kind: loadBalancer, targets: [a-east, b-west] }
  - { id: a-east, kind: service, replicas: 2 }
  - { id: b-west, kind: service, replicas: 2, replicasMax: 10 }
  - { id: c-west, kind: service, replicas: 2 }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 100/s } }
  - { id: locals, target: c-west, pattern: { kind: steps, steps: [{ at: 0s, rate: 100/s }, { at: 3m, rate: 300/s }] } }
agents:
  - id: copier-east         # copies what it reads of b-west every minute
    kind: statechart
    evaluationPeriod: 1m
    initial: copying
    states:
      copying:
        on:
          wake:
            actions:
              - set: { target: a-east, knob: replicas, value: { knob: b-west.replicas }, reason: "match b-west" }
  - id: scaler-west         # scales b-west to 5 at 3m, during the partition, on its own side
    kind: statechart
    initial: waiting
    states:
      waiting:
        after:
          3m: { target: done, actions: [{ set: { target: b-west, knob: replicas, value: 5, reason: "scale" } }] }
      done: {}
  - id: fencer-east         # tries to write b-west across the cut at 4m
    kind: statechart
    initial: waiting
    states:
      waiting:
        after:
          4m: { target: done, actions: [{ set: { target: b-west, knob: replicas, value: 3, reason: "fence" } }] }
      done: {}
${extra.agents ?? ""}
faults:
${extra.faults ?? "  - { id: cut, start: 2m, duration: 5m, effect: partition, sides: [east, west] }"}
`;

describe("a partition between two sites, hand-computed", () => {
  const run = runScenario(scenarioFromYaml(split()));
  const started = run.log.find((r) => r.type === "fault.started" && r.actor === "cut")!;
  const ended = run.log.find((r) => r.type === "fault.ended" && r.actor === "cut")!;

  it("logs the start and the heal, the heal caused by the start", () => {
    expect(started).toMatchObject({ t: 2 * MIN, data: { effect: "partition", sides: [["east"], ["west"]] }, causes: [] });
    expect(started.target).toBeUndefined();
    expect(ended).toMatchObject({ t: 7 * MIN, causes: [started.seq] });
  });

  it("fails exactly the load crossing the cut (half of lb's) and delivers none of it, only during the partition", () => {
    for (const t of [1 * MIN, 7 * MIN, 9 * MIN]) {
      expect(at(run, "lb", "errorRate", t)).toBe(0);
      expect(at(run, "b-west", "loadRps", t)).toBeCloseTo(50, 6);
    }
    for (const t of [2 * MIN, 4 * MIN, 7 * MIN - 10_000]) {
      expect(at(run, "lb", "errorRate", t)).toBeCloseTo(0.5, 6);
      expect(at(run, "b-west", "loadRps", t)).toBe(0);
      expect(at(run, "a-east", "loadRps", t)).toBeCloseTo(50, 6);
      // c-west has no caller across the cut: its load is its own workload's.
      expect(at(run, "c-west", "loadRps", t)).toBeCloseTo(t >= 3 * MIN ? 300 : 100, 6);
    }
  });

  it("an agent reads a knob across the cut as of the partition's start, citing the start", () => {
    // b-west went to 5 at 3m; copier-east, on the other side, keeps seeing 2 until the heal.
    const copies = run.log.filter((r) => r.actor === "copier-east" && r.type === "replicas.scaled");
    expect(copies.map((r) => [r.t, r.data.to])).toEqual([[7 * MIN, 5]]);
    // It woke at 3m..6m with the stale value 2 = a-east's own replicas: no write (unchanged).
    const scaled = run.log.find((r) => r.actor === "scaler-west" && r.type === "replicas.scaled")!;
    expect(scaled).toMatchObject({ t: 3 * MIN, data: { from: 2, to: 5 } });
    // After the heal it reads the live value, written by scaler-west.
    expect(copies[0].causes).toContain(scaled.seq);
  });

  it("refuses a command to the other side as partitioned, citing the partition's start", () => {
    const refused = run.log.find((r) => r.actor === "fencer-east" && r.type === "command.rejected")!;
    expect(refused).toMatchObject({ t: 4 * MIN, target: "b-west", data: { policy: "partition", knob: "replicas", value: 3 } });
    expect(String(refused.data.reason)).toMatch(/^partitioned: b-west is on the other side of partition cut from fencer-east/);
    expect(refused.causes).toContain(started.seq);
  });

  it("puts the partition in the provenance of the caller's errors and of the callee's load", () => {
    const flips = run.log.filter((r) => r.type === "health.changed" && r.actor === "lb");
    expect(flips[0]).toMatchObject({ data: { healthy: false } });
    expect(flips[0].causes).toContain(started.seq);
    const back = flips.find((r) => r.data.healthy === true)!;
    expect(back.causes).toContain(ended.seq);
  });
});

describe("a stale signal read", () => {
  // reader-east scales a-east to c-west's load / 100 each minute; c-west's load goes 100 -> 300 at 3m.
  const reader = `
  - id: reader-east
    kind: statechart
    evaluationPeriod: 1m
    initial: reading
    states:
      reading:
        on:
          wake:
            actions:
              - set: { target: a-east, knob: replicas, value: { signal: c-west.loadRps, times: 0.01, round: up }, reason: "size like c-west" }`;
  const sites = "{ east: [lb, a-east, copier-east, fencer-east, reader-east], west: [b-west, c-west, scaler-west] }";
  const run = runScenario(scenarioFromYaml(split({ agents: reader, sites })));
  const started = run.log.find((r) => r.type === "fault.started" && r.actor === "cut")!;
  const writes = run.log.filter((r) => r.actor === "reader-east" && r.type === "replicas.scaled");

  it("returns the value frozen at the start (100/s) until the heal, then the live one (300/s)", () => {
    // 1m: 100/s -> 1 replica. 3m..6m: the frozen 100/s, nothing to write. 7m: live 300/s -> 3.
    expect(writes.map((r) => [r.t, r.data.to])).toEqual(expect.arrayContaining([[1 * MIN, 1], [7 * MIN, 3]]));
    expect(writes.some((r) => r.t > 2 * MIN && r.t < 7 * MIN && r.data.to === 3)).toBe(false);
  });

  it("without the partition the same agent sees 300/s at 3m", () => {
    const free = runScenario(scenarioFromYaml(split({ agents: reader, sites, faults: "  []" })));
    const w = free.log.filter((r) => r.actor === "reader-east" && r.type === "replicas.scaled" && r.data.to === 3);
    expect(w[0]?.t).toBe(3 * MIN);
    void started;
  });
});

describe("property: random site assignments", () => {
  it("lb's failed share equals the share of its load crossing the cut, and nothing changes outside the window", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("east", "west", "none"), { minLength: 1, maxLength: 5 }), fc.constantFrom("east", "west", "none"), (targetSites, lbSite) => {
        const targets = targetSites.map((_, i) => `s${i}`);
        const members = (site: string) => [...(lbSite === site ? ["lb"] : []), ...targets.filter((_, i) => targetSites[i] === site)];
        const text = (faults: string) => `
name: prop
seed: 1
duration: 6m
step: 10s
sites: { east: [fe, ${members("east").join(", ")}], west: [fw, ${members("west").join(", ")}] }
components:
  - { id: lb, kind: loadBalancer, targets: [${targets.join(", ")}] }
${targets.map((t) => `  - { id: ${t}, kind: service, replicas: 4 }`).join("\n")}
  - { id: fe, kind: service }
  - { id: fw, kind: service }
workload:
  - { id: users, target: lb, pattern: { kind: constant, rate: 120/s } }
faults:
${faults}
`;
        const cut = runScenario(scenarioFromYaml(text("  - { id: cut, start: 2m, duration: 2m, effect: partition, sides: [east, west] }")));
        const free = runScenario(scenarioFromYaml(text("  []")));
        const crossing = lbSite === "none" ? 0 : targetSites.filter((s) => s !== "none" && s !== lbSite).length / targets.length;
        for (const t of [2 * MIN, 3 * MIN]) expect(at(cut, "lb", "errorRate", t)).toBeCloseTo(crossing, 9);
        for (const t of [0, 1 * MIN, 2 * MIN - 10_000, 4 * MIN, 5 * MIN]) {
          for (const id of ["lb", ...targets]) for (const s of ["loadRps", "errorRate", "latencyMsP95"]) expect(at(cut, id, s, t)).toBe(at(free, id, s, t));
        }
      }),
      { numRuns: 25, seed: 15 },
    );
  });
});

describe("without partitions nothing changes", () => {
  it("a file with sites but no partition logs and samples exactly what the file without sites does", () => {
    const withSites = runScenario(scenarioFromYaml(split({ faults: "  []" })));
    const without = runScenario(scenarioFromYaml(split({ faults: "  []" }).replace(/^sites: .*$/m, "")));
    const strip = (r: RunResult) => r.log.slice(1).map(({ hash: _h, prev: _p, ...rest }) => rest);
    expect(strip(withSites)).toEqual(strip(without));
    expect([...withSites.telemetry.values]).toEqual([...without.telemetry.values]);
  });
});

describe("file checks", () => {
  const problemsOf = (text: string) => {
    try {
      loadSuite(text, "split.yaml");
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems.map((p) => `${p.line}:${p.col} ${p.path.join(".")}: ${p.expected}${p.hint ? ` (${p.hint})` : ""}`);
      throw e;
    }
    return [];
  };

  it("refuses unknown ids in sites and an id in two sites", () => {
    const text = split({ sites: "{ east: [lb, a-east, copier-east, fencer-east, b-wset], west: [b-west, scaler-west, lb] }" });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^6:\d+ sites\.east\.4: the id of a component or an agent .*did you mean `b-west`/);
    expect(problems[1]).toMatch(/^6:\d+ sites\.west\.2: an id in one site only \(it is already in site east/);
  });

  it("refuses unknown sites, a site on two sides, and sides without sites", () => {
    expect(problemsOf(split({ faults: "  - { id: cut, start: 2m, effect: partition, sides: [east, wset] }" }))).toEqual([expect.stringMatching(/faults\.0\.sides\.1: a site name \(east, west\) \(did you mean `west`/)]);
    expect(problemsOf(split({ faults: "  - { id: cut, start: 2m, effect: partition, sides: [[east, west], [west]] }" }))).toEqual([expect.stringMatching(/faults\.0\.sides\.1\.0: sides that share no site \(west is already on side 0/)]);
    const noSites = split({ faults: "  - { id: cut, start: 2m, effect: partition, sides: [east, west] }" }).replace(/^sites: .*$/m, "");
    expect(problemsOf(noSites)[0]).toMatch(/faults\.0\.sides\.0: a site name from the top-level `sites`/);
    expect(problemsOf(split({ faults: "  - { id: cut, start: 2m, effect: partition, sides: [east] }" }))[0]).toMatch(/faults\.0\.sides/);
    expect(problemsOf(split({ faults: "  - { id: cut, start: 20m, effect: partition, sides: [east, west] }" }))[0]).toMatch(/faults\.0\.start: a start before the end of the run/);
    expect(problemsOf(split({ faults: "  - { id: lb, start: 2m, effect: partition, sides: [east, west] }" }))[0]).toMatch(/faults\.0\.id: a unique id/);
  });
});

describe("docs/examples/split-brain.yaml", () => {
  const text = readFileSync(repoPath("docs/examples/split-brain.yaml"), "utf8");
  const blind = runScenario(loadVariant(text, "split-brain.yaml", "blind").scenario);
  const coordinated = runScenario(loadVariant(text, "split-brain.yaml", "coordinated").scenario);
  const start = (run: RunResult) => run.log.find((r) => r.type === "fault.started" && r.actor === "split")!;

  it("blind: east moves the traffic back on its stale view of west's role, each move citing the partition's start", () => {
    const moves = blind.log.filter((r) => r.actor === "failover-east" && r.type === "weight.changed");
    expect(moves.length).toBeGreaterThan(10);
    for (const m of moves) expect(m.causes).toContain(start(blind).seq);
    expect(moves.every((m) => m.t < 15 * MIN)).toBe(true);
    const graph = buildCausalGraph(blind.log);
    expect(graph.rootCauses(moves[moves.length - 1].seq).map((r) => r.seq)).toContain(start(blind).seq);
  });

  it("blind: the controllers thrash on the gslb weights; coordinated: they do not", () => {
    const kinds = (run: RunResult) => detect(run).map((f) => `${f.kind}:${[...f.subjects].sort().join(",")}`);
    expect(kinds(blind).filter((k) => k.startsWith("thrashing"))).toHaveLength(2);
    expect(kinds(coordinated).filter((k) => k.startsWith("thrashing"))).toEqual([]);
    expect(coordinated.log.filter((r) => r.type === "command.rejected" && r.data.policy === "lease").length).toBeGreaterThan(0);
  });
});

describe("detectors", () => {
  it("a cut call that fails a chain of callers is a cascade rooted in the partition's start", () => {
    const run = runScenario(scenarioFromYaml(`
name: cascade
seed: 1
duration: 20m
step: 10s
sites: { east: [front, web-east], west: [db-west] }
components:
  - { id: edge, kind: loadBalancer, targets: [front] }
  - { id: front, kind: service, replicas: 4, dependsOn: [web-east] }
  - { id: web-east, kind: service, replicas: 4, dependsOn: [db-west] }
  - { id: db-west, kind: database, replicas: 2 }
workload:
  - { id: users, target: edge, pattern: { kind: constant, rate: 100/s } }
faults:
  - { id: cut, start: 5m, duration: 5m, effect: partition, sides: [east, west] }
`));
    const cascades = detect(run).filter((f) => f.kind === "cascade");
    expect(cascades).toHaveLength(1);
    expect(cascades[0].explanation.join(" ")).toMatch(/Root cause: #1 partition cut started between east \| west at 00:05:00/);
  });
});
