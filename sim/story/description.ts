// A scenario's description split into what was published and what the simulator chose, so a
// reader can tell the incident's facts from the model's assumptions. The library's descriptions
// use paragraphs headed "Source:", "Published facts:" (or "Published:", "Published (research):",
// "What is fact:") and "Simulator choices (sim):"; text without those headings stays whole. Pure.

/** The description and, when its text has those headings, its facts, choices and source. */
export interface SplitDescription {
  text: string;
  facts?: string;
  choices?: string;
  source?: string;
}

const SOURCE = /^Source:\s*/;
const FACTS = /^(?:Published(?: facts)?(?: \([^)]*\))?|What is fact):\s*/;
const CHOICES = /^Simulator choices(?: \([^)]*\))?:\s*/;

/** Splits `text` into paragraphs and picks out the headed ones (see the module header). Pure. */
export function splitDescription(text: string): SplitDescription {
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p !== "");
  const out: SplitDescription = { text: text.trim() };
  const take = (p: string, heading: RegExp): string => p.replace(heading, "").trim();
  for (const p of paragraphs) {
    if (out.source === undefined && SOURCE.test(p)) out.source = take(p, SOURCE).replace(/\s*\n\s*/g, " ");
    else if (FACTS.test(p)) out.facts = out.facts === undefined ? take(p, FACTS) : `${out.facts}\n${take(p, FACTS)}`;
    else if (CHOICES.test(p)) out.choices = out.choices === undefined ? take(p, CHOICES) : `${out.choices}\n${take(p, CHOICES)}`;
  }
  return out;
}

/** The first `lines` lines of `text`, with "…" when some were left out: for terminal summaries. Pure. */
export function firstLines(text: string, lines: number): string[] {
  const all = text.split("\n").map((l) => l.trimEnd()).filter((l) => l.trim() !== "");
  return all.length <= lines ? all : [...all.slice(0, lines), "…"];
}
