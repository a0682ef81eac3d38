// Retry storms: amplification that outlives its trigger fires with the trigger and the target's
// health as witnesses; storms that end, triggers that never end or do not touch the clients stay
// quiet; and scenarios/retry-storm.yaml and the DWFM sketch blind versus with their fixes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DETECTOR_DEFAULTS, detect } from "../../sim/detect/index.js";
import { detectRetryStorms } from "../../sim/detect/retry-storm.js";
import { runScenario } from "../../sim/engine/engine.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";
import { loadVariant } from "../../sim/scenario/load.js";
import { LogBuilder, min, telemetryOf } from "./log-builder.js";

/** clients -> api, and an unrelated service. */
const stormScenario = scenarioFromYaml(`
name: storm
seed: 1
duration: 20m
step: 10s
components:
  - { id: clients, kind: clients, target: api }
  - { id: api, kind: service, replicas: 10, replicasMax: 10 }
  - { id: other, kind: service, replicas: 2 }
`);

/** Clients amplifying 3.9x from `fromMs` until `untilMs` (exclusive), else 1; api offered 800 rps x amplification. */
function stormTelemetry(fromMs: number, untilMs = Infinity) {
  return telemetryOf(["clients", "api", "other"], min(20), 10_000, (t, id) => {
    const amplification = t >= fromMs && t < untilMs ? 3.9 : 1;
    if (id === "clients") return { amplification, loadRps: 800, errorRate: amplification > 1 ? 0.9 : 0 };
    if (id === "api") return { loadRps: 800 * amplification };
    return {};
  });
}

/** An operator drains api at 2 min and restores it at 3 min; api fails at 2 min. */
function drain(b: LogBuilder): { cut: number; down: number; restore: number } {
  const cut = b.knob(min(2), "operator", "api", "replicas", 10, 5, { reason: "drain half the fleet" }).seq;
  const down = b.health(min(2) + 10_000, "api", false, [cut]).seq;
  const restore = b.knob(min(3), "operator", "api", "replicas", 5, 10, { reason: "maintenance done" }).seq;
  return { cut, down, restore };
}

