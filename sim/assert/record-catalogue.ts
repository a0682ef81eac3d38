// The catalogue of log record types a scenario can produce, each with the data keys it may carry:
// what `validate` checks an event expectation's type and data keys against, so a misspelt
// `event:` or `data:` key warns instead of passing `count: "== 0"` forever. Knob records are
// derived from each component kind's knobs and the engine's knob -> type rule; the engine's own
// records are listed here, and a test runs the scenario library to keep this list complete.
import { knobsOf } from "../agents/declarative/resolve.js";
import { knobEventType } from "../engine/commands.js";
import type { Scenario } from "../scenario/types.js";

/** Data keys of every record that applies a knob command (commands.ts `decideCommand`). */
const KNOB_KEYS = ["knob", "from", "to", "reason", "expectedVersion", "readVersion", "idempotencyKey"];
/** Extra keys of a knob command an arbiter or a clipping velocity rule adjusted (coordination/adjusted.ts). */
const ADJUSTED_KEYS = ["requested", "adjustedBy", "adjustReason"];
/** Data keys a blocked knob or document command carries (command-processor.ts). */
const COMMAND_KEYS = ["knob", "value", "intent", "op", "document", "version", "policy", "reason"];
/** Data keys of fault records (engine.ts `faultData`, partitions). */
const FAULT_KEYS = ["effect", "resume", "rate", "addMs", "fraction", "share", "afterMs", "from", "rampUpMs", "rampDownMs", "rampShape", "resource", "ratePerS", "flag", "sides"];
const DOCUMENT_KEYS = ["document", "version", "reason", "rows", "sizeBytes", "schema", "idempotencyKey"];

/** Records every run can log, whatever its components: type -> data keys. */
const ENGINE_RECORDS: Record<string, readonly string[]> = {
  "run.started": ["scenario", "variant", "seed", "durationMs", "stepMs", "engine", "scenarioSha256"],
  "run.ended": ["reason", "queueEvents", "bound", "telemetrySha256"],
  "health.changed": ["healthy", "errorRate", "latencyMsP95"],
  "workload.changed": ["from", "to", "pattern", "shape", "overMs"],
  "fault.started": FAULT_KEYS,
  "fault.ended": FAULT_KEYS,
  "command.rejected": COMMAND_KEYS,
  "command.held": [...COMMAND_KEYS, "untilMs"],
  "command.duplicate": [...COMMAND_KEYS, "firstSeq", "idempotencyKey"],
  "command.suppressed": [...COMMAND_KEYS, "intervention", "blocked"],
  "lease.acquired": ["knob", "holder"],
  "intent.published": ["knob", "value", "untilMs", "reason"],
  "intervention.applied": ["kind", "label", "policies"],
};

/** Records of statechart actions, by the action that logs them (sim/agents/declarative/log.ts, sim/engine/agent-load.ts). */
const ACTION_RECORDS: Record<string, Record<string, readonly string[]>> = {
  log: { "agent.logged": ["message", "level"] },
  sendLoad: { "load.sent": ["rps", "forMs", "untilMs", "reason"], "load.ended": ["rps", "sentSeq"] },
};

/** The action types the scenario's statechart agents use. Pure. */
function chartActionTypes(scenario: Scenario): Set<string> {
  const types = new Set<string>();
  for (const a of scenario.agents) {
    if (a.kind !== "statechart") continue;
    for (const state of Object.values(a.states)) {
      for (const t of [...state.wake, ...state.after.flatMap((d) => d.transitions)]) for (const action of t.actions) types.add(action.type);
    }
  }
  return types;
}

/** Record types that only documentStore components produce. */
const DOCUMENT_RECORDS: Record<string, readonly string[]> = {
  "document.put": DOCUMENT_KEYS,
  "document.deleted": DOCUMENT_KEYS,
};

/**
 * type -> data keys of every record `scenario` can log: the engine's records, the records of the
 * statechart actions its agents use, each component knob's change record (with the adjusted-
 * command keys when an arbiter or a clipping velocity rule exists), and document records when a
 * documentStore exists. Pure.
 */
export function recordCatalogue(scenario: Scenario): Map<string, ReadonlySet<string>> {
  const catalogue = new Map<string, Set<string>>();
  const add = (type: string, keys: readonly string[]) => {
    const set = catalogue.get(type) ?? new Set<string>();
    for (const k of keys) set.add(k);
    catalogue.set(type, set);
  };
  for (const [type, keys] of Object.entries(ENGINE_RECORDS)) add(type, keys);
  for (const action of chartActionTypes(scenario)) for (const [type, keys] of Object.entries(ACTION_RECORDS[action] ?? {})) add(type, keys);
  const policies = scenario.coordination;
  const adjusts = (policies.arbiter?.length ?? 0) > 0 || (policies.velocity ?? []).some((rule) => rule.onExceed === "clip");
  for (const c of scenario.components) {
    if (c.kind === "documentStore") for (const [type, keys] of Object.entries(DOCUMENT_RECORDS)) add(type, keys);
    for (const knob of knobsOf(c) ?? []) add(knobEventType(knob), adjusts ? [...KNOB_KEYS, ...ADJUSTED_KEYS] : KNOB_KEYS);
  }
  return catalogue;
}
