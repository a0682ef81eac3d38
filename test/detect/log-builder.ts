// Builds hand-made event logs and run views for detector tests: records get consecutive seqs
// and the event types the engine uses, so detectors see the same shapes as in a real run.
import { knobEventType } from "../../sim/engine/commands.js";
import { Telemetry } from "../../sim/engine/telemetry.js";
import type { RunView } from "../../sim/detect/finding.js";
import type { EventRecord, JsonValue } from "../../sim/log/record.js";
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

  /** An applied knob change, typed as the engine types it (`replicas.scaled`, `record.updated`...). */
  knob(t: number, actor: string, target: string, knob: string, from: number, to: number, extra: { causes?: number[]; reason?: string } = {}): EventRecord {
    return this.add({ t, type: knobEventType(knob), actor, target, data: { knob, from, to, reason: extra.reason ?? `${actor} wants ${to}` }, causes: extra.causes ?? [0] });
  }

  health(t: number, component: string, healthy: boolean, causes: number[] = []): EventRecord {
    return this.add({ t, type: "health.changed", actor: component, target: component, data: { healthy, errorRate: healthy ? 0 : 1, latencyMsP95: 10 }, causes });
  }

  fault(t: number, id: string, agent: string): EventRecord {
    return this.add({ t, type: "fault.started", actor: id, target: agent, data: { effect: "agentCrash", resume: "snapshot" }, causes: [] });
  }

  put(t: number, actor: string, store: string, document: string, version: number, rows: number, causes: number[] = []): EventRecord {
    return this.add({ t, type: "document.put", actor, target: store, data: { document, version, rows, sizeBytes: rows * 100, schema: "v1", reason: `${actor} writes version ${version}` }, causes });
  }

  rejected(t: number, actor: string, target: string, knob: string, value: number): EventRecord {
    return this.add({ t, type: "command.rejected", actor, target, data: { knob, value, policy: "lease", reason: "leased", intent: "x" }, causes: [] });
  }

  view(scenario: Scenario): RunView {
    return { scenario, log: this.records, telemetry: new Telemetry([], [], 0) };
  }
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
