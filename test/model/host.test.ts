// Hosts: usage per resource against hand-computed sums, a memory leak's OOM time against
// (limit - base) / rate, descriptor exhaustion's error share, the OOM restart window, provenance
// of a victim's failure, validation with file:line:col, a host nobody runs on changing nothing,
// and properties (usage never negative, nothing fails under the limits, other hosts untouched).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { detect } from "../../sim/detect/index.js";
import { runScenario, type RunResult } from "../../sim/engine/engine.js";
import { addResidentDemand, emptyDemands, excessShare, judgeHost } from "../../sim/model/kinds/host/usage.js";
import { parseAmount, parseResourceRate } from "../../sim/model/kinds/host/units.js";
import { World } from "../../sim/model/world.js";
import { readFileSync } from "node:fs";
import { loadScenario, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError, type Problem } from "../../sim/scenario/problems.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const Mi = 1024 ** 2;
const Gi = 1024 ** 3;

const at = (run: RunResult, id: string, signal: string, tMs: number): number => run.telemetry.series(id, signal)[run.telemetry.indexAt(tMs)];

/** Steps `world` at `tMs` with `rps` offered to the components named. */
function stepAt(world: World, tMs: number, rps: Record<string, number>): void {
  world.step(Float64Array.from(world.componentIds.map((id) => rps[id] ?? 0)), tMs);
}

describe("units", () => {
  it("parses memory, CPU, counts and leak rates", () => {
    expect(parseAmount("memory", "16Gi")).toBe(16 * Gi);
    expect(parseAmount("memory", "512Mi")).toBe(512 * Mi);
    expect(parseAmount("memory", "500M")).toBe(500e6);
    expect(parseAmount("memory", 1024)).toBe(1024);
    expect(parseAmount("cpu", "4000m")).toBe(4000);
    expect(parseAmount("cpu", "0.5")).toBe(500);
    expect(parseAmount("cpu", 2)).toBe(2000);
    expect(parseAmount("threads", "4096")).toBe(4096);
    expect(parseResourceRate("memory", "10Mi/s")).toBe(10 * Mi);
    expect(parseResourceRate("memory", "60Mi/m")).toBe(Mi);
    expect(parseResourceRate("fileDescriptors", "5/s")).toBe(5);
    expect(() => parseAmount("memory", "16GB")).toThrow(/an amount of memory/);
    expect(() => parseAmount("cpu", "4 cores")).toThrow(/an amount of CPU/);
    expect(() => parseResourceRate("memory", "10Mi")).toThrow(/a rate of memory/);
  });
});

describe("usage and exhaustion (pure)", () => {
  it("sums per replica, per request and per request in flight", () => {
    const d = emptyDemands();
    const uses = { cpuMsPerRequest: 5, cpuMillicoresPerReplica: 100, memoryBytesPerReplica: Gi, memoryBytesPerInFlight: Mi, fileDescriptorsPerReplica: 50, fileDescriptorsPerInFlight: 2, threadsPerReplica: 20, threadsPerInFlight: 1 };
    addResidentDemand(d, { replicas: 3, servedRps: 200, latencyMsP50: 50, uses });
    addResidentDemand(d, { replicas: 2, servedRps: 100, latencyMsP50: 20, uses });
    // In flight: 200 x 0.05 = 10 and 100 x 0.02 = 2.
    expect(d.cpu).toEqual({ fixed: 500, perRequest: 300 * 5 });
    expect(d.memory).toEqual({ fixed: 5 * Gi, perRequest: 12 * Mi });
    expect(d.fileDescriptors).toEqual({ fixed: 250, perRequest: 24 });
    expect(d.threads).toEqual({ fixed: 100, perRequest: 12 });
  });

  it("fails the excess share of the request-driven demand, all of it when the fixed part alone is over", () => {
    expect(excessShare({ fixed: 200, perRequest: 1000 }, 1000)).toBeCloseTo(0.2, 15);
    expect(excessShare({ fixed: 200, perRequest: 800 }, 1000)).toBe(0);
    expect(excessShare({ fixed: 1200, perRequest: 10 }, 1000)).toBe(1);
    expect(excessShare({ fixed: 1200, perRequest: 10 }, undefined)).toBe(0);
    const v = judgeHost({ cpu: { fixed: 0, perRequest: 2000 }, memory: { fixed: 1, perRequest: 0 }, fileDescriptors: { fixed: 200, perRequest: 1000 }, threads: { fixed: 0, perRequest: 0 } }, { cpu: 1000, fileDescriptors: 1000, memory: 1 });
    expect(v.oom).toBe(true);
    expect(v.errorRate).toBeCloseTo(1 - 0.5 * 0.8, 15);
  });
});

