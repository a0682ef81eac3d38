// The HTML report's opening: the incident summary (sim/story) as its reader sees it first — what
// happened in one line, the verdict as two separate facts (did the run do what its expectations
// say; how did the simulated system fare), the root cause with its #seq, the phases, and the
// scenario's description split into published facts and simulator choices. Pure; strings in,
// strings out, every piece of text escaped.
import type { ExpectationVerdict, IncidentSummary } from "../story/types.js";
import type { VerdictLabel } from "../assert/verdict.js";
import { formatTime } from "../core/units.js";
import { esc } from "./html-text.js";

/** What the summary shows when the caller computed no story (the app's export, older callers). */
export interface SummaryFallback {
  /** The verdict in words without the system's state (sim/story's expectationVerdict with no system). */
  verdict: ExpectationVerdict;
  description?: string;
}

export interface SummaryLinks {
  /** `#123` as a link to the event's row when it has one, else as text (already HTML). */
  link: (seq: number) => string;
  /** Escaped text whose `#123` mentions are links (already HTML). */
  linkify: (text: string) => string;
}

/** The summary section as HTML (the report's first section). Pure. */
export function summaryHtml(story: IncidentSummary | undefined, fallback: SummaryFallback, links: SummaryLinks): string {
  const out: string[] = [`<section id="summary" class="summary" aria-label="Incident summary">`];
  if (story) {
    out.push(`<p class="headline" data-testid="headline">${links.linkify(story.headline)}</p>`);
    out.push(`<div class="verdicts">`);
    out.push(verdictFact("expectations", "Expectations", story.verdict.label, story.verdict.text, links.linkify));
    out.push(`<p class="verdict-fact" data-fact="system" data-state="${esc(story.system.state)}"><span class="fact-name">System</span> <span class="fact-text">${links.linkify(story.system.text)}</span></p>`);
    out.push(`</div>`);
    if (story.rootCause) {
      out.push(`<p class="root-cause" data-seq="${esc(story.rootCause.seq)}"><b>Root cause</b> ${links.link(story.rootCause.seq)} <span class="when">${esc(formatTime(story.rootCause.t))}</span> ${links.linkify(story.rootCause.sentence)}</p>`);
    }
    if (story.phases.length > 0) {
      out.push(`<ol class="phases">`);
      for (const p of story.phases) {
        out.push(`<li data-phase="${esc(p.kind)}"${p.seq !== undefined ? ` data-seq="${esc(p.seq)}"` : ""}><span class="phase-kind">${esc(p.kind)}</span> <span class="when">${esc(formatTime(p.t))}</span> ${links.linkify(p.text)}</li>`);
      }
      out.push(`</ol>`);
    }
    out.push(descriptionHtml(story.description));
  } else {
    out.push(`<div class="verdicts">`);
    out.push(verdictFact("expectations", "Expectations", fallback.verdict.label, fallback.verdict.text, links.linkify));
    out.push(`<p class="verdict-fact" data-fact="system" data-state="unknown"><span class="fact-name">System</span> <span class="fact-text">not assessed in this report: see the findings and the timeline</span></p>`);
    out.push(`</div>`);
    if (fallback.description) out.push(descriptionHtml({ text: fallback.description }));
  }
  out.push(`</section>`);
  return out.join("\n");
}

function verdictFact(fact: string, name: string, label: VerdictLabel, text: string, linkify: (text: string) => string): string {
  return `<p class="verdict-fact" data-fact="${fact}" data-verdict="${esc(label)}"><span class="fact-name">${esc(name)}</span> <span class="fact-text">${linkify(text)}</span></p>`;
}

/** The description: published facts and the simulator's choices as two parts, with the source linked. */
function descriptionHtml(d: IncidentSummary["description"]): string {
  const out: string[] = [`<div class="description">`];
  if (d.source !== undefined) out.push(`<p class="source"><b>Source</b> ${sourceHtml(d.source)}</p>`);
  if (d.facts !== undefined || d.choices !== undefined) {
    if (d.facts !== undefined) out.push(`<details class="facts-text" data-part="facts"><summary>Published facts</summary><p>${esc(d.facts)}</p></details>`);
    if (d.choices !== undefined) out.push(`<details class="choices-text" data-part="choices"><summary>Simulator choices</summary><p>${esc(d.choices)}</p></details>`);
  } else if (d.text.trim() !== "") {
    out.push(`<details class="description-text" data-part="text"><summary>Scenario description</summary><p>${esc(d.text)}</p></details>`);
  }
  out.push(`</div>`);
  return out.join("");
}

/**
 * The scenario's source: a link only when it is a plain http(s) URL (no `javascript:` or `data:`,
 * nothing that could leave the attribute), opened without a referrer or an opener; else text.
 */
export function sourceHtml(source: string): string {
  const m = /^\s*(https?:\/\/[^\s"'<>`]+)([\s\S]*)$/.exec(source);
  if (!m) return esc(source);
  const url = m[1].replace(/[).,;:]+$/, "");
  const rest = m[1].slice(url.length) + m[2];
  return `<a class="external" href="${esc(url)}" rel="noopener noreferrer">${esc(url)}</a>${esc(rest)}`;
}
