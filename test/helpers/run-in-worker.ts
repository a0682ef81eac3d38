// Runs a scenario inside a worker thread and posts back its final hash: the simulation core
// must behave identically off the main thread (as it will in the browser's Web Worker).
import { parentPort, workerData } from "node:worker_threads";
import { runScenario } from "../../sim/engine/engine.js";
import { loadScenario } from "../../sim/scenario/load.js";

const { text, seed } = workerData as { text: string; seed: number };
const run = runScenario(loadScenario(text, "worker.yaml"), { seed });
parentPort!.postMessage({ finalHash: run.finalHash, events: run.log.length });
