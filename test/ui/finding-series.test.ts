// Which series the time views show: on dynamodb-dns-race (blind) the timeline's default
// components cover every finding's components and the entry component (all three phases of the
// outage, not the first four components); a selected finding narrows them to its own; each kind
// of finding maps to the knob or signal that shows it, and knobs fold from the log.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runAndCheck } from "../../sim/assert/check.js";
import { loadVariant } from "../../sim/scenario/load.js";
import type { ComponentInfo } from "../../ui/model/payload.js";
import { entryComponents, findingSeries, knobValues, timelineComponents, TIMELINE_COMPONENTS_MAX } from "../../ui/views/finding-series.js";
import { repoPath } from "../helpers/scenarios.js";

const FILE = "scenarios/dynamodb-dns-race.yaml";

describe("series choice for findings", () => {
  const variant = loadVariant(readFileSync(repoPath(FILE), "utf8"), FILE, "blind");
  const { run, verdict } = runAndCheck(variant);
  const findings = verdict.findings;
  const t = { componentIds: [...run.telemetry.componentIds], signalNames: [...run.telemetry.signalNames] };
  // As the worker describes components (ui/worker/sim.worker.ts callsOf).
  const components: ComponentInfo[] = run.scenario.components.map((c) => {
    const spec = c as unknown as { dependsOn?: { id: string }[]; targets?: string[]; target?: string };
    return { id: c.id, kind: c.kind, calls: [...(spec.dependsOn ?? []).map((d) => d.id), ...(spec.targets ?? []), ...(spec.target ? [spec.target] : [])] };
  });

  it("shows every finding's components and the entry components by default", () => {
    expect(findings.length).toBeGreaterThan(3);
    const shown = timelineComponents(t, components, findings, null, []);
    // The outage's three phases: the DNS race, the retry storm in dwfm, the NLB health flapping.
    for (const f of findings) for (const c of f.components) expect(shown, `${f.kind} ${c}`).toContain(c);
    for (const c of entryComponents(components)) expect(shown).toContain(c);
    expect(shown.length).toBeLessThanOrEqual(TIMELINE_COMPONENTS_MAX);
    // In telemetry order, so colours do not depend on the findings' order.
    expect(shown).toEqual(t.componentIds.filter((c) => shown.includes(c)));
  });

  it("narrows to a selected finding's components", () => {
    const flapping = findings.findIndex((f) => f.kind === "flapping");
    expect(timelineComponents(t, components, findings, flapping, [])).toEqual(findings[flapping].components);
    const oscillation = findings.findIndex((f) => f.kind === "oscillation");
    expect(timelineComponents(t, components, findings, oscillation, [])).toEqual(["nlb"]);
  });

  it("without findings, shows the entry and busy components", () => {
    expect(timelineComponents(t, components, [], null, ["ddb"])).toEqual(t.componentIds.filter((c) => c === "ddb" || entryComponents(components).includes(c)));
  });

  it("maps each finding to its knob or signal", () => {
    const byKind = (kind: string) => findings.find((f) => f.kind === kind)!;
    expect(findingSeries(byKind("flapping"), t)).toEqual({ component: "az-a", signal: "healthy" });
    expect(findingSeries(byKind("retryStorm"), t)).toEqual({ component: "dwfm", signal: "amplification" });
    expect(findingSeries(byKind("lostUpdate"), t)).toEqual({ component: "ddb-dns", knob: "plan" });
    expect(findingSeries(byKind("oscillation"), t)).toEqual({ component: "nlb", knob: "inService.az-a" });
    // A knob that is also a sampled signal reads the telemetry.
    expect(findingSeries(byKind("intentAttribution"), t)).toEqual({ component: "az-a", signal: "replicas" });
  });

  it("folds a knob's values from the log: the first write's `from`, then each `to`", () => {
    const times = run.telemetry.times.subarray(0, run.telemetry.count);
    const plan = knobValues(run.log, "ddb-dns", "plan", times);
    const writes = run.log.filter((r) => r.target === "ddb-dns" && r.data.knob === "plan" && !r.type.startsWith("command.") && typeof r.data.to === "number");
    expect(writes.length).toBeGreaterThan(2);
    expect(plan[0]).toBe(writes[0].data.from);
    const last = writes[writes.length - 1];
    expect(plan[plan.length - 1]).toBe(last.data.to);
    // Just before and at a write.
    const i = times.findIndex((ms) => ms >= writes[1].t);
    expect(plan[i]).toBe(writes[1].data.to);
    expect(plan[i - 1]).toBe(writes[0].data.to);
    expect(Array.from(knobValues(run.log, "ddb-dns", "nothing", times.subarray(0, 3))).every(Number.isNaN)).toBe(true);
  });
});
