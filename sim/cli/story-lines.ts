// The story of a run for the terminal and CI: the summary `crossfire run` opens with, the
// system's state in a few words for `test` rows, sweeps and JUnit, and the tallies. Pure.
import { formatTime } from "../core/units.js";
import { systemWords } from "../story/system-health.js";

export { systemWords };
import type { IncidentSummary, SystemHealth, SystemState } from "../story/types.js";

/** How much of the description's facts `crossfire run` shows (the rest is in the scenario file). */
const FACT_ITEMS = 3;
const FACT_CHARS = 160;

/** The facts as items: a "- " line starts one, other lines continue it; text without bullets is one item. Pure. */
function factItems(facts: string): string[] {
  const items: string[] = [];
  for (const line of facts.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (t.startsWith("- ") || items.length === 0) items.push(t.replace(/^- /, ""));
    else items[items.length - 1] += ` ${t}`;
  }
  return items;
}

/** `text` cut at a word boundary to at most `chars` characters, with "…" when cut. Pure. */
function clip(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > chars / 2 ? cut.slice(0, space) : cut}…`;
}

/** "<verdict words> · system: <system words>": the two facts of a run on one line. Pure. */
export function verdictAndSystem(story: IncidentSummary): string {
  return `${story.verdict.text} · system: ${systemWords(story.system)}`;
}

/** The summary `crossfire run` opens with: headline, verdict, system, phases, root cause, facts. Pure. */
export function storyLines(story: IncidentSummary): string[] {
  const lines = [story.headline, `${story.verdict.label}  ${story.verdict.text}${story.verdict.vacuous > 0 ? ` (${story.verdict.vacuous} vacuous)` : ""}`, `system: ${story.system.text}`];
  if (story.phases.length > 0) {
    const width = Math.max(...story.phases.map((p) => p.kind.length));
    for (const p of story.phases) lines.push(`  ${formatTime(p.t)}  ${p.kind.padEnd(width)}  ${p.text}`);
  }
  if (story.rootCause !== undefined) lines.push(`root cause: ${story.rootCause.sentence}`);
  const d = story.description;
  if (d.source !== undefined) lines.push(`source: ${d.source}`);
  if (d.facts !== undefined) {
    const items = factItems(d.facts);
    lines.push("published facts:", ...items.slice(0, FACT_ITEMS).map((f) => `  - ${clip(f, FACT_CHARS)}`));
    if (items.length > FACT_ITEMS) lines.push(`  ... ${items.length - FACT_ITEMS} more in the scenario's description`);
  }
  return lines;
}

/** "outage on 41, degraded on 3, healthy on 156" (states with none left out). Pure. */
export function systemTally(states: readonly SystemState[]): string {
  const order: SystemState[] = ["outage", "degraded", "healthy"];
  const parts = order.map((s) => [s, states.filter((x) => x === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${s} on ${n}`);
  return parts.length === 0 ? "no runs" : parts.join(", ");
}
