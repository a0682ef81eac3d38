// Findings panel: the run's verdict (expectations passed, and what each failed one observed) and
// the findings with their explanations; clicking a finding selects its witnesses and moves the cursor.
import { formatTime } from "../../sim/core/units.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, selectFinding, type Store } from "../state/store.js";

/** Explanation sentences shown before the "more" toggle. */
const SENTENCES_SHOWN = 3;
/** Witness buttons drawn per finding; a thrashing finding can have thousands of witnesses. */
const WITNESSES_SHOWN = 40;

/**
 * Mounts the findings panel into `root`. The list is rebuilt only when the run changes; a
 * selection or cursor change only toggles data-selected / data-active attributes.
 */
export function mountFindings(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Findings</h2><div class="verdict" data-testid="findings-verdict"></div><ol class="finding-list" data-testid="finding-list"></ol>`;
  const verdict = root.querySelector<HTMLDivElement>(".verdict")!;
  const list = root.querySelector<HTMLOListElement>(".finding-list")!;
  let shownRun: RunPayload | undefined;
  let buttons: HTMLButtonElement[] = [];
  let built = false;

  list.addEventListener("click", (e) => {
    const target = e.target as HTMLElement;
    const witness = target.closest<HTMLButtonElement>("button[data-witness]");
    if (witness) {
      selectEvent(store, Number(witness.dataset.witness));
      return;
    }
    const more = target.closest<HTMLButtonElement>("button.more");
    if (more) {
      const item = more.closest("li")!;
      const expanded = item.dataset.expanded === "true";
      item.dataset.expanded = String(!expanded);
      more.setAttribute("aria-expanded", String(!expanded));
      more.textContent = expanded ? `more (${more.dataset.hidden})` : "less";
      return;
    }
    const finding = target.closest<HTMLButtonElement>("button[data-finding-index]");
    if (finding) {
      const index = Number(finding.dataset.findingIndex);
      selectFinding(store, store.get().selectedFinding === index ? null : index);
    }
  });

  store.subscribe((s, previous) => {
    if (s.run !== shownRun || !built) {
      shownRun = s.run;
      built = true;
      root.dataset.findings = String(s.run?.findings.length ?? 0);
      renderVerdict(verdict, s.run);
      list.replaceChildren(...(s.run?.findings ?? []).map((f, i) => findingItem(f, i)));
      buttons = Array.from(list.querySelectorAll<HTMLButtonElement>("button[data-finding-index]"));
      if (s.run && s.run.findings.length === 0) list.innerHTML = `<li class="empty">No findings: no detector fired on this run.</li>`;
    } else if (s.selectedFinding === previous.selectedFinding && s.cursorMs === previous.cursorMs) return;
    for (const button of buttons) {
      const i = Number(button.dataset.findingIndex);
      const f = s.run!.findings[i];
      const selected = s.selectedFinding === i;
      button.dataset.selected = String(selected);
      button.setAttribute("aria-pressed", String(selected));
      button.parentElement!.dataset.selected = String(selected);
      // Active: the cursor lies inside the finding's time range.
      button.dataset.active = String(s.cursorMs >= f.from && s.cursorMs <= f.to);
    }
  });
}

function renderVerdict(root: HTMLElement, run: RunPayload | undefined): void {
  if (!run) {
    root.textContent = "No run yet.";
    delete root.dataset.passed;
    return;
  }
  const passed = run.expectations.filter((e) => e.passed).length;
  root.dataset.passed = String(run.passed);
  root.innerHTML = `<strong class="${run.passed ? "pass" : "fail"}">${run.passed ? "PASS" : "FAIL"}</strong> · expectations ${passed}/${run.expectations.length} passed`;
  const failed = run.expectations.filter((e) => !e.passed);
  if (failed.length > 0) {
    const ul = document.createElement("ul");
    ul.className = "failed-expectations";
    for (const e of failed) {
      const li = document.createElement("li");
      li.dataset.expectation = e.name;
      li.dataset.passed = "false";
      li.innerHTML = `<span class="fail">✗</span> ${escapeHtml(e.name)}${e.line > 0 ? ` <span class="mono">(line ${e.line})</span>` : ""}: observed <b>${escapeHtml(e.observed)}</b>, expected ${escapeHtml(e.expected)}`;
      ul.append(li);
    }
    root.append(ul);
  }
}

function findingItem(f: Finding, index: number): HTMLLIElement {
  const li = document.createElement("li");
  li.className = "finding";
  li.dataset.expanded = "false";
  const subject = f.knob ?? (f.components.length > 0 ? f.components.join(" → ") : f.subjects.join(", "));
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.findingIndex = String(index);
  button.dataset.kind = f.kind;
  button.dataset.severity = f.severity;
  button.dataset.from = String(f.from);
  button.dataset.to = String(f.to);
  button.dataset.selected = "false";
  button.setAttribute("aria-pressed", "false");
  button.title = "Select: highlight its witnesses and root causes and move the cursor to its start";
  button.innerHTML = `<span class="severity" data-severity="${f.severity}">${f.severity}</span> <b class="kind">${f.kind}</b> <span class="subject mono">${escapeHtml(subject)}</span>
    <span class="meta">${escapeHtml(f.actors.join(", ") || "no actor")} · <span class="mono">${formatTime(f.from)}–${formatTime(f.to)}</span></span>`;
  li.append(button);

  const sentences = document.createElement("ul");
  sentences.className = "explanation";
  f.explanation.forEach((sentence, i) => {
    const item = document.createElement("li");
    item.textContent = sentence;
    if (i >= SENTENCES_SHOWN) item.className = "extra";
    sentences.append(item);
  });
  li.append(sentences);
  const hidden = f.explanation.length - SENTENCES_SHOWN;
  if (hidden > 0) {
    const more = document.createElement("button");
    more.type = "button";
    more.className = "more";
    more.dataset.hidden = String(hidden);
    more.setAttribute("aria-expanded", "false");
    more.textContent = `more (${hidden})`;
    li.append(more);
  }

  const witnesses = document.createElement("div");
  witnesses.className = "witnesses";
  witnesses.innerHTML = `<span class="label">witnesses</span> `;
  for (const seq of f.witnesses.slice(0, WITNESSES_SHOWN)) {
    const w = document.createElement("button");
    w.type = "button";
    w.className = "mono";
    w.dataset.witness = String(seq);
    w.dataset.rootCause = String(f.rootCauses.includes(seq));
    w.textContent = `#${seq}`;
    w.setAttribute("aria-label", `Select event ${seq}`);
    witnesses.append(w);
  }
  if (f.witnesses.length > WITNESSES_SHOWN) witnesses.append(` … ${f.witnesses.length - WITNESSES_SHOWN} more`);
  const roots = f.rootCauses.filter((seq) => !f.witnesses.slice(0, WITNESSES_SHOWN).includes(seq));
  if (roots.length > 0) {
    witnesses.append(" root causes ");
    for (const seq of roots) {
      const w = document.createElement("button");
      w.type = "button";
      w.className = "mono";
      w.dataset.witness = String(seq);
      w.dataset.rootCause = "true";
      w.textContent = `#${seq}`;
      witnesses.append(w);
    }
  }
  li.append(witnesses);
  return li;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}
