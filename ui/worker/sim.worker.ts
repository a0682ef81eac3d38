// Web Worker running the simulation core, unchanged from Node, off the UI thread; posts back
// only plain data so the UI never reaches into engine internals.
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario } from "../../sim/scenario/load.js";

self.onmessage = (event: MessageEvent<{ text: string; file: string; seed?: number }>) => {
  try {
    const run = runScenario(loadScenario(event.data.text, event.data.file), { seed: event.data.seed });
    const changes = run.log.filter((r) => typeof r.data.to === "number").length;
    postMessage({ ok: true, scenario: run.scenario.name, seed: run.seed, finalHash: run.finalHash, events: run.log.length, changes });
  } catch (e) {
    postMessage({ ok: false, error: (e as Error).message });
  }
};
