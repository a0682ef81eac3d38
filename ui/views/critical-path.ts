// The selected finding's root-cause-to-impact path, critical-path style: a chain of cards from the
// root cause the detectors ranked first to the impact it led to (sim/causal/critical-path.ts),
// each with #seq, time, actor and what happened, the delay to the next step between them, and the
// total time. Cards select their event. Shown in the causal panel while a finding is selected.
import { findingPath, type FindingPath } from "../../sim/causal/critical-path.js";
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type Store } from "../state/store.js";
import { graphOf } from "./detail.js";

/** Longer paths show their first and last steps and fold the middle (a thrash loop can run 100 steps). */
const HEAD_STEPS = 4;
const TAIL_STEPS = 3;

/** `+19.3 s`, `+1 min 01 s`, `+850 ms`: a delay between two steps, for people. Pure. */
export function humanDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, "")} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${String(s % 60).padStart(2, "0")} s` : ""}`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h${m % 60 ? ` ${String(m % 60).padStart(2, "0")} min` : ""}`;
}

/** What a record did, without its #seq, time, actor and causes (the card shows those apart). */
function whatHappened(run: RunPayload, seq: number): string {
  const r = run.log[seq];
  const text = describeEvent(r, run.log).split("; caused by")[0];
  const prefix = `#${r.seq} ${formatTime(r.t)} ${r.actor}: `;
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

/** Mounts the path view into `root` (a section of the causal panel); follows `store`. */
export function mountCriticalPath(root: HTMLElement, store: Store): void {
  root.hidden = true;
  let shown: { run?: RunPayload; finding: number | null; selected: number | null; expanded: boolean } = { finding: null, selected: null, expanded: false };

  root.addEventListener("click", (e) => {
    const target = (e.target as Element).closest?.("[data-path-seq], [data-path-expand]");
    if (!target) return;
    if (target.hasAttribute("data-path-expand")) {
      shown = { ...shown, expanded: true };
      render(store.get().run!, shown.finding!, store.get().selectedSeq);
      return;
    }
    selectEvent(store, Number(target.getAttribute("data-path-seq")));
  });

  store.subscribe((s) => {
    const run = s.run?.complete ? s.run : undefined;
    const finding = run && s.selectedFinding !== null && run.findings[s.selectedFinding] ? s.selectedFinding : null;
    if (run === shown.run && finding === shown.finding) {
      if (s.selectedSeq !== shown.selected) {
        shown.selected = s.selectedSeq;
        for (const card of Array.from(root.querySelectorAll<HTMLElement>("[data-path-seq]"))) card.dataset.selected = String(Number(card.dataset.pathSeq) === s.selectedSeq);
      }
      return;
    }
    shown = { run, finding, selected: s.selectedSeq, expanded: false };
    if (!run || finding === null) {
      root.hidden = true;
      root.replaceChildren();
      root.dataset.findingIndex = "";
      return;
    }
    render(run, finding, s.selectedSeq);
  });

  const render = (run: RunPayload, index: number, selected: number | null): void => {
    const finding = run.findings[index];
    const path = findingPath(graphOf(run), finding);
    root.hidden = false;
    root.replaceChildren();
    root.dataset.findingIndex = String(index);
    const title = document.createElement("h3");
    title.className = "cp-title";
    if (!path) {
      title.textContent = `Root cause to impact (${finding.kind}): the finding names no root cause.`;
      root.dataset.steps = "0";
      root.append(title);
      return;
    }
    setPathData(root, path);
    const steps = path.steps.length;
    title.textContent =
      steps === 1
        ? `Root cause to impact (${finding.kind}): #${path.rootSeq} is the finding's last record; nothing later among its witnesses follows from it`
        : `Root cause to impact (${finding.kind}): #${path.rootSeq} → #${path.impactSeq} in ${steps - 1} cause step${steps === 2 ? "" : "s"}, ${humanDelay(path.totalMs)}`;
    root.append(title);
    const list = document.createElement("ol");
    list.className = "cp-chain";
    list.setAttribute("aria-label", `Cause chain from root cause #${path.rootSeq} to impact #${path.impactSeq}`);
    const fold = !shown.expanded && steps > HEAD_STEPS + TAIL_STEPS + 1;
    const graph = graphOf(run);
    path.steps.forEach((step, k) => {
      if (fold && k >= HEAD_STEPS && k < steps - TAIL_STEPS) {
        if (k === HEAD_STEPS) {
          const li = document.createElement("li");
          li.className = "cp-fold";
          const more = document.createElement("button");
          more.type = "button";
          more.dataset.pathExpand = "";
          more.textContent = `… ${steps - HEAD_STEPS - TAIL_STEPS} more steps (${humanDelay(path.steps[steps - TAIL_STEPS].t - step.t)})`;
          li.append(more);
          list.append(li);
        }
        return;
      }
      const r = run.log[step.seq];
      const li = document.createElement("li");
      li.className = "cp-step";
      const card = document.createElement("button");
      card.type = "button";
      card.className = "cp-card";
      card.dataset.pathSeq = String(step.seq);
      card.dataset.selected = String(step.seq === selected);
      const role = k === 0 ? `root cause: ${graph.rootKind(step.seq) ?? "action"}` : k === steps - 1 ? "impact" : step.waypoint ? "witness" : "";
      card.dataset.role = k === 0 ? "root" : k === steps - 1 ? "impact" : step.waypoint ? "witness" : "link";
      const head = document.createElement("span");
      head.className = "cp-head mono";
      head.textContent = `#${r.seq} · ${formatTime(r.t)} · ${r.actor}`;
      const what = document.createElement("span");
      what.className = "cp-what";
      what.textContent = whatHappened(run, step.seq);
      card.title = describeEvent(r, run.log);
      card.append(head, what);
      if (role) {
        const tag = document.createElement("span");
        tag.className = "cp-role";
        tag.textContent = role;
        card.append(tag);
      }
      li.append(card);
      if (step.delayMs !== undefined) {
        const delay = document.createElement("span");
        delay.className = "cp-delay";
        delay.dataset.delayMs = String(step.delayMs);
        delay.textContent = `→ ${humanDelay(step.delayMs)}`;
        delay.setAttribute("aria-label", `then, ${humanDelay(step.delayMs)} later`);
        li.append(delay);
      }
      list.append(li);
    });
    root.append(list);
  };
}

function setPathData(root: HTMLElement, path: FindingPath): void {
  root.dataset.rootSeq = String(path.rootSeq);
  root.dataset.impactSeq = String(path.impactSeq);
  root.dataset.totalMs = String(path.totalMs);
  root.dataset.steps = String(path.steps.length);
  root.dataset.seqs = path.steps.map((s) => s.seq).join(",");
}
