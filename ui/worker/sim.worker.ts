// Web Worker running the simulation core, unchanged from Node, off the UI thread: loads the
// scenario variant, runs it, detects findings, checks expectations, and posts back plain data.
// A run streams (ui/model/payload.ts): its head at once, then what it produced so far every few
// hundred ms of real time while it simulates, so a long run shows its first frame early. Real time
// only paces the posts; the run itself (and its hash) never depends on it.
import { runAndCheck } from "../../sim/assert/check.js";
import type { RunProgress } from "../../sim/engine/engine.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { readSavedFile } from "../model/saved-file.js";
import type { ComponentSpec } from "../../sim/scenario/types.js";
import { ChunkStream } from "../model/chunk-stream.js";
import type { RunRequest, WorkerReply } from "../model/payload.js";
import { storyOfRun } from "../../sim/story/of-run.js";

/** Real ms before the first chunk, and between later ones (the UI re-renders per chunk). */
const FIRST_CHUNK_MS = 60;
const CHUNK_EVERY_MS = 400;

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  const reply = (message: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);
  try {
    // A saved file names what to re-run and the hash it must reach; reading it verifies its chain here, off the UI thread.
    const saved = request.saved ? readSavedFile(request.text, request.file) : undefined;
    const text = saved?.scenarioText ?? request.text;
    const file = saved?.scenarioFile ?? request.file;
    const requested = saved ? saved.variant : request.variant;
    const seed = saved ? saved.seed : request.seed;
    const expectFinalHash = saved?.finalHash ?? request.expectFinalHash;
    const suite = loadSuite(text, file);
    const wanted = request.variantOptional && !suite.variants.some((v) => v.name === requested) ? undefined : requested;
    // The suite already holds every variant; loadVariant (a second parse) only builds the located "unknown variant" error.
    const variant = (wanted === undefined ? suite.variants[0] : suite.variants.find((v) => v.name === wanted)) ?? loadVariant(text, file, wanted);
    const scenario = variant.scenario;
    // The head is sent with the first chunk, when the engine's telemetry (its components, signals
    // and capacity) exists; the UI allocates the arrays once from it.
    let started = false;
    const start = (telemetry: RunProgress["telemetry"]): void => {
      if (started) return;
      started = true;
      reply({
        type: "started",
        requestId: request.requestId,
        head: {
          scenario: scenario.name,
          description: scenario.description,
          variant: scenario.variant,
          variants: suite.declaresVariants ? suite.variants.map((v) => v.name) : [],
          seed: seed ?? scenario.seed,
          durationMs: scenario.durationMs,
          components: scenario.components.map((c) => ({ id: c.id, kind: c.kind, calls: callsOf(c) })),
          agents: scenario.agents.map((a) => a.id),
          telemetry: { componentIds: [...telemetry.componentIds], signalNames: [...telemetry.signalNames], capacity: telemetry.capacity },
          ...(saved ? { opened: { scenarioFile: file, scenarioText: text, seed: saved.seed } } : {}),
        },
      });
    };
    const stream = new ChunkStream();
    let nextPostAt = performance.now() + FIRST_CHUNK_MS;
    const onProgress = (p: RunProgress): void => {
      if (performance.now() < nextPostAt) return;
      start(p.telemetry);
      const { chunk, transfer } = stream.take(p);
      reply({ type: "progress", requestId: request.requestId, chunk }, transfer);
      nextPostAt = performance.now() + CHUNK_EVERY_MS;
    };
    // A saved bounded run is re-run to the same bound, or it could not reach the same final hash.
    const { run, verdict } = runAndCheck(variant, { seed, interventions: request.interventions, onProgress, ...saved?.bounds });
    if (expectFinalHash !== undefined && run.finalHash !== expectFinalHash) {
      // A saved run is shown by re-running its embedded scenario; only an identical log may stand in for it.
      throw new Error(`${request.file}: this version of Crossfire does not reproduce the saved run (its final hash is ${expectFinalHash}; the re-run ends at ${run.finalHash})`);
    }
    start(run.telemetry);
    const { chunk, transfer } = stream.take({ tMs: run.endTimeMs, log: run.log, agentStates: run.agentStates, telemetry: run.telemetry });
    // Group aggregates (only scenarios with groups) come whole with the result: they are small.
    const g = run.telemetry.groups;
    const groups = g === null ? undefined : { componentIds: [...g.componentIds], signalNames: [...g.signalNames], count: g.count, times: g.times.slice(0, g.count), values: g.values.slice(0, g.count * g.width) };
    const story = storyOfRun(variant, run, verdict);
    reply({ type: "result", requestId: request.requestId, chunk, finalHash: run.finalHash, findings: verdict.findings, expectations: verdict.expectations, passed: verdict.passed, ...(groups !== undefined ? { groups } : {}), story }, transfer);
  } catch (e) {
    reply({ type: "error", requestId: request.requestId, message: (e as Error).message, problems: e instanceof ScenarioError ? e.problems : undefined });
  }
};

/** Who a component calls, whatever its kind. */
function callsOf(c: ComponentSpec): string[] {
  const spec = c as unknown as { dependsOn?: { id: string }[]; targets?: string[]; target?: string };
  return [...(spec.dependsOn ?? []).map((d) => d.id), ...(spec.targets ?? []), ...(spec.target ? [spec.target] : [])];
}
