// Worker-thread entry of the "scenarios" fuzz target: registers tsx's loader so the TypeScript
// CLI runs unchanged, then answers each `{ id, input }` with the outcome of validate and run.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { runScenarioCase } = await import("./scenario-case.ts");

parentPort.on("message", ({ id, input }) => {
  const result = runScenarioCase(input, (progress) => parentPort.postMessage({ id, kind: "progress", progress }));
  parentPort.postMessage({ id, kind: "done", result });
});
parentPort.postMessage({ kind: "ready" });
