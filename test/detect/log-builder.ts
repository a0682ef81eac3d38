// Builds hand-made event logs and run views for detector tests: records get consecutive seqs
// and the event types the engine uses, so detectors see the same shapes as in a real run.
import { knobEventType } from "../../sim/engine/commands.js";
import { Telemetry } from "../../sim/engine/telemetry.js";
import type { RunView } from "../../sim/detect/finding.js";
import type { EventRecord, JsonValue } from "../../sim/log/record.js";
import { SIGNAL_NAMES, type SignalName } from "../../sim/model/signals.js";
import type { Scenario } from "../../sim/scenario/types.js";
import { scenarioFromYaml } from "../helpers/scenarios.js";

const MINUTE = 60_000;

/** Minutes to simulated milliseconds. */
export function min(minutes: number): number {
  return Math.round(minutes * MINUTE);
}

/** An append-only list of records; seq 0 is `run.started`, as in the engine. */
export class LogBuilder {
  readonly records: EventRecord[] = [];

  constructor() {
    this.add({ t: 0, type: "run.started", actor: "engine", data: {}, causes: [] });
  }

  add(draft: { t: number; type: string; actor: string; target?: string; data: { [key: string]: JsonValue }; causes: number[] }): EventRecord {
    const record: EventRecord = { ...draft, seq: this.records.length, prev: "", hash: "" };
    this.records.push(record);
    return record;
  }

  /** An applied knob change, typed as the engine types it (`replicas.scaled`, `record.updated`...); with `expectedVersion` as a fencing agent sends it. */
  knob(t: number, actor: string, target: string, knob: string, from: number, to: number, extra: { causes?: number[]; reason?: string; expectedVersion?: number; readVersion?: number } = {}): EventRecord {
    const data: { [key: string]: JsonValue } = { knob, from, to, reason: extra.reason ?? `${actor} wants ${to}` };
    if (extra.expectedVersion !== undefined) data.expectedVersion = extra.expectedVersion;
    if (extra.readVersion !== undefined) data.readVersion = extra.readVersion;
    return this.add({ t, type: knobEventType(knob), actor, target, data, causes: extra.causes ?? [0] });
  }

  health(t: number, component: string, healthy: boolean, causes: number[] = []): EventRecord {
    return this.add({ t, type: "health.changed", actor: component, target: component, data: { healthy, errorRate: healthy ? 0 : 1, latencyMsP95: 10 }, causes });
  }

  fault(t: number, id: string, agent: string): EventRecord {
    return this.add({ t, type: "fault.started", actor: id, target: agent, data: { effect: "agentCrash", resume: "snapshot" }, causes: [] });
  }

  put(t: number, actor: string, store: string, document: string, version: number, rows: number, causes: number[] = [], expectedVersion?: number): EventRecord {
    const data: { [key: string]: JsonValue } = { document, version, rows, sizeBytes: rows * 100, schema: "v1", reason: `${actor} writes version ${version}` };
    if (expectedVersion !== undefined) data.expectedVersion = expectedVersion;
    return this.add({ t, type: "document.put", actor, target: store, data, causes });
  }

  deleted(t: number, actor: string, store: string, document: string, version: number, causes: number[] = []): EventRecord {
    return this.add({ t, type: "document.deleted", actor, target: store, data: { document, version, reason: `clean up version ${version}` }, causes });
  }

  /** A component fault starting (`effect` e.g. capacityLoss), as the engine logs it. */
  componentFault(t: number, id: string, target: string, effect = "capacityLoss"): EventRecord {
    return this.add({ t, type: "fault.started", actor: id, target, data: { effect, fraction: 0.5 }, causes: [] });
  }

  faultEnded(t: number, started: EventRecord): EventRecord {
    return this.add({ t, type: "fault.ended", actor: started.actor, target: started.target, data: started.data, causes: [started.seq] });
  }

  workload(t: number, id: string, target: string, from: number, to: number): EventRecord {
    return this.add({ t, type: "workload.changed", actor: id, target, data: { from, to, pattern: "spike" }, causes: [] });
  }

  rejected(t: number, actor: string, target: string, knob: string, value: number): EventRecord {
    return this.add({ t, type: "command.rejected", actor, target, data: { knob, value, policy: "lease", reason: "leased", intent: "x" }, causes: [] });
  }

  view(scenario: Scenario, telemetry = new Telemetry([], [], 0)): RunView {
    return { scenario, log: this.records, telemetry };
  }
}

/**
 * Telemetry sampled every `everyMs` from 0 to `untilMs` for `componentIds`, with every signal of
 * the engine's list; `signals(t, component)` gives the values to set (the rest are 0, and
 * amplification 1 like a quiet client).
 */
export function telemetryOf(componentIds: string[], untilMs: number, everyMs: number, signals: (t: number, component: string) => Partial<Record<SignalName, number>>): Telemetry {
  const samples = Math.floor(untilMs / everyMs) + 1;
  const telemetry = new Telemetry(componentIds, SIGNAL_NAMES, samples);
  for (let i = 0; i < samples; i++) {
    const t = i * everyMs;
    const offset = telemetry.beginSample(t);
    componentIds.forEach((id, c) => {
      const values: Partial<Record<SignalName, number>> = { amplification: 1, ...signals(t, id) };
      SIGNAL_NAMES.forEach((name, s) => (telemetry.values[offset + c * SIGNAL_NAMES.length + s] = values[name] ?? 0));
    });
  }
  return telemetry;
}

/** edge (load balancer) -> web (service, $0.40 per replica-hour) -> db: the topology most tests use. */
export const chainScenario: Scenario = scenarioFromYaml(`
name: chain
seed: 1
duration: 24h
step: 5s
components:
  - { id: edge, kind: loadBalancer, targets: [web] }
  - { id: web, kind: service, replicas: 6, replicasMax: 20, costPerReplicaHour: 0.40, dependsOn: [db] }
  - { id: db, kind: database, replicas: 2 }
  - { id: lonely, kind: service, replicas: 2 }
`);

/** A config consumer reading features.file and a DNS record pointing at plans.plan. */
export const servedScenario: Scenario = scenarioFromYaml(`
name: served
seed: 1
duration: 24h
step: 5s
components:
  - id: features
    kind: documentStore
    documents: [ { name: file, version: 1, rows: 60 } ]
  - { id: proxies, kind: configConsumer, store: features, document: file, version: 1, replicas: 10 }
  - id: plans
    kind: documentStore
    documents: [ { name: plan, version: 1, rows: 3 } ]
  - { id: ddb-dns, kind: dnsRecord, store: plans, document: plan, plan: 1, targets: [ddb] }
  - { id: ddb, kind: database, replicas: 4 }
`);