// a and b on node; lonely on no host. 1 s steps.
const hostYaml = (opts: { node?: string; a?: string; faults?: string; duration?: string; extra?: string } = {}) => `
name: host-test
seed: 1
duration: ${opts.duration ?? "10m"}
step: 1s
components:
  - { id: node, kind: host, resources: { ${opts.node ?? "cpu: 4000m, memory: 8Gi, fileDescriptors: 65536, threads: 4096"} }, restart: 30s }
  - { id: a, kind: service, replicas: 3, capacityPerReplica: 100/s, baseLatency: 20ms, runsOn: node, uses: { ${opts.a ?? "cpuPerRequest: 5ms, cpuPerReplica: 100m, memoryPerReplica: 1Gi, memoryPerInFlight: 1Mi, threadsPerReplica: 10, threadsPerInFlight: 1"} } }
  - { id: b, kind: service, replicas: 2, capacityPerReplica: 100/s, baseLatency: 20ms, runsOn: node, uses: { memoryPerReplica: 256Mi } }
  - { id: lonely, kind: service, replicas: 2 }
${opts.extra ?? ""}
workload:
  - { id: wa, target: a, pattern: { kind: constant, rate: 50/s } }
  - { id: wb, target: b, pattern: { kind: constant, rate: 20/s } }
  - { id: wl, target: lonely, pattern: { kind: constant, rate: 20/s } }
${opts.faults ? `faults:\n${opts.faults}` : ""}
`;

