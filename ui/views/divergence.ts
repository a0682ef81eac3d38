// How two runs differ, as the compare and what-if views show it: the first divergence in meaning
// (a sentence, each side's record in words, a button that moves the cursor there), the
// hidden-field differences before it, and where the hash chains part. Text only via textContent.
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { LogDivergence } from "../../sim/whatif/divergence.js";
import { selectEvent, type Store } from "../state/store.js";

export interface DivergenceSide {
  label: string;
  /** `data-side` of its description. */
  side: string;
  log: readonly EventRecord[];
}

/**
 * Fills `box` with the divergence `d` of logs `a` and `b` and sets its data attributes:
 * `data-seq` (side a's record of the divergence in meaning, where the button goes; empty when
 * side a has none), `data-seq-b`, `data-kind` (outcome, value, onlyOneSide; empty when the logs
 * mean the same), `data-hidden` (the count of hidden-field differences before it) and
 * `data-chain-seq` (empty when the logs are identical). The "Move cursor" button (class
 * `buttonClass`, `data-testid` `testid`) selects side a's record, or moves to side b's time when a
 * has none; `stillShown`, if given, must hold when clicked (the runs may have been replaced).
 */
export function fillDivergence(box: HTMLElement, store: Store, d: LogDivergence, a: DivergenceSide, b: DivergenceSide, button: { className: string; testid: string; stillShown?: () => boolean }): void {
  const first = d.divergence;
  box.dataset.seq = first?.a ? String(first.a.seq) : "";
  box.dataset.seqB = first?.b ? String(first.b.seq) : "";
  box.dataset.kind = first?.kind ?? "";
  box.dataset.hidden = String(d.hidden.count);
  box.dataset.chainSeq = d.chainDivergence === null ? "" : String(d.chainDivergence);
  if (d.chainDivergence === null) {
    box.append(paragraph("div-sentence", "The two logs are identical: no divergence."));
    return;
  }
  if (first === null) {
    box.append(paragraph("div-sentence", "No divergence in meaning: the logs differ only in hidden fields."));
  } else {
    const sentence = paragraph("div-sentence", first.description);
    sentence.dataset.testid = "divergence-sentence";
    const list = document.createElement("dl");
    for (const [side, r] of [[a, first.a], [b, first.b]] as const) {
      const dt = document.createElement("dt");
      dt.textContent = side.label;
      const dd = document.createElement("dd");
      dd.dataset.side = side.side;
      dd.dataset.type = r?.type ?? "";
      dd.textContent = r ? describeEvent(r, side.log) : "(no such record)";
      list.append(dt, dd);
    }
    box.append(sentence, list);
  }
  if (d.hidden.count > 0) {
    // Collapsed: they do not change what happened, but say why the hash chains part earlier.
    const details = document.createElement("details");
    details.className = "div-hidden";
    const summary = document.createElement("summary");
    summary.textContent = `${first === null ? "" : "Before it, "}${d.hidden.count} record${d.hidden.count === 1 ? "" : "s"} differ only in hidden fields`;
    const items = document.createElement("ul");
    for (const h of d.hidden.first) {
      const li = document.createElement("li");
      li.textContent = h.description;
      li.dataset.fields = h.fields.join(",");
      items.append(li);
    }
    if (d.hidden.count > d.hidden.first.length) {
      const li = document.createElement("li");
      li.textContent = `… ${d.hidden.count - d.hidden.first.length} more`;
      items.append(li);
    }
    details.append(summary, items);
    box.append(details);
  }
  const n = d.chainDivergence;
  box.append(paragraph("div-chain", `The hash chains diverge at #${n}${n > 0 ? ` (identical up to #${n - 1})` : ""}.`));
  if (first === null) return;
  const ra = first.a;
  const rb = first.b;
  const go = document.createElement("button");
  go.type = "button";
  go.className = button.className;
  go.dataset.testid = button.testid;
  go.textContent = ra ? `Move cursor to #${ra.seq}` : `Move cursor to ${formatTime(rb!.t)}`;
  go.addEventListener("click", () => {
    if (button.stillShown && !button.stillShown()) return;
    if (ra) selectEvent(store, ra.seq);
    else if (rb) store.set({ cursorMs: rb.t, playing: false });
  });
  box.append(go);
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}
