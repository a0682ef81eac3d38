// What a what-if's outcome means, in words: how the system fared with the intervention against
// without it, and what the variant's expectations holding (or not) says about that. A blind
// variant's expectations describe its outage, so when an intervention prevents the outage they
// are expected NOT to hold: "5/16" is then the good news, and the words say so. Pure.
import type { IncidentSummary, SystemState } from "../story/types.js";
import { systemWords } from "../story/system-health.js";

const SEVERITY: Record<SystemState, number> = { healthy: 0, degraded: 1, outage: 2 };

/**
 * Two lines: "system: healthy (was: outage, worst availability 0% (front))" and the verdict read
 * against it, e.g. "the blind variant's expectations (which describe the outage) hold 5/16, as
 * expected when the outage is prevented". `variant` is the variant's name when the file has several. Pure.
 */
export function whatIfOutcomeLines(original: IncidentSummary, altered: IncidentSummary, variant?: string): string[] {
  const was = original.system;
  const now = altered.system;
  const nowWords = systemWords(now);
  const wasWords = systemWords(was);
  const systemLine =
    nowWords === wasWords ? `system: ${nowWords}, as without the intervention` : was.state === now.state ? `system: ${nowWords} (without the intervention: ${wasWords})` : `system: ${nowWords} (was: ${wasWords})`;
  const whose = variant === undefined ? "the scenario's expectations" : `the ${variant} variant's expectations`;
  const a = altered.verdict;
  const o = original.verdict;
  if (a.total === 0) return [systemLine, `${whose}: none, so nothing is judged`];
  const count = `${a.met}/${a.total}`;
  const described = o.text.startsWith("outage reproduced") ? "the outage" : o.text.startsWith("degradation reproduced") ? "the degradation" : undefined;
  let verdictLine: string;
  if (a.label === "PASS") verdictLine = `${whose} still hold (${count})${o.label === "PASS" ? "" : `; without the intervention ${o.met}/${o.total}`}`;
  else if (described !== undefined && SEVERITY[now.state] < SEVERITY[was.state]) {
    verdictLine = `${whose} (which describe ${described}) hold ${count}, as expected when ${described} is ${now.state === "healthy" ? "prevented" : "reduced"}`;
  } else verdictLine = `${whose} hold ${count} (${o.met}/${o.total} without the intervention)`;
  return [systemLine, verdictLine];
}