describe("a host's usage signals (hand-computed)", () => {
  it("reads this step's replicas and load and last step's p50", () => {
    const world = new World(scenarioFromYaml(hostYaml()));
    stepAt(world, 0, { a: 50, b: 20, lonely: 20 });
    // Step 0: no p50 yet, so nothing in flight. CPU 3 x 100m + 50/s x 5ms = 550m of 4000m.
    expect(world.signal("node", "cpuUsage")).toBeCloseTo(550 / 4000, 12);
    expect(world.signal("node", "memoryUsage")).toBeCloseTo((3 * Gi + 2 * 256 * Mi) / (8 * Gi), 12);
    expect(world.signal("node", "threadUsage")).toBeCloseTo(30 / 4096, 12);
    expect(world.signal("node", "fdUsage")).toBe(0);
    expect(world.signal("node", "loadRps")).toBeCloseTo(70, 12);
    // a at 50/s on 3 x 2 slots of 20ms waits with probability < 0.5: p50 = 20ms, so 1 in flight.
    expect(world.signal("a", "latencyMsP50")).toBe(20);
    stepAt(world, 1000, { a: 50, b: 20, lonely: 20 });
    expect(world.signal("node", "memoryUsage")).toBeCloseTo((3 * Gi + 2 * 256 * Mi + Mi) / (8 * Gi), 12);
    expect(world.signal("node", "threadUsage")).toBeCloseTo(31 / 4096, 12);
    // utilization: the most used resource's share, memory here.
    expect(world.signal("node", "utilization")).toBeCloseTo((3 * Gi + 2 * 256 * Mi + Mi) / (8 * Gi), 12);
    expect(world.signal("node", "available")).toBe(1);
    expect(world.signal("a", "errorRate")).toBe(0);
  });

  it("a replica added is counted the next step", () => {
    const world = new World(scenarioFromYaml(hostYaml()));
    stepAt(world, 0, { a: 50 });
    world.applyKnob("a", "replicas", 5, 1);
    stepAt(world, 1000, { a: 50 });
    expect(world.signal("node", "memoryUsage")).toBeCloseTo((5 * Gi + 2 * 256 * Mi + Mi) / (8 * Gi), 12);
  });

  it("a limit is a knob: raising memoryLimitBytes ends an exhaustion from the next step", () => {
    const world = new World(scenarioFromYaml(hostYaml({ node: "memory: 3Gi" })));
    expect(world.knobNames("node")).toEqual(["memoryLimitBytes"]);
    stepAt(world, 0, { a: 50, b: 20 });
    expect(world.signal("node", "available")).toBe(0);
    world.applyKnob("node", "memoryLimitBytes", 8 * Gi, 1);
    // Still inside the 30 s restart of the kill at 0.
    stepAt(world, 29_000, { a: 50, b: 20 });
    expect(world.signal("node", "available")).toBe(0);
    stepAt(world, 30_000, { a: 50, b: 20 });
    expect(world.signal("node", "available")).toBe(1);
    expect(world.checkKnob("node", "memoryLimitBytes", 0)).toMatch(/must be a limit in/);
    expect(world.signalProvenance("a", "errorRate")).toContain(1);
  });

  it("descriptor exhaustion fails the excess share of the request-driven demand on every resident", () => {
    // a: 2 replicas x 100 fds fixed; 50/s x 2 s in flight = 100 requests x 10 fds = 1000; limit 1000.
    const yaml = hostYaml({ node: "fileDescriptors: 1000", a: "fileDescriptorsPerReplica: 100, fileDescriptorsPerInFlight: 10" }).replace("replicas: 3, capacityPerReplica: 100/s, baseLatency: 20ms", "replicas: 2, capacityPerReplica: 100/s, baseLatency: 2s");
    const world = new World(scenarioFromYaml(yaml));
    stepAt(world, 0, { a: 50, b: 20 });
    expect(world.signal("node", "errorRate")).toBe(0);
    expect(world.signal("a", "latencyMsP50")).toBe(2000);
    stepAt(world, 1000, { a: 50, b: 20 });
    // usage 1200 of 1000: (1200 - 1000) / 1000 = 0.2 of requests fail, on a and on b alike.
    expect(world.signal("node", "fdUsage")).toBeCloseTo(1.2, 12);
    expect(world.signal("node", "errorRate")).toBeCloseTo(0.2, 12);
    expect(world.signal("node", "available")).toBeCloseTo(0.8, 12);
    expect(world.signal("a", "errorRate")).toBeCloseTo(0.2, 12);
    expect(world.signal("b", "errorRate")).toBeCloseTo(0.2, 12);
    expect(world.signal("lonely", "errorRate")).toBe(0);
  });
});

