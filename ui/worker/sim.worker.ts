// Web Worker running the simulation core, unchanged from Node, off the UI thread: loads the
// scenario variant, runs it, detects findings, checks expectations, and posts back plain data.
import { runAndCheck } from "../../sim/assert/check.js";
import { loadSuite, loadVariant } from "../../sim/scenario/load.js";
import { ScenarioError } from "../../sim/scenario/problems.js";
import type { ComponentSpec } from "../../sim/scenario/types.js";
import type { RunPayload, RunRequest, WorkerReply } from "../model/payload.js";

self.onmessage = (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  const reply = (message: WorkerReply, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);
  try {
    const suite = loadSuite(request.text, request.file);
    const wanted = request.variantOptional && !suite.variants.some((v) => v.name === request.variant) ? undefined : request.variant;
    const variant = loadVariant(request.text, request.file, wanted);
    const { run, verdict } = runAndCheck(variant, { seed: request.seed, interventions: request.interventions });
    if (request.expectFinalHash !== undefined && run.finalHash !== request.expectFinalHash) {
      // A saved run is shown by re-running its embedded scenario; only an identical log may stand in for it.
      throw new Error(`${request.file}: this version of Crossfire does not reproduce the saved run (its final hash is ${request.expectFinalHash}; the re-run ends at ${run.finalHash})`);
    }
    const t = run.telemetry;
    const times = t.times.slice(0, t.count);
    const values = t.values.slice(0, t.count * t.width);
    const payload: RunPayload = {
      scenario: variant.scenario.name,
      description: variant.scenario.description,
      variant: variant.scenario.variant,
      variants: suite.declaresVariants ? suite.variants.map((v) => v.name) : [],
      seed: run.seed,
      durationMs: variant.scenario.durationMs,
      finalHash: run.finalHash,
      components: variant.scenario.components.map((c) => ({ id: c.id, kind: c.kind, calls: callsOf(c) })),
      agents: variant.scenario.agents.map((a) => a.id),
      log: run.log.map((r) => ({ ...r })),
      telemetry: { componentIds: [...t.componentIds], signalNames: [...t.signalNames], count: t.count, times, values },
      agentStates: run.agentStates,
      findings: verdict.findings,
      expectations: verdict.expectations,
      passed: verdict.passed,
    };
    reply({ type: "result", requestId: request.requestId, run: payload }, [times.buffer, values.buffer]);
  } catch (e) {
    reply({ type: "error", requestId: request.requestId, message: (e as Error).message, problems: e instanceof ScenarioError ? e.problems : undefined });
  }
};

/** Who a component calls, whatever its kind. */
function callsOf(c: ComponentSpec): string[] {
  const spec = c as unknown as { dependsOn?: { id: string }[]; targets?: string[]; target?: string };
  return [...(spec.dependsOn ?? []).map((d) => d.id), ...(spec.targets ?? []), ...(spec.target ? [spec.target] : [])];
}
