// Human-readable summary of a run for the terminal: what happened, who changed which knob how
// often, and the first commands with their causes in words.
import { formatDuration, formatTime } from "../core/units.js";
import type { RunResult } from "../engine/engine.js";
import type { EventRecord } from "../log/record.js";
import { jsonText } from "../log/json-text.js";

/** Lines describing `run`. Pure. */
export function summarizeRun(run: RunResult, wallMs: number, commandsShown = 12): string[] {
  const { scenario, log, stats } = run;
  const lines: string[] = [];
  lines.push(`scenario ${scenario.name}  seed=${run.seed}  duration ${formatTime(scenario.durationMs)}  step ${scenario.stepMs}ms`);
  lines.push(`${log.length} events, ${stats.steps} steps, ${stats.decisions} agent decisions, ${stats.applied} commands applied, ${stats.rejected} rejected  (${wallMs.toFixed(0)} ms wall)`);
  if (run.boundMessage) lines.push(`WARNING: ${run.boundMessage}`);

  const changes = log.filter((r) => typeof r.data.knob === "string" && typeof r.data.to === "number");
  const perKnob = new Map<string, EventRecord[]>();
  for (const r of changes) {
    const key = `${r.target}.${jsonText(r.data.knob)}`;
    perKnob.set(key, [...(perKnob.get(key) ?? []), r]);
  }
  for (const [knob, records] of perKnob) {
    const actors = [...new Set(records.map((r) => r.actor))];
    lines.push(`${knob}: ${records.length} changes by ${actors.join(", ")}; ${reversals(records)} direction reversals`);
  }
  const shown = log.filter((r) => r.actor !== "engine" && (changes.includes(r) || r.type === "command.rejected")).slice(0, commandsShown);
  if (shown.length > 0) lines.push("", "first commands (#seq time actor: what, because; caused by):");
  for (const r of shown) lines.push(`  ${describeEvent(r, log)}`);
  const rest = changes.length - shown.length;
  if (rest > 0) lines.push(`  ... ${rest} more`);
  lines.push("", `final hash ${run.finalHash}`);
  return lines;
}

/** One event in words: `#12 00:04:00 cost: web.replicas 8 -> 6 because ...; caused by #11 perf replicas.scaled`. Pure. */
export function describeEvent(r: EventRecord, log: readonly EventRecord[]): string {
  const what =
    typeof r.data.to === "number"
      ? `${r.target}.${jsonText(r.data.knob)} ${jsonText(r.data.from)} -> ${r.data.to}`
      : r.type === "command.rejected"
        ? `REJECTED ${r.target}.${jsonText(r.data.knob ?? r.data.document)} = ${jsonText(r.data.value ?? r.data.version ?? r.data.op)}: ${jsonText(r.data.reason)}`
        : r.type === "health.changed"
          ? `${r.actor === r.target ? "" : `${r.target} `}became ${r.data.healthy ? "healthy" : "unhealthy"}${typeof r.data.errorRate === "number" ? ` (errorRate ${round3(r.data.errorRate)}, p95 ${round3(Number(r.data.latencyMsP95))}ms)` : ""}`
          : r.type === "fault.started" || r.type === "fault.ended"
            ? `fault ${jsonText(r.data.effect ?? "")} ${r.type === "fault.started" ? "started" : "ended"} on ${r.target}`
            : r.type === "agent.logged"
              ? `log${r.data.level === "warn" ? " (warn)" : ""}: ${jsonText(r.data.message)}`
              : r.type === "load.sent"
                ? `sent ${jsonText(r.data.rps)} rps to ${r.target} for ${typeof r.data.forMs === "number" ? formatDuration(r.data.forMs) : "?"}`
                : `${r.type}${r.target ? ` ${r.target}` : ""}`;
  const why = typeof r.data.reason === "string" && r.type !== "command.rejected" ? ` because ${r.data.reason}` : "";
  const causes = r.causes.filter((c) => c > 0).map((c) => `#${c} ${log[c].actor} ${log[c].type}`);
  return `#${r.seq} ${formatTime(r.t)} ${r.actor}: ${what}${why}${causes.length ? `; caused by ${causes.join(", ")}` : ""}`;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function reversals(records: EventRecord[]): number {
  let count = 0;
  let last = 0;
  for (const r of records) {
    const dir = Math.sign((r.data.to as number) - (r.data.from as number));
    if (dir !== 0 && last !== 0 && dir !== last) count++;
    if (dir !== 0) last = dir;
  }
  return count;
}