describe("a memory leak: OOM at (limit - base) / rate, restart, and the sawtooth", () => {
  // Base 2 x 256Mi (b) + 3 x 1Gi... a uses 0 here: base = 512Mi of 1Gi; leak 8Mi/s from 10s:
  // (1024 - 512) / 8 = 64 s, so the OOM kill is at 74s; up again at 104s; next kill at 168s.
  const yaml = hostYaml({ node: "memory: 1Gi", a: "", duration: "4m", extra: "  - { id: front, kind: service, replicas: 2, dependsOn: [a] }", faults: "  - { id: mem-leak, start: 10s, target: node, effect: leak, resource: memory, rate: 8Mi/s }" });
  const run = runScenario(scenarioFromYaml(yaml));
  const started = run.log.find((r) => r.type === "fault.started")!;

  it("kills at 74s, restarts at 104s and kills again at 168s", () => {
    expect(at(run, "node", "memoryUsage", 73_000)).toBeCloseTo((512 + 8 * 63) / 1024, 6);
    expect(at(run, "node", "available", 73_000)).toBe(1);
    expect(at(run, "node", "memoryUsage", 74_000)).toBe(1);
    for (const t of [74_000, 90_000, 103_000]) expect(at(run, "node", "available", t)).toBe(0);
    expect(at(run, "node", "available", 104_000)).toBe(1);
    expect(at(run, "node", "memoryUsage", 104_000)).toBeCloseTo(0.5, 6);
    expect(at(run, "node", "available", 167_000)).toBe(1);
    expect(at(run, "node", "available", 168_000)).toBe(0);
  });

  it("fails everything on the host while it restarts, and nothing elsewhere", () => {
    expect(at(run, "a", "errorRate", 80_000)).toBe(1);
    expect(at(run, "b", "errorRate", 80_000)).toBe(1);
    expect(at(run, "lonely", "errorRate", 80_000)).toBe(0);
  });

  it("logs the fault with its resource and rate, and the victims' health changes cite it", () => {
    expect(started.data).toEqual({ effect: "leak", resource: "memory", ratePerS: 8 * Mi });
    const down = run.log.filter((r) => r.type === "health.changed" && r.data.healthy === false);
    // Two OOM kills in the run: each takes the host and both residents down.
    expect(down.map((r) => r.target).sort()).toEqual(["a", "a", "b", "b", "front", "front", "node", "node"]);
    for (const r of down) expect(r.causes).toContain(started.seq);
  });

  it("the cascade detector roots the failure in the leak", () => {
    const findings = detect(run).filter((f) => f.kind === "cascade");
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0].explanation.join(" ")).toContain("mem-leak");
  });
});

describe("docs/examples/noisy-neighbour.yaml, blind: the neighbour's scale-ups are the cause", () => {
  const run = runScenario(loadVariant(readFileSync(repoPath("docs/examples/noisy-neighbour.yaml"), "utf8"), "docs/examples/noisy-neighbour.yaml", "blind").scenario);
  const scaled = run.log.filter((r) => r.type === "replicas.scaled" && r.target === "search").map((r) => r.seq);

  it("checkout, whose load never changed, fails citing search's last replica write (which cites the earlier ones)", () => {
    const down = run.log.find((r) => r.type === "health.changed" && r.target === "checkout" && r.data.healthy === false)!;
    expect(scaled.length).toBe(3);
    // Provenance keeps each source's newest event: search's replicas knob was last written by the third scale-up.
    expect(down.causes).toContain(scaled[2]);
    expect(run.log[scaled[2]].causes).toContain(scaled[1]);
  });

  it("the cascade runs from the host through checkout to the edge, rooted in the autoscaler", () => {
    const cascade = detect(run).find((f) => f.kind === "cascade")!;
    expect(cascade.explanation[0]).toMatch(/^node-a failed at 00:12:15 .* checkout at 00:12:15/);
    expect(cascade.explanation.join(" ")).toContain(`Root cause: #${scaled[0]} autoscaler raised search.replicas 3->4`);
  });
});

