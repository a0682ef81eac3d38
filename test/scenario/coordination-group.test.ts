// Resolving the group-level coordination policies: patterns expand to the concrete knob and
// component sets, thresholds and defaults are computed, and files without the new fields resolve
// to exactly the coordination spec they did before (no new keys).
import { describe, expect, it } from "vitest";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const sites = Array.from({ length: 10 }, (_, i) => `  - { id: site-${i}, kind: service, replicas: 4 }`).join("\n");
const base = `name: t\nseed: 1\nduration: 10m\ncomponents:\n${sites}\nagents:\n  - { id: perf, kind: performance, target: site-0 }\n  - { id: cost, kind: cost, target: site-0 }\n`;

describe("group coordination resolution", () => {
  it("expands bounds to knob keys, fail-static watch to components with a rounded threshold, and applies defaults", () => {
    const s = scenarioFromYaml(`${base}coordination:
  bounds: [{ knobs: [site-1.replicas, site-0.*], aggregate: avg, max: 8 }]
  failStatic: [{ watch: [site-*], unhealthyFraction: 0.3, knobs: [site-*.replicas] }]
  lease: { ttl: 4m, scopes: [{ id: all, knobs: [site-*.replicas] }, { id: one, knobs: [site-1.replicas], ttl: 1m }] }
  arbiter: [{ knobs: [site-0.replicas], merge: min, staleAfter: 10m }]
  velocity: [{ knobs: [site-0.replicas], maxChange: 2, window: 5m, onExceed: clip }]
`);
    const c = s.coordination;
    expect(c.bounds).toEqual([{ label: "site-1.replicas, site-0.*", keys: ["site-0.replicas", "site-1.replicas"], aggregate: "avg", max: 8 }]);
    expect(c.failStatic![0]).toMatchObject({ components: Array.from({ length: 10 }, (_, i) => `site-${i}`), downMin: 3, threshold: "30% (3 of 10)", action: "reject", recheckMs: 30_000, holdMaxMs: 600_000 });
    expect(c.leaseScopes).toEqual([{ id: "all", knobs: ["site-*.replicas"], ttlMs: 240_000 }, { id: "one", knobs: ["site-1.replicas"], ttlMs: 60_000 }]);
    expect(c.lease).toBeUndefined();
    expect(c.arbiter).toEqual([{ knobs: ["site-0.replicas"], merge: "min", staleAfterMs: 600_000 }]);
    expect(c.velocity![0].onExceed).toBe("clip");
  });

  it("adds no keys for files that do not use the new fields", () => {
    const s = scenarioFromYaml(`${base}coordination:\n  lease: { knobs: [site-0.replicas], holder: perf }\n  velocity: [{ knobs: [site-0.replicas], maxChange: 2, window: 5m }]\n`);
    expect(s.coordination).toEqual({ lease: { knobs: ["site-0.replicas"], ttlMs: 300_000, holder: "perf" }, velocity: [{ knobs: ["site-0.replicas"], maxChange: 2, windowMs: 300_000, direction: "both" }] });
  });

  it("reports a lease with neither knobs nor scopes, a holder without knobs, a quorum larger than the set and priority without agents", () => {
    const bad = `${base}coordination:
  lease: { holder: perf }
  failStatic: [{ watch: [site-1, site-2], quorum: 3, knobs: [site-*.replicas] }]
  arbiter: [{ knobs: [site-0.replicas], merge: priority }]
`;
    expect(() => scenarioFromYaml(bad)).toThrow(/coordination\.lease: expected `knobs` \(a lease per knob\), `scopes`[\s\S]*coordination\.lease\.holder: expected `holder` only with `knobs`[\s\S]*coordination\.failStatic\[0\]\.quorum: expected at most the number of watched components \(2\), found 3[\s\S]*coordination\.arbiter\[0\]: expected `agents` \(highest priority first\) with `merge: priority`/);
  });
});
