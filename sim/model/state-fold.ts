// Folding log events into world state: the pure reducer that makes the event log the truth.
// Knob events carry { knob, to } and a component target; health events carry { healthy };
// document events carry { document, version } (and the content for puts).
import type { EventRecord } from "../log/record.js";
import type { WorldState } from "./world.js";

/** Deep copy of a world state. Pure. */
export function cloneState(state: WorldState): WorldState {
  const knobs: WorldState["knobs"] = {};
  for (const [id, k] of Object.entries(state.knobs)) knobs[id] = { ...k };
  const documents: WorldState["documents"] = {};
  for (const [store, docs] of Object.entries(state.documents)) {
    documents[store] = {};
    for (const [name, versions] of Object.entries(docs)) {
      documents[store][name] = {};
      for (const [v, content] of Object.entries(versions)) documents[store][name][v] = { ...content };
    }
  }
  return { knobs, healthy: { ...state.healthy }, documents };
}

/** Applies one event to `state` in place; events that change no state are ignored. */
export function applyEvent(state: WorldState, record: EventRecord): void {
  const target = record.target;
  if (target === undefined) return;
  const data = record.data;
  if (typeof data.knob === "string" && typeof data.to === "number" && state.knobs[target]) {
    state.knobs[target][data.knob] = data.to;
  } else if (record.type === "health.changed" && typeof data.healthy === "boolean") {
    state.healthy[target] = data.healthy;
  } else if (record.type === "document.put" && typeof data.document === "string" && typeof data.version === "number") {
    const store = (state.documents[target] ??= {});
    (store[data.document] ??= {})[data.version] = { rows: Number(data.rows), sizeBytes: Number(data.sizeBytes), schema: String(data.schema) };
  } else if (record.type === "document.deleted" && typeof data.document === "string" && typeof data.version === "number") {
    delete state.documents[target]?.[data.document]?.[data.version];
  }
}