describe("file format", () => {
  const problemsOf = (text: string): Problem[] => {
    try {
      loadScenario(text, "test.yaml");
      return [];
    } catch (e) {
      if (e instanceof ScenarioError) return e.problems;
      throw e;
    }
  };
  const where = (p: Problem) => `${p.line}:${p.col} ${p.path.join(".")}`;

  it("refuses an unknown host at its line and column", () => {
    const text = hostYaml().replace("runsOn: node, uses: { memoryPerReplica: 256Mi }", "runsOn: nodde, uses: { memoryPerReplica: 256Mi }");
    const line = text.split("\n").findIndex((l) => l.includes("nodde"));
    const ps = problemsOf(text);
    expect(ps.map(where)).toEqual([`${line + 1}:${text.split("\n")[line].indexOf("nodde") + 1} components.2.runsOn`]);
    expect(ps[0].hint).toContain("node");
  });

  it("refuses runsOn naming a component that is not a host", () => {
    const ps = problemsOf(hostYaml().replace("runsOn: node, uses: { memoryPerReplica: 256Mi }", "runsOn: lonely, uses: { memoryPerReplica: 256Mi }"));
    expect(ps.map((p) => p.path.join("."))).toEqual(["components.2.runsOn"]);
  });

  it("refuses bad units at the field", () => {
    const text = hostYaml({ node: "memory: 16GB" });
    const line = text.split("\n").findIndex((l) => l.includes("16GB"));
    const ps = problemsOf(text);
    expect(ps.map(where)).toEqual([`${line + 1}:${text.split("\n")[line].indexOf("16GB") + 1} components.0.resources.memory`]);
    expect(ps[0].expected).toContain("an amount of memory");
    const uses = problemsOf(hostYaml({ a: "memoryPerReplica: lots" }));
    expect(uses.map((p) => p.path.join("."))).toEqual(["components.1.uses.memoryPerReplica"]);
  });

  it("refuses uses without runsOn, an empty resources and a leak on a service or with a bad rate", () => {
    expect(problemsOf(hostYaml().replace("runsOn: node, uses: { memoryPerReplica: 256Mi }", "uses: { memoryPerReplica: 256Mi }")).map((p) => p.path.join("."))).toEqual(["components.2.uses"]);
    expect(problemsOf(hostYaml({ node: "" })).map((p) => p.path.join("."))).toEqual(["components.0.resources"]);
    expect(problemsOf(hostYaml({ faults: "  - { id: leak, start: 10s, target: a, effect: leak, resource: memory, rate: 8Mi/s }" })).map((p) => p.path.join("."))).toEqual(["faults.0.target"]);
    expect(problemsOf(hostYaml({ faults: "  - { id: leak, start: 10s, target: node, effect: leak, resource: memory, rate: 8Mi }" })).map((p) => p.path.join("."))).toEqual(["faults.0.rate"]);
  });
});

describe("without hosts nothing changes", () => {
  it("a host nobody runs on leaves every other component's log and signals as they were", () => {
    const base = `
name: plain
seed: 1
duration: 5m
step: 5s
components:
  - { id: web, kind: service, replicas: 2, dependsOn: [db] }
  - { id: db, kind: database }
HOST
workload:
  - { id: users, target: web, pattern: { kind: steps, steps: [{ at: 0s, rate: 100/s }, { at: 2m, rate: 190/s }] } }
faults:
  - { id: slow, start: 1m, duration: 1m, target: db, effect: latency, add: 600ms }
`;
    const without = runScenario(scenarioFromYaml(base.replace("HOST", "")));
    const withHost = runScenario(scenarioFromYaml(base.replace("HOST", "  - { id: idle, kind: host, resources: { memory: 1Gi } }")));
    const strip = (run: RunResult) => run.log.slice(1, -1).map((r) => ({ t: r.t, type: r.type, actor: r.actor, target: r.target, data: r.data, causes: r.causes }));
    expect(strip(withHost)).toEqual(strip(without));
    for (const id of ["web", "db"]) for (const s of ["errorRate", "latencyMsP95", "loadRps", "healthy"]) expect(Array.from(withHost.telemetry.series(id, s))).toEqual(Array.from(without.telemetry.series(id, s)));
  });
});

