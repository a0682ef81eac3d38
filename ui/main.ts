// Browser entry (placeholder until the replay UI): runs the default scenario in a Web Worker and
// shows its final hash, which must equal `npx crossfire run` for the same scenario and seed.
import scenarioText from "../scenarios/cost-vs-performance.yaml?raw";

const status = document.getElementById("status")!;
const summary = document.getElementById("summary")!;
const worker = new Worker(new URL("./worker/sim.worker.ts", import.meta.url), { type: "module" });
worker.onmessage = (event) => {
  const r = event.data;
  status.dataset.status = r.ok ? "done" : "error";
  status.textContent = r.ok ? `Ran ${r.scenario} (seed ${r.seed}) in a Web Worker.` : "The scenario failed to run.";
  summary.textContent = r.ok ? `${r.events} events, ${r.changes} knob changes\nfinal hash ${r.finalHash}` : r.error;
  summary.dataset.finalHash = r.ok ? r.finalHash : "";
};
worker.postMessage({ text: scenarioText, file: "scenarios/cost-vs-performance.yaml" });
