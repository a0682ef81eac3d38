// Findings panel: the run's verdict (expectations passed, and what each failed one observed) and
// the findings with their explanations; clicking a finding selects its witnesses and moves the cursor.
import { esc } from "../../sim/export/html-text.js";
import { formatTime } from "../../sim/core/units.js";
import type { Finding } from "../../sim/detect/finding.js";
import type { RunPayload } from "../model/payload.js";
import { appVerdict, appVerdictWords } from "../model/verdict.js";
import { findingSpanText, mountFindingCharts } from "./finding-chart.js";
import { selectEvent, selectFinding, type Store } from "../state/store.js";

/** Explanation sentences shown before the "more" toggle. */
const SENTENCES_SHOWN = 3;
/** Witness buttons drawn per finding; a thrashing finding can have thousands of witnesses. */
const WITNESSES_SHOWN = 40;

/**
 * Mounts the findings panel into `root`. The list is rebuilt only when the run changes or
 * completes; a selection or cursor change only toggles the data-selected / data-active
 * attributes that change.
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
    // Findings and expectations arrive with the complete run: a streaming run (same runId,
    // more records) changes nothing here until then.
    const same = shownRun !== undefined && s.run !== undefined && s.run.runId === shownRun.runId && s.run.complete === shownRun.complete;
    if (!built || (s.run !== shownRun && !same)) {
      shownRun = s.run;
      built = true;
      root.dataset.findings = String(s.run?.findings.length ?? 0);
      renderVerdict(verdict, s.run);
      list.innerHTML = (s.run?.findings ?? []).map((f, i) => findingHtml(f, i)).join("");
      buttons = Array.from(list.querySelectorAll<HTMLButtonElement>("button[data-finding-index]"));
      mountFindingCharts(list, s.run);
      if (s.run && !s.run.complete) list.innerHTML = `<li class="empty">Findings appear when the run is complete.</li>`;
      else if (s.run && s.run.findings.length === 0) list.innerHTML = `<li class="empty">No findings: no detector fired on this run.</li>`;
    } else {
      shownRun = s.run;
      if (s.selectedFinding === previous.selectedFinding && s.cursorMs === previous.cursorMs) return;
    }
    for (const button of buttons) {
      const i = Number(button.dataset.findingIndex);
      const f = s.run!.findings[i];
      const selected = String(s.selectedFinding === i);
      // Only what changed is written: every write restyles the item.
      if (button.dataset.selected !== selected) {
        button.dataset.selected = selected;
        button.setAttribute("aria-pressed", selected);
        button.parentElement!.dataset.selected = selected;
      }
      // Active: the cursor lies inside the finding's time range.
      const active = String(s.cursorMs >= f.from && s.cursorMs <= f.to);
      if (button.dataset.active !== active) button.dataset.active = active;
    }
  });
}

function renderVerdict(root: HTMLElement, run: RunPayload | undefined): void {
  if (!run) {
    root.textContent = "No run yet.";
    delete root.dataset.passed;
    return;
  }
  if (!run.complete) {
    root.textContent = "Running: the verdict comes with the complete run.";
    delete root.dataset.passed;
    return;
  }
  // The verdict in the words the header uses ("outage reproduced as expected (16/16)"), never a
  // bare PASS: whether the expectations held says nothing about whether the system was healthy.
  const label = appVerdict(run);
  const words = appVerdictWords(run);
  root.dataset.passed = String(label === "PASS");
  root.dataset.label = words?.verdict.label ?? "";
  const strong = document.createElement("strong");
  strong.className = label === "PASS" ? "pass" : "fail";
  strong.textContent = `${words?.verdict.label === "NOT JUDGED" ? "○" : label === "PASS" ? "✓" : "✗"} ${words?.verdict.text ?? label}`;
  root.replaceChildren(strong);
  const vacuous = run.expectations.filter((e) => e.passed && e.vacuous !== undefined);
  if (vacuous.length > 0) root.insertAdjacentHTML("beforeend", ` <span class="vacuous" data-vacuous="${vacuous.length}">(${vacuous.length} vacuous)</span>`);
  const failed = run.expectations.filter((e) => !e.passed || e.vacuous !== undefined);
  if (failed.length > 0) {
    const ul = document.createElement("ul");
    ul.className = "failed-expectations";
    for (const e of failed) {
      const li = document.createElement("li");
      li.dataset.expectation = e.name;
      li.dataset.passed = String(e.passed);
      const where = e.line > 0 ? ` <span class="mono">(line ${escapeHtml(e.line)})</span>` : "";
      li.innerHTML = e.passed
        ? `<span class="vacuous">○</span> ${escapeHtml(e.name)}${where}: passed (vacuous: ${escapeHtml(e.vacuous ?? "")})`
        : `<span class="fail">✗</span> ${escapeHtml(e.name)}${where}: observed <b>${escapeHtml(e.observed)}</b>, expected ${escapeHtml(e.expected)}`;
      ul.append(li);
    }
    root.append(ul);
  }
}

/**
 * One finding's list item as HTML: the whole list is parsed in one go (a run can have dozens of
 * findings with up to WITNESSES_SHOWN buttons each; element by element took several times longer).
 */
