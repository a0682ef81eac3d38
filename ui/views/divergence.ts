// How two runs differ, as the compare and what-if views show it: the first divergence in meaning
// (a sentence, each side's record in words, a button that moves the cursor there), the
// hidden-field differences before it, and where the hash chains part. Text only via textContent.
import { describeEvent } from "../../sim/cli/summary.js";
import { formatTime } from "../../sim/core/units.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { LogDivergence, MeaningDivergence } from "../../sim/whatif/divergence.js";
import { describeRecord, knobOf } from "../../sim/export/describe.js";
import { jsonText } from "../../sim/log/json-text.js";
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
    const headline = paragraph("div-headline", divergenceHeadline(first, a.label, b.label));
    headline.dataset.testid = "divergence-headline";
    box.append(headline);
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
  // Hashes are not shown as a difference: they part at the first byte that differs, often a field
  // that means nothing to the comparison (record #0 names the variant that ran).
  const chainWords =
    n === 0 && a.log[0]?.type === "run.started"
      ? "The hash chains part at #0, the run.started record that names the variant and seed; from there every hash differs, even where the records mean the same."
      : `The hash chains part at #${n}${n > 0 ? ` (identical up to #${n - 1})` : ""}.`;
  box.append(paragraph("div-chain", chainWords));
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

/** Coordination policies in words, for people who do not know the scenario format's names. */
const POLICY_WORDS: Record<string, string> = {
  compareAndSet: "the version check (compare-and-set)",
  lease: "the lease on the knob",
  cooldown: "the cross-actor cooldown",
  velocity: "the rate limit",
  approval: "the approval gate",
  validation: "document validation",
  stagedRollout: "the staged rollout",
  idempotency: "the duplicate check",
  arbiter: "the arbiter",
  veto: "a veto",
  bounds: "the knob's bounds",
  authorization: "authorization",
  apiQuota: "the API quota",
  partition: "a network partition",
  failStatic: "fail-static",
};

/**
 * The first divergence in meaning as one sentence a person reads first, each side in its own
 * words: "First divergence at 00:08:02: in blind (a), enactor-a set ddb-dns.plan 17 -> 4 (#38);
 * in coordinated (b), the write was rejected by the version check (compare-and-set) (#38)". Only
 * fields the event views show are named (who, what, which knob or document, which value, which
 * policy); hashes, seqs' renumbering and bookkeeping fields never make a divergence
 * (sim/whatif/divergence.ts decides that). Pure.
 */
export function divergenceHeadline(first: MeaningDivergence, a: string, b: string): string {
  const other = first.a ?? first.b!;
  return `First divergence at ${formatTime(first.t)}: in ${a}, ${sideWords(first.a, first.b ?? other)}; in ${b}, ${sideWords(first.b, first.a ?? other)}`;
}

/** What one side's record did, in words, or what the other side did not get (`r` undefined). */
function sideWords(r: EventRecord | undefined, counterpart: EventRecord): string {
  if (!r) return `no such record at that time (${counterpart.actor}: ${counterpart.type})`;
  const d = r.data;
  const subject = knobOf(r) ?? r.target ?? "?";
  const at = ` (#${r.seq})`;
  const applied = typeof d.knob === "string" && typeof d.to === "number";
  const refusedBy = typeof d.policy === "string" ? POLICY_WORDS[d.policy] ?? `the ${d.policy} policy` : "a policy";
  const sameActor = counterpart.actor === r.actor && counterpart !== r;
  const who = sameActor ? "the write" : `${r.actor}'s write of ${subject}`;
  if (applied) return `${r.actor} set ${subject} ${jsonText(d.from)} -> ${d.to}${at}`;
  switch (r.type) {
    case "document.put":
      return `${r.actor} put ${subject} version ${jsonText(d.version)}${at}`;
    case "document.deleted":
      return `${r.actor} deleted ${subject} version ${jsonText(d.version)}${at}`;
    case "command.rejected":
      return `${who} was rejected by ${refusedBy}${at}`;
    case "command.held":
      return `${who} was held by ${refusedBy}${typeof d.untilMs === "number" ? ` until ${formatTime(d.untilMs)}` : ""}${at}`;
    case "command.duplicate":
      return `${who} was dropped as a duplicate${at}`;
    case "command.suppressed":
      return `${who} was suppressed by the what-if's intervention${at}`;
    case "health.changed":
      return `${r.target ?? r.actor} became ${d.healthy === true ? "healthy" : "unhealthy"}${at}`;
  }
  return `${r.actor}: ${describeRecord(r)}${at}`;
}

function paragraph(className: string, text: string): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}
