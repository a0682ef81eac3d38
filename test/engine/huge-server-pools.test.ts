// Scenarios with absurdly large server pools (1e6 and 2e9 servers, 1e308 requests/s per
// replica) run to completion quickly with finite signals in the engine. Since the budgets of
// issue 13, validate refuses rates above 1e9/s, so the CLI refuses the files that hold them
// (exit 2, located); the engine is still checked on them, built past the loader (see inflate).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScenario } from "../../sim/engine/engine.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { crossfire } from "../helpers/cli.js";

/**
 * Each file: a service in front of nothing, under load that climbs past capacity and back, with a
 * capacityLoss fault (fractional pods) in the middle; variants add a backlog and change the pool.
 */
const FILES: Record<string, string> = {
  // 10 replicas x round(1e5/s x 1 s) = 1e5 slots = 1e6 servers.
  "one-million-servers.yaml": `name: one-million-servers
seed: 1
duration: 5m
step: 1s
components:
  - { id: api, kind: service, replicas: 10, replicasMax: 10, capacityPerReplica: 100000/s, baseLatency: 1s, latencyMax: 5s }
workload:
  - id: users
    target: api
    pattern: { kind: steps, steps: [{ at: 0s, rate: 900000/s }, { at: 1m, rate: 995000/s }, { at: 2m, rate: 1500000/s }, { at: 3m, rate: 500000/s }] }
faults:
  - { id: zone-loss, target: api, start: 150s, duration: 60s, effect: capacityLoss, fraction: 0.37 }
variants:
  shed: {}
  backlog:
    components: [{ id: api, maxQueue: 10s }]
`,
  // 3 x 1e308/s overflows the capacity to Infinity; 1 x 1e308/s is finite but its slots are not.
  "huge-capacity.yaml": `name: huge-capacity
seed: 1
duration: 5m
step: 1s
components:
  - { id: api, kind: service, replicas: 3, replicasMax: 3, capacityPerReplica: 1e308, baseLatency: 20ms, latencyMax: 20ms }
workload:
  - id: users
    target: api
    pattern: { kind: steps, steps: [{ at: 0s, rate: 800/s }, { at: 2m, rate: 1000000000000/s }] }
faults:
  - { id: zone-loss, target: api, start: 150s, duration: 60s, effect: capacityLoss, fraction: 0.5 }
variants:
  infinite:
    components: [{ id: api, maxQueue: 10s }]
  one-replica:
    components: [{ id: api, replicas: 1 }]
`,
  // 2 replicas x round(1e9/s x 1 s) = 2e9 servers.
  "two-billion-servers.yaml": `name: two-billion-servers
seed: 1
duration: 5m
step: 1s
components:
  - { id: api, kind: service, replicas: 2, replicasMax: 2, capacityPerReplica: 1000000000/s, baseLatency: 1s, latencyMax: 10s }
workload:
  - id: users
    target: api
    pattern: { kind: steps, steps: [{ at: 0s, rate: 1900000000/s }, { at: 1m, rate: 1999990000/s }, { at: 2m, rate: 3000000000/s }] }
faults:
  - { id: zone-loss, target: api, start: 150s, duration: 60s, effect: capacityLoss, fraction: 0.25 }
variants:
  shed: {}
  backlog:
    components: [{ id: api, maxQueue: 30s }]
`,
  // A config consumer's nodes: 1e308/s x 2 s per node overflows the slots; 3 nodes overflow the capacity.
  "huge-consumer.yaml": `name: huge-consumer
seed: 1
duration: 5m
step: 1s
components:
  - { id: configs, kind: documentStore, documents: [{ name: routes, rows: 10 }] }
  - { id: proxies, kind: configConsumer, store: configs, document: routes, replicas: 1, replicasMax: 3, capacityPerReplica: 1e308, baseLatency: 2s, latencyMax: 2s }
workload:
  - id: users
    target: proxies
    pattern: { kind: steps, steps: [{ at: 0s, rate: 800/s }, { at: 2m, rate: 1000000000000/s }] }
variants:
  one-node: {}
  three-nodes:
    components: [{ id: proxies, replicas: 3 }]
`,
};