describe("detectRetryStorms on hand-built runs", () => {
  it("fires when amplification outlives a capacity cut that was restored, with the trigger and the target's health as witnesses", () => {
    const b = new LogBuilder();
    b.health(min(1), "api", true); // before the trigger: not a witness
    const { cut, down, restore } = drain(b);
    const [finding, ...rest] = detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      kind: "retryStorm",
      severity: "critical",
      from: min(2),
      to: min(3),
      actors: ["operator"],
      components: ["clients", "api"],
      subjects: ["operator", "clients", "api"],
      witnesses: [cut, down, restore],
      rootCauses: [cut],
    });
    expect(finding.metrics).toMatchObject({ amplificationPeak: 3.9, amplificationAfter: 3.9, persistedMs: min(17), triggerMs: min(1), onsetMs: min(2) + 10_000, stormEndMs: min(20), ongoing: 1, firstAttemptRps: 800, errorRateAfter: 0.9 });
    expect(finding.explanation).toEqual([
      "clients kept sending 3.9 attempts per request to api (peak 3.9) for 17m after its trigger ended at 00:03:00 and was still doing so when the run ended at 00:20:00: the overload outlived what started it, a metastable state sustained by retries.",
      `Trigger: #${cut} operator lowered api.replicas 10->5 at 00:02:00 because drain half the fleet; it ended with #${restore} operator raised api.replicas 5->10 at 00:03:00.`,
      "Amplification first reached 1.5 at 00:02:10; after the trigger api was offered 3120 rps on average for 800 rps of first attempts, and 90% of requests failed.",
      `api turned unhealthy at 00:02:10 (#${down}), and was still unhealthy at the end of the run.`,
    ]);
  });

  it("stays quiet when the storm ends within retryStormPersistMs of the trigger's end, unless that is shorter", () => {
    const b = new LogBuilder();
    drain(b);
    const view = b.view(stormScenario, stormTelemetry(min(2) + 10_000, min(4)));
    expect(detectRetryStorms(view, DETECTOR_DEFAULTS)).toEqual([]);
    const [finding] = detectRetryStorms(view, { ...DETECTOR_DEFAULTS, retryStormPersistMs: 30_000 });
    expect(finding.metrics).toMatchObject({ persistedMs: min(1), stormEndMs: min(4), ongoing: 0 });
    expect(finding.explanation[0]).toContain("for 1m after its trigger ended at 00:03:00 (until 00:04:00)");
  });

  it("stays quiet while the trigger lasts (capacity never restored), and on amplification with no trigger", () => {
    const b = new LogBuilder();
    b.knob(min(2), "operator", "api", "replicas", 10, 5);
    b.knob(min(3), "operator", "api", "replicas", 5, 8); // partly restored: the cut still holds
    expect(detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS)).toEqual([]);
    expect(detectRetryStorms(new LogBuilder().view(stormScenario, stormTelemetry(min(2))), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet when the trigger acts on a component the clients do not call", () => {
    const b = new LogBuilder();
    b.knob(min(2), "operator", "other", "replicas", 2, 1);
    b.knob(min(3), "operator", "other", "replicas", 1, 2);
    expect(detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("stays quiet when amplification was already high before the trigger started", () => {
    const b = new LogBuilder();
    drain(b);
    expect(detectRetryStorms(b.view(stormScenario, stormTelemetry(min(1))), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("takes a fault's end, or a load spike's end, as the end of the trigger", () => {
    const faulted = new LogBuilder();
    const started = faulted.componentFault(min(2), "brownout", "api");
    const ended = faulted.faultEnded(min(3), started);
    const [byFault] = detectRetryStorms(faulted.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(byFault).toMatchObject({ actors: ["brownout"], witnesses: [started.seq, ended.seq], rootCauses: [started.seq] });
    expect(byFault.explanation[1]).toBe(`Trigger: #${started.seq} fault brownout (capacityLoss) started on api at 00:02:00; it ended with #${ended.seq} fault brownout (capacityLoss) ended on api at 00:03:00.`);

    const spiked = new LogBuilder();
    const up = spiked.workload(min(2), "users", "clients", 800, 2400).seq;
    const back = spiked.workload(min(3), "users", "clients", 2400, 800).seq;
    const [bySpike] = detectRetryStorms(spiked.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(bySpike).toMatchObject({ actors: ["users"], witnesses: [up, back] });
  });
});

/** fleet -> store, no clients: a recovery herd shows only as the store's load and health. */
const herdScenario = scenarioFromYaml(`
name: herd
seed: 1
duration: 20m
step: 10s
components:
  - { id: fleet, kind: service, replicas: 10, dependsOn: [store] }
  - { id: store, kind: database, replicas: 1 }
  - { id: other, kind: service, replicas: 2 }
`);

/** The store offered 100 rps, and 500 rps (unhealthy unless `copes`) from `fromMs` on; the fleet healthy throughout. */
function herdTelemetry(fromMs: number, copes = false) {
  return telemetryOf(["fleet", "store", "other"], min(20), 10_000, (t, id) => {
    if (id === "store") return t >= fromMs ? { loadRps: 500, healthy: copes ? 1 : 0, errorRate: copes ? 0 : 0.6 } : { loadRps: 100, healthy: 1 };
    if (id === "fleet") return { loadRps: 100, healthy: 1 };
    return { loadRps: 10, healthy: 1 };
  });
}

describe("detectRetryStorms: any trigger, and recovery herds", () => {
  it("takes a point event (a knob change that is no capacity cut) shortly before the onset as the trigger", () => {
    const b = new LogBuilder();
    const change = b.knob(min(2), "deployer", "api", "timeoutMs", 1000, 200, { reason: "new client config" }).seq;
    const [finding, ...rest] = detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: "retryStorm", rootCauses: [change], actors: ["deployer"], components: ["clients", "api"] });
    expect(finding.metrics).toMatchObject({ persistedMs: min(18), triggerMs: 0 });
    expect(finding.explanation[1]).toBe(`Trigger: #${change} deployer lowered api.timeoutMs 1000->200 at 00:02:00 because new client config, 10s before the overload began.`);
  });

  it("ignores a point event longer than two samples (at least 30 s) before the onset", () => {
    const b = new LogBuilder();
    b.knob(min(1), "deployer", "api", "timeoutMs", 1000, 200);
    expect(detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("names the end of a trigger first when the overload began only after it ended (the recovery)", () => {
    const b = new LogBuilder();
    const started = b.componentFault(min(1), "zone-crash", "api", "crash");
    const ended = b.faultEnded(min(2), started);
    const [finding] = detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(finding.rootCauses).toEqual([ended.seq, started.seq]);
    expect(finding.explanation[1]).toBe(
      `Trigger: the recovery — the overload began at 00:02:10, after #${ended.seq} fault zone-crash (crash) ended on api at 00:02:00 ended what #${started.seq} fault zone-crash (crash) started on api at 00:01:00 had started.`,
    );
  });

  it("finds a recovery herd on a component without clients: load over its level before the trigger while unhealthy", () => {
    const b = new LogBuilder();
    const started = b.componentFault(min(2), "crash", "fleet", "crash");
    const ended = b.faultEnded(min(3), started);
    const [finding, ...rest] = detectRetryStorms(b.view(herdScenario, herdTelemetry(min(3) + 10_000)), DETECTOR_DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ kind: "retryStorm", components: ["store"], rootCauses: [ended.seq, started.seq], actors: ["crash"] });
    expect(finding.metrics).toMatchObject({ amplificationPeak: 5, amplificationAfter: 5, firstAttemptRps: 100, offeredRpsAfter: 500, onsetMs: min(3) + 10_000, ongoing: 1 });
    expect(finding.explanation[0]).toBe(
      "store stayed unhealthy under 5 times its load before the trigger (peak 5) for 17m after its trigger ended at 00:03:00 and was still doing so when the run ended at 00:20:00: " +
        "the overload outlived what started it, a metastable state sustained by the load its own failure and recovery generate (restarts, cold starts, reconnects, retries).",
    );
    expect(finding.explanation[2]).toBe("Amplification first reached 1.5 at 00:03:10; after the trigger store was offered 500 rps on average against 100 rps before the trigger, and 60% of requests failed.");
  });

  it("finds no herd where the component copes with the extra load, or the trigger is unrelated or still on", () => {
    const copes = new LogBuilder();
    copes.faultEnded(min(3), copes.componentFault(min(2), "crash", "fleet", "crash"));
    expect(detectRetryStorms(copes.view(herdScenario, herdTelemetry(min(3) + 10_000, true)), DETECTOR_DEFAULTS)).toEqual([]);
    const unrelated = new LogBuilder();
    unrelated.faultEnded(min(3), unrelated.componentFault(min(2), "crash", "other", "crash"));
    expect(detectRetryStorms(unrelated.view(herdScenario, herdTelemetry(min(3) + 10_000)), DETECTOR_DEFAULTS)).toEqual([]);
    const ongoing = new LogBuilder();
    ongoing.componentFault(min(2), "crash", "fleet", "crash");
    expect(detectRetryStorms(ongoing.view(herdScenario, herdTelemetry(min(3) + 10_000)), DETECTOR_DEFAULTS)).toEqual([]);
  });

  it("reports a clients storm once: its target's load is not a second (herd) finding", () => {
    const b = new LogBuilder();
    drain(b);
    // api offered 3.9x its load and unhealthy (healthy 0 in this telemetry) during the clients' storm.
    const findings = detectRetryStorms(b.view(stormScenario, stormTelemetry(min(2) + 10_000)), DETECTOR_DEFAULTS);
    expect(findings.map((f) => f.components)).toEqual([["clients", "api"]]);
  });
});

describe("recovery herds of restarting servers (docs/examples/thundering-herd.yaml)", () => {
  const FILE = "docs/examples/thundering-herd.yaml";
  const text = readFileSync(repoPath(FILE), "utf8");
  const runOf = (variant: string) => runScenario(loadVariant(text, FILE, variant).scenario);

  it("blind: a fleet whose replicas keep restarting together after the crash loop ended is a metastable failure rooted in the crash fault", () => {
    const run = runOf("blind");
    const found = detect(run).filter((f) => f.kind === "retryStorm");
    expect(found).toHaveLength(1);
    const [f] = found;
    const [started, ended] = run.log.filter((r) => r.type === "fault.started" || r.type === "fault.ended");
    expect(f).toMatchObject({ actors: ["poison-request"], components: ["api", "store"], rootCauses: [started.seq] });
    expect(f.witnesses).toEqual(expect.arrayContaining([started.seq, ended.seq]));
    expect(f.metrics).toMatchObject({ persistedMs: 16 * 60_000, ongoing: 1, amplificationPeak: 20, firstAttemptRps: 1000 });
    expect(f.metrics.restartsAfter).toBeGreaterThan(100);
    expect(f.explanation[0]).toMatch(/^api stayed down, restarting replicas \d+ times, each start loading its state from store \(up to 20 times store's load before the trigger\), for 16m after its trigger ended at 00:04:00/);
    expect(f.explanation[0]).toContain("sustained by its own recovery");
  });

  it("coordinated: jittered cold starts recover, so there is no finding", () => {
    expect(detect(runOf("coordinated")).filter((f) => f.kind === "retryStorm")).toEqual([]);
  });

  it("a server that restarts once and serves again is no storm", () => {
    const once = text.replace("    after: 20s\n", "").replace("requests: 500 }", "requests: 50 }");
    expect(once).not.toContain("after: 20s");
    const run = runScenario(loadVariant(once, FILE, "blind").scenario);
    expect(detect(run).filter((f) => f.kind === "retryStorm")).toEqual([]);
  });
});

describe("retry storms on the scenario and the sketch", () => {
  // The blind variant is the file's first, so scenarioFromYaml loads it.
  const storm = readFileSync(repoPath("scenarios/retry-storm.yaml"), "utf8");
  const dwfm = readFileSync(repoPath("test/incidents/dwfm-sketch.yaml"), "utf8");
  const storms = (text: string) => detect(runScenario(scenarioFromYaml(text))).filter((f) => f.kind === "retryStorm");

  it("retry-storm blind: clients keep api overloaded after the capacity loss ends", () => {
    const run = runScenario(scenarioFromYaml(storm));
    const found = detect(run).filter((f) => f.kind === "retryStorm");
    expect(found).toHaveLength(1);
    const [f] = found;
    const fault = run.log.filter((r) => r.type === "fault.started" || r.type === "fault.ended").map((r) => r.seq);
    const apiHealth = run.log.filter((r) => r.type === "health.changed" && r.target === "api").map((r) => r.seq);
    expect(f).toMatchObject({ actors: ["capacity-drop"], components: ["clients", "api"], rootCauses: [fault[0]], witnesses: [...fault, ...apiHealth].sort((a, b) => a - b) });
    expect(f.metrics.amplificationAfter).toBeGreaterThan(3.5);
    expect(f.metrics.persistedMs).toBeGreaterThanOrEqual(400_000);
    expect(f.metrics.ongoing).toBe(1);
    expect(f.explanation[0]).toMatch(/^clients kept sending 3\.\d+ attempts per request to api \(peak 3\.\d+\) for 7m after its trigger ended at 00:03:00/);
  });

  it("retry-storm with the fixes the incident test uses: no storm", () => {
    expect(storms(storm.replace("    retries: 3", "    retries: 3\n    retryBudget: 0.1"))).toEqual([]);
    expect(storms(storm.replace("maxQueue: 10s", "maxQueue: 200ms"))).toEqual([]);
    expect(storms(storm.replace("    backoff: immediate", "    backoff: exponential\n    backoffBase: 1s\n    jitter: true\n    retryBudget: 0.1"))).toEqual([]);
  });

  it("still a storm with backoff and jitter alone (retries delayed, not avoided)", () => {
    expect(storms(storm.replace("    backoff: immediate", "    backoff: exponential\n    backoffBase: 1s\n    jitter: true"))).toHaveLength(1);
  });

  it("DWFM sketch: the lease table keeps re-queueing after DynamoDB returns blind, and recovers with admission control", () => {
    const [f, ...rest] = storms(dwfm);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ actors: ["dns-outage"], components: ["dwfm"] });
    expect(f.metrics.amplificationAfter).toBeGreaterThan(4);
    expect(f.explanation[0]).toMatch(/^dwfm kept processing [\d.]+ times its steady renewal rate of jobs/);
    expect(storms(dwfm.replace("    jobTimeout: 30s\n", "    jobTimeout: 30s\n    queueLimit: 2000\n"))).toEqual([]);
  });
});
