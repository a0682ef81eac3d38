// A DNS record's signals derive from the plan version it points at: their provenance names that
// version's put, or the deletion that removed it (why the record is empty), and not unrelated
// later writes of the plan document. Its callers, lease tables included, see the answer
// resolvers cached, so an emptied record fails them only once the TTL has run out.
import { describe, expect, it } from "vitest";
import { World } from "../../sim/model/world.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const scenario = scenarioFromYaml(`
name: dns-provenance
seed: 1
duration: 10m
step: 1s
components:
  - { id: plans, kind: documentStore, documents: [ { name: plan, version: 1, rows: 3 } ] }
  - { id: dns, kind: dnsRecord, store: plans, document: plan, plan: 1, ttl: 2s, targets: [db] }
  - { id: db, kind: database }
  - { id: app, kind: service, dependsOn: [dns] }
  - { id: leases, kind: leaseTable, leases: 100, leaseDuration: 1m, workers: 4, dependsOn: [dns] }
`);

const PLAN = { rows: 3, sizeBytes: 300, schema: "v1" };

function stepOnce(world: World, tMs: number) {
  return world.step(Float64Array.from(world.componentIds.map((id) => (id === "app" ? 50 : 0))), tMs);
}

describe("dnsRecord provenance", () => {
  it("names the put of the plan version the record points at, not a later put of another version", () => {
    const world = new World(scenario, 0);
    world.putDocument("plans", "plan", PLAN, 11); // version 2
    world.applyKnob("dns", "plan", 2, 12);
    world.putDocument("plans", "plan", PLAN, 13); // version 3, not served
    stepOnce(world, 0);
    const p = world.signalProvenance("dns", "errorRate");
    expect(p).toContain(11);
    expect(p).toContain(12);
    expect(p).not.toContain(13);
  });

  it("names the deletion of the version it points at once it is gone, and the empty record fails its callers with it", () => {
    const world = new World(scenario, 0);
    world.putDocument("plans", "plan", PLAN, 11); // version 2
    world.applyKnob("dns", "plan", 2, 12);
    world.deleteDocument("plans", "plan", 2, 14);
    world.putDocument("plans", "plan", PLAN, 15); // version 3: a later, unrelated write
    const failures = [];
    for (let t = 0; t <= 10_000; t += 1000) failures.push(...stepOnce(world, t));
    expect(world.signal("dns", "available")).toBe(0);
    const appDown = failures.find((f) => f.component === "app" && !f.healthy)!;
    expect(appDown).toBeDefined();
    for (const p of [world.signalProvenance("dns", "errorRate"), appDown.provenance]) {
      expect(p).toContain(14);
      expect(p).toContain(12);
      expect(p).not.toContain(15);
      expect(p).not.toContain(11);
    }
  });
});

describe("callers of an emptied DNS record", () => {
  it("keep working on the cached answer until the TTL runs out, lease tables too", () => {
    const world = new World(scenario, 0);
    stepOnce(world, 0);
    world.putDocument("plans", "plan", PLAN, 11); // version 2
    world.applyKnob("dns", "plan", 2, 12);
    // Resolvers cached plan 1 at t = 0 and re-ask at t = 2 s (ttl 2s); the record empties before t = 1 s.
    world.deleteDocument("plans", "plan", 2, 14);
    stepOnce(world, 1000);
    expect(world.signal("dns", "available")).toBe(0);
    for (const id of ["dns", "app", "leases"]) expect(world.signal(id, "errorRate"), id).toBe(0);
    stepOnce(world, 2000);
    stepOnce(world, 3000);
    for (const id of ["dns", "app", "leases"]) expect(world.signal(id, "errorRate"), id).toBe(1);
  });
});
