// The story of the library's incidents, checked by hand against the scenarios' descriptions and
// the published timelines (INCIDENTS.md): who triggered what, when users lost service, who
// mitigated it, and the verdict words that keep "expectations met" apart from "system healthy".
import { describe, expect, it } from "vitest";
import { storyOf } from "./library.js";

const DDB = "scenarios/dynamodb-dns-race.yaml";

describe("dynamodb-dns-race", () => {
  it("blind: an outage, reproduced as expected, with the race's phases", () => {
    const { story } = storyOf(DDB, "blind");
    expect(story.verdict).toMatchObject({ label: "PASS", met: 16, total: 16, text: "outage reproduced as expected (16/16)" });
    expect(story.system.state).toBe("outage");
    // front's customers got nothing while the record was empty (00:09-00:25).
    expect(story.system.worstComponent).toBe("front");
    expect(story.system.worstAvailability).toBeLessThan(0.05);
    expect(story.system.text).toMatch(/^outage: front served 0% of requests at worst/);
    const phase = (kind: string) => story.phases.find((p) => p.kind === kind);
    // Trigger: enactor-a's stale apply of plan 4 (#38), the stall (#6) behind it.
    expect(phase("trigger")).toMatchObject({ seq: 38, t: 482_000 });
    expect(phase("trigger")!.text).toContain("#6 fault enactor-a-stall");
    // Impact: front fails one TTL after the record empties at 00:08:21 (#39), at 00:09:02.
    expect(phase("impact")).toMatchObject({ seq: 43, t: 542_000 });
    expect(phase("impact")!.text).toContain("00:09:02");
    // Mitigation: oncall restores the record by hand at 00:24 (published 02:25 PDT, compressed).
    expect(phase("mitigation")).toMatchObject({ seq: 75, t: 1_440_000 });
    expect(phase("mitigation")!.text).toContain("oncall");
    // The NLB's health checks flap from 00:44:33 to the end (the 09:36 failover fix is not modelled).
    expect(phase("recovery")!.text).toMatch(/^not recovered by the end of the run: .*healthy again at 00:44:23 \(#121\), but nlb was unhealthy from 00:44:33 \(#124\)/);
    expect(story.rootCause).toMatchObject({ seq: 38, actor: "enactor-a" });
    expect(story.rootCause!.sentence).toMatch(/^Stale write .*#38 enactor-a set ddb-dns\.plan 17->4 at 00:08:02/);
    expect(story.headline).toBe("enactor-a's stale write of ddb-dns.plan (#38) at 00:08:02; front served 0% of requests at worst; user-facing components unhealthy from 00:09:02 for 35m21s; not recovered by the end of the run (nlb at 01:36:00)");
    // Phases in time order, each with a human time.
    expect(story.phases.map((p) => p.t)).toEqual([...story.phases.map((p) => p.t)].sort((a, b) => a - b));
    for (const p of story.phases) expect(p.text).toMatch(/\d\d:\d\d:\d\d/);
  });

  it("blind: the description is split into the published facts, the simulator's choices and the source", () => {
    const { story } = storyOf(DDB, "blind");
    expect(story.description.source).toBe('https://aws.amazon.com/message/101925/ (AWS: "Summary of the Amazon DynamoDB Service Disruption in the Northern Virginia (US-EAST-1) Region").');
    expect(story.description.facts).toMatch(/^- A DNS Planner periodically produces/);
    expect(story.description.facts).not.toContain("Simulator choices");
    expect(story.description.choices).toMatch(/^- One plan generation every 30 s/);
    expect(story.description.choices).not.toContain("Blind: the race");
  });

  it("coordinated: the fixes prevent the outage, and the words say so", () => {
    const { story } = storyOf(DDB, "coordinated");
    expect(story.system.state).toBe("healthy");
    expect(story.verdict.text).toBe("prevented as expected (12/12)");
    expect(story.phases).toEqual([]);
    expect(story.headline).toBe("dynamodb-dns-race: no impact; user-facing components served every request");
  });

  it("blind with seed 1: no race, so no outage, and the blind expectations (which describe one) are not met", () => {
    const { story } = storyOf(DDB, "blind", 1);
    expect(story.system.state).toBe("healthy");
    expect(story.verdict.label).toBe("FAIL");
    expect(story.verdict.text).toMatch(/^expectations not met \(\d+\/16\)$/);
  });
});

describe("other library scenarios", () => {
  it("retry-storm blind: the capacity loss tips the clients into a storm that outlives it", () => {
    const { story } = storyOf("scenarios/retry-storm.yaml", "blind");
    expect(story.system.state).toBe("outage");
    expect(story.verdict.text).toBe("outage reproduced as expected (9/9)");
    expect(story.phases.find((p) => p.kind === "trigger")).toMatchObject({ seq: 1 });
    expect(story.phases.find((p) => p.kind === "trigger")!.text).toContain("fault capacity-drop (capacityLoss) started on api at 00:02:00");
    expect(story.phases.find((p) => p.kind === "recovery")!.text).toMatch(/^not recovered by the end of the run/);
  });

  it("retry-storm coordinated: the same capacity loss, recovered within a minute; its expectations do not describe an outage", () => {
    const { story } = storyOf("scenarios/retry-storm.yaml", "coordinated");
    expect(story.system.state).toBe("outage");
    expect(story.verdict.text).toBe("expectations met (7/7)");
    expect(story.phases.find((p) => p.kind === "recovery")).toMatchObject({ t: 185_000 });
  });

  it("cost-vs-performance: the thrashing costs money but users never see an error", () => {
    const blind = storyOf("scenarios/cost-vs-performance.yaml", "blind").story;
    expect(blind.system).toMatchObject({ state: "healthy", worstAvailability: 1, unhealthyMs: 0 });
    expect(blind.verdict.text).toBe("expectations met (5/5)");
    expect(storyOf("scenarios/cost-vs-performance.yaml", "coordinated").story.verdict.text).toBe("prevented as expected (5/5)");
  });

  it("azure-front-door-lkg blind: the clean-up's reversal is the trigger, the balancer the first to react", () => {
    const { story } = storyOf("scenarios/azure-front-door-lkg.yaml", "blind");
    expect(story.verdict.text).toBe("outage reproduced as expected (22/22)");
    expect(story.rootCause).toMatchObject({ seq: 10, actor: "cleanup" });
    expect(story.phases.find((p) => p.kind === "mitigation")!.text).toContain("balancer");
  });
});

describe("descriptions", () => {
  it("keeps a variant's own description beside the file's facts and choices", () => {
    const { story } = storyOf(DDB, "blind");
    expect(story.description.variant).toMatch(/^As deployed: no fencing/);
    expect(story.description.text).toMatch(/^Source: https:\/\/aws\.amazon\.com/);
  });
});