function findingHtml(f: Finding, index: number): string {
  const subject = f.knob ?? (f.components.length > 0 ? f.components.join(" → ") : f.subjects.join(", "));
  const severity = escapeHtml(f.severity);
  const parts: string[] = [
    `<li class="finding" data-expanded="false">`,
    `<button type="button" data-finding-index="${index}" data-kind="${escapeHtml(f.kind)}" data-severity="${severity}" data-from="${escapeHtml(f.from)}" data-to="${escapeHtml(f.to)}" data-selected="false" aria-pressed="false" title="Select: highlight its witnesses and root causes and move the cursor to its start">`,
    `<span class="severity" data-severity="${severity}">${severity}</span> <b class="kind">${escapeHtml(f.kind)}</b> <span class="subject mono">${escapeHtml(subject)}</span>
    <span class="meta">${escapeHtml(f.actors.join(", ") || "no actor")} · <span class="mono">${escapeHtml(`${formatTime(f.from)}–${formatTime(f.to)}`)}</span> · <span class="span" data-span-ms="${escapeHtml(f.to - f.from)}">${escapeHtml(findingSpanText(f))}</span></span></button>`,
    `<ul class="explanation">`,
    ...f.explanation.map((sentence, i) => `<li${i >= SENTENCES_SHOWN ? ` class="extra"` : ""}>${escapeHtml(sentence)}</li>`),
    `</ul>`,
  ];
  const hidden = f.explanation.length - SENTENCES_SHOWN;
  if (hidden > 0) parts.push(`<button type="button" class="more" data-hidden="${hidden}" aria-expanded="false">more (${hidden})</button>`);
  const shown = f.witnesses.slice(0, WITNESSES_SHOWN);
  parts.push(`<div class="witnesses"><span class="label">witnesses</span> `);
  for (const seq of shown) parts.push(`<button type="button" class="mono" data-witness="${escapeHtml(seq)}" data-root-cause="${f.rootCauses.includes(seq)}" aria-label="Select event ${escapeHtml(seq)}">#${escapeHtml(seq)}</button>`);
  if (f.witnesses.length > WITNESSES_SHOWN) parts.push(` … ${f.witnesses.length - WITNESSES_SHOWN} more`);
  const roots = f.rootCauses.filter((seq) => !shown.includes(seq));
  if (roots.length > 0) {
    parts.push(" root causes ");
    for (const seq of roots) parts.push(`<button type="button" class="mono" data-witness="${escapeHtml(seq)}" data-root-cause="true">#${escapeHtml(seq)}</button>`);
  }
  parts.push(`</div></li>`);
  return parts.join("");
}

// Witness seqs and times come from a run file's records: a forged one may hold any value there,
// so everything interpolated goes through the report's one escaping helper (any type, as text).
const escapeHtml = esc;