describe("properties", () => {
  const usesArb = fc.record({
    memoryPerReplica: fc.integer({ min: 0, max: 2048 }),
    memoryPerInFlight: fc.integer({ min: 0, max: 64 }),
    threadsPerReplica: fc.integer({ min: 0, max: 200 }),
    threadsPerInFlight: fc.integer({ min: 0, max: 4 }),
    fileDescriptorsPerInFlight: fc.integer({ min: 0, max: 8 }),
    cpuPerRequest: fc.integer({ min: 0, max: 50 }),
  });
  const residentArb = fc.record({ replicas: fc.integer({ min: 1, max: 8 }), rps: fc.integer({ min: 0, max: 900 }), onFirst: fc.boolean(), uses: usesArb });
  const limitsArb = fc.record({ memoryMi: fc.integer({ min: 1, max: 16384 }), threads: fc.integer({ min: 1, max: 2000 }), fds: fc.integer({ min: 1, max: 5000 }), cpu: fc.integer({ min: 1, max: 8000 }) });
  type Uses = { memoryPerReplica: number; memoryPerInFlight: number; threadsPerReplica: number; threadsPerInFlight: number; fileDescriptorsPerInFlight: number; cpuPerRequest: number };
  const usesText = (u: Uses) =>
    `{ memoryPerReplica: ${u.memoryPerReplica}Mi, memoryPerInFlight: ${u.memoryPerInFlight}Mi, threadsPerReplica: ${u.threadsPerReplica}, threadsPerInFlight: ${u.threadsPerInFlight}, fileDescriptorsPerInFlight: ${u.fileDescriptorsPerInFlight}, cpuPerRequest: ${u.cpuPerRequest}ms }`;
  const limitsText = (l: { memoryMi: number; threads: number; fds: number; cpu: number }) => `memory: ${l.memoryMi}Mi, threads: ${l.threads}, fileDescriptors: ${l.fds}, cpu: ${l.cpu}m`;
  const world = (first: string, residents: { replicas: number; rps: number; onFirst: boolean; uses: Uses }[]) =>
    new World(scenarioFromYaml(`
name: prop
seed: 1
duration: 1m
step: 1s
components:
  - { id: h1, kind: host, resources: { ${first} }, restart: 3s }
  - { id: h2, kind: host, resources: { memory: 64Gi, threads: 100000, fileDescriptors: 100000, cpu: 64000m }, restart: 3s }
${residents.map((r, i) => `  - { id: s${i}, kind: service, replicas: ${r.replicas}, replicasMax: 8, runsOn: ${r.onFirst ? "h1" : "h2"}, uses: ${usesText(r.uses)} }`).join("\n")}
`));
  const run = (w: World, residents: { rps: number }[], steps: number, check: (t: number) => void) => {
    for (let k = 0; k < steps; k++) {
      stepAt(w, k * 1000, Object.fromEntries(residents.map((r, i) => [`s${i}`, r.rps])));
      check(k);
    }
  };

  it("usage is never negative, and nothing on a host fails while every resource is under its limit", () => {
    fc.assert(
      fc.property(limitsArb, fc.array(residentArb, { minLength: 1, maxLength: 4 }), (limits, residents) => {
        const w = world(limitsText(limits), residents);
        let everExhausted = false;
        run(w, residents, 8, () => {
          const usage = ["cpuUsage", "memoryUsage", "fdUsage", "threadUsage"].map((s) => w.signal("h1", s));
          for (const u of usage) expect(u).toBeGreaterThanOrEqual(0);
          if (usage.some((u) => u >= 1)) everExhausted = true;
          // Under every limit (and never exhausted before, so no OOM restart pending): no host failure.
          if (!everExhausted) {
            expect(w.signal("h1", "errorRate")).toBe(0);
            expect(w.signal("h1", "available")).toBe(1);
          }
        });
      }),
      { numRuns: 40 },
    );
  });

  it("exhausting one host changes nothing for the components on another", () => {
    fc.assert(
      fc.property(limitsArb, fc.array(residentArb, { minLength: 2, maxLength: 4 }), (limits, residents) => {
        // The same residents and loads, step for step, with host h1 tight or roomy.
        const roomy = world("memory: 64Gi, threads: 100000, fileDescriptors: 100000, cpu: 64000m", residents);
        const tight = world(limitsText(limits), residents);
        run(tight, residents, 8, (k) => {
          stepAt(roomy, k * 1000, Object.fromEntries(residents.map((r, i) => [`s${i}`, r.rps])));
          residents.forEach((r, i) => {
            if (r.onFirst) return;
            for (const s of ["errorRate", "latencyMsP95", "loadRps", "available"] as const) expect(tight.signal(`s${i}`, s)).toBe(roomy.signal(`s${i}`, s));
          });
          expect(tight.signal("h2", "errorRate")).toBe(roomy.signal("h2", "errorRate"));
        });
      }),
      { numRuns: 40 },
    );
  });
});
