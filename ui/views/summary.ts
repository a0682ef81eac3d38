// The summary panel at the top of the app: the run's story as the worker computed it
// (sim/story): a headline, the incident's phases with times, durations and #seq links, the root
// cause in one sentence and the scenario's description (published facts vs simulator choices).
// It renders only; it computes nothing about the run itself.
import { formatDuration, formatTime } from "../../sim/core/units.js";
import type { IncidentSummary } from "../../sim/story/types.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type AppState, type Store } from "../state/store.js";

/** Mounts the summary into `root` (a panel section); re-renders only when the run or status changes. */
export function mountSummary(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>What happened</h2><div class="sum-body" data-testid="summary"></div>`;
  const body = root.querySelector<HTMLDivElement>(".sum-body")!;
  body.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    const seq = target.closest<HTMLButtonElement>("button[data-seq]");
    if (seq) {
      const n = Number(seq.dataset.seq);
      if (Number.isInteger(n) && n >= 0 && n < (store.get().run?.log.length ?? 0)) selectEvent(store, n);
      return;
    }
    const more = target.closest<HTMLButtonElement>("button.sum-more");
    if (more) {
      const expanded = body.dataset.expanded === "true";
      body.dataset.expanded = String(!expanded);
      more.setAttribute("aria-expanded", String(!expanded));
      more.textContent = expanded ? "full text" : "shorter";
    }
  });
  let shown: { run?: RunPayload; status?: AppState["status"]; error?: string } = {};
  store.subscribe((s) => {
    if (shown.run === s.run && shown.status === s.status && shown.error === s.error && body.childElementCount > 0) return;
    shown = { run: s.run, status: s.status, error: s.error };
    render(body, s);
  });
}

function render(body: HTMLElement, s: AppState): void {
  const run = s.run;
  const story = run?.story;
  let state: string;
  const parts: HTMLElement[] = [];
  if (s.status === "error") {
    // The views below may still show the previous run; its story is not this request's.
    state = "error";
    parts.push(el("p", "sum-note sum-error", "This request did not produce a run, so there is no summary: see the error above (and the editor, for a scenario's problems). The panels below still show the previous run."));
  } else if (!run) {
    state = s.status === "running" ? "running" : "empty";
    parts.push(el("p", "sum-note", s.status === "running" ? "Simulating…" : "No run yet."));
  } else if (s.status === "running" || !run.complete) {
    state = "running";
    parts.push(el("p", "sum-note", "Simulating: the summary comes with the complete run."));
  } else if (!story) {
    state = "no-story";
    parts.push(el("p", "sum-headline", `${run.scenario}${run.variant ? ` [${run.variant}]` : ""}`));
    parts.push(description({ text: run.description }));
  } else {
    state = "story";
    parts.push(...storyParts(story));
  }
  body.dataset.state = state;
  // Each part starts clamped to a few lines so the whole story fits the first screen; one
  // button shows every sentence in full.
  body.dataset.expanded = "false";
  if (state === "story" || state === "no-story") {
    const more = el("button", "sum-more", "full text");
    more.type = "button";
    more.setAttribute("aria-expanded", "false");
    more.setAttribute("aria-controls", "incident-summary");
    more.title = "Show every sentence of the summary in full";
    parts.push(more);
  }
  body.replaceChildren(...parts);
}

/** The story's elements: headline, phases, root cause, description. */
function storyParts(story: IncidentSummary): HTMLElement[] {
  const out: HTMLElement[] = [];
  const headline = el("p", "sum-headline");
  headline.append(...linked(story.headline));
  headline.dataset.testid = "summary-headline";
  out.push(headline);
  if (story.phases.length > 0) {
    const list = el("ol", "sum-phases");
    list.setAttribute("aria-label", "Incident phases");
    for (const phase of story.phases) {
      const item = el("li", "sum-phase");
      item.dataset.phase = phase.kind;
      const when = `${formatTime(phase.t)}${phase.durationMs !== undefined ? ` · ${formatDuration(phase.durationMs)}` : ""}`;
      const text = el("span", "sum-text");
      text.append(...linked(phase.text));
      const label = el("span", "sum-label");
      label.append(el("span", "sum-kind", phase.kind), el("span", "sum-when mono", when));
      item.append(label, text);
      list.append(item);
    }
    out.push(list);
  }
  if (story.rootCause) {
    const root = el("p", "sum-root");
    root.dataset.seq = String(story.rootCause.seq);
    root.append(el("b", "", "Root cause "), seqButton(story.rootCause.seq), document.createTextNode(" "), ...linked(story.rootCause.sentence));
    out.push(root);
  }
  out.push(description(story.description));
  return out;
}

/** The scenario's description, facts and simulator choices apart when it says which is which. */
function description(d: IncidentSummary["description"]): HTMLElement {
  const box = el("div", "sum-description");
  const text = el("div", "sum-description-text");
  text.id = "sum-description-text";
  if (d.facts !== undefined || d.choices !== undefined) {
    if (d.facts !== undefined) text.append(labelled("Published facts", d.facts, "facts"));
    if (d.choices !== undefined) text.append(labelled("Simulator choices", d.choices, "choices"));
    if (d.source !== undefined) text.append(labelled("Source", d.source, "source"));
  } else {
    text.append(labelled("Scenario", d.text, "text"));
  }
  box.append(text);
  return box;
}

function labelled(label: string, text: string, kind: string): HTMLElement {
  const p = el("p", "sum-desc-part");
  p.dataset.part = kind;
  p.append(el("b", "", `${label}: `), document.createTextNode(text));
  return p;
}

/** `text` as nodes, each `#123` a button that selects that event. */
function linked(text: string): Node[] {
  const out: Node[] = [];
  let last = 0;
  for (const m of text.matchAll(/#(\d+)/g)) {
    if (m.index > last) out.push(document.createTextNode(text.slice(last, m.index)));
    out.push(seqButton(Number(m[1])));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(document.createTextNode(text.slice(last)));
  return out;
}

function seqButton(seq: number): HTMLButtonElement {
  const b = el("button", "sum-seq mono", `#${seq}`);
  b.type = "button";
  b.dataset.seq = String(seq);
  b.setAttribute("aria-label", `Select event ${seq}`);
  return b;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