const tmp = mkdtempSync(join(tmpdir(), "crossfire-huge-pools-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
for (const [name, text] of Object.entries(FILES)) writeFileSync(join(tmp, name), text);

/**
 * Values over the scenario budgets, written in the files as small stand-ins the loader accepts and
 * put back into the resolved scenarios: the model must stay finite even where validation would
 * stop a user first (a scenario built in code has no validator).
 */
const HUGE: [literal: string, standIn: string, value: number][] = [
  ["capacityPerReplica: 1e308", "capacityPerReplica: 424201/s", 1e308],
  ["1000000000000/s", "424202/s", 1e12],
  ["1900000000/s", "424203/s", 1.9e9],
  ["1999990000/s", "424204/s", 1.99999e9],
  ["3000000000/s", "424205/s", 3e9],
];
function loadHuge(text: string, file: string) {
  let standIn = text;
  for (const [literal, small] of HUGE) standIn = standIn.split(literal).join(small);
  const values = new Map(HUGE.map(([, small, value]) => [Number(small.replace(/\D+/g, "")), value]));
  const put = (v: unknown): unknown => (typeof v === "number" ? (values.get(v) ?? v) : Array.isArray(v) ? v.map(put) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, put(x)])) : v);
  return loadSuite(standIn, file).variants.map((v) => ({ name: v.name, scenario: put(v.scenario) as typeof v.scenario }));
}

const variants = Object.entries(FILES).flatMap(([file, text]) => loadHuge(text, file).map((v) => [`${file} [${v.name}]`, v.scenario] as const));
const overBudget = (text: string) => HUGE.some(([literal]) => text.includes(literal));

// Generous timeouts: before the bounded Erlang C the 2e9-server runs took hours (one recurrence
// step per server, every simulated second) and 1e308/s crashed with a RangeError.
describe("huge server pools", () => {
  it("has all eight variants", () => {
    expect(variants.map(([name]) => name)).toEqual([
      "one-million-servers.yaml [shed]",
      "one-million-servers.yaml [backlog]",
      "huge-capacity.yaml [infinite]",
      "huge-capacity.yaml [one-replica]",
      "two-billion-servers.yaml [shed]",
      "two-billion-servers.yaml [backlog]",
      "huge-consumer.yaml [one-node]",
      "huge-consumer.yaml [three-nodes]",
    ]);
  });

  it.each(variants)("%s runs to completion with finite signals", (_, scenario) => {
    const result = runScenario(scenario);
    expect(result.stopReason).toBe("completed");
    const { telemetry } = result;
    for (const id of telemetry.componentIds) {
      for (const signal of telemetry.signalNames) {
        const series = telemetry.series(id, signal);
        expect(series.length).toBe(301);
        for (const value of series) {
          expect(Number.isFinite(value), `${id}.${signal} = ${value}`).toBe(true);
        }
      }
    }
  }, 60_000);

  it("shows queueing where M/M/c has it: 2e9 servers shed above capacity and lose a quarter in the zone loss", () => {
    const scenario = variants.find(([name]) => name === "two-billion-servers.yaml [shed]")![1];
    const { telemetry } = runScenario(scenario);
    const at = (signal: string, s: number) => telemetry.series("api", signal)[telemetry.indexAt(s * 1000)];
    expect(at("utilization", 30)).toBeCloseTo(0.95, 6);
    expect(at("errorRate", 30)).toBe(0);
    // 3e9/s offered on 2e9/s: 1 - 0.99 x 2/3 is shed.
    expect(at("errorRate", 130)).toBeCloseTo(1 - (0.99 * 2) / 3, 5);
    // During the zone loss 0.75 x 2e9/s is left.
    expect(at("utilization", 180)).toBeCloseTo(3 / 1.5, 5);
    expect(at("latencyMsP95", 30)).toBe(1000);
  }, 60_000);

  it.each(Object.keys(FILES))("crossfire validate and run %s: refused with a located budget error when over budget, else exit 0 or 1", (file) => {
    const path = join(tmp, file);
    const validate = crossfire(["validate", path]);
    if (overBudget(FILES[file])) {
      expect(validate.code).toBe(2);
      expect(validate.stderr).toMatch(new RegExp(`${file.replace(".", "\\.")}:\\d+:\\d+: [\\w.\\[\\]]+: expected a rate of at most 1,000,000,000/s, found `));
      expect(crossfire(["run", path]).code).toBe(2);
      return;
    }
    expect(validate.stderr).toBe("");
    expect(validate.code).toBe(0);
    for (const variant of loadSuite(FILES[file], file).variants) {
      const run = crossfire(["run", path, "--variant", variant.name, "--json"]);
      expect(run.stderr, `${file} [${variant.name}]`).not.toMatch(/internal error|RangeError/);
      expect([0, 1], `${file} [${variant.name}] exited ${run.code}`).toContain(run.code);
      expect(JSON.parse(run.stdout).stopReason).toBe("completed");
    }
  }, 120_000);
});
