// The first divergence of two runs, as the compare and what-if views show it: each side's record
// at that seq in words, and a button that moves the cursor there.
import { describeEvent } from "../../sim/cli/summary.js";
import type { EventRecord } from "../../sim/log/record.js";
import { selectEvent, type Store } from "../state/store.js";

export interface DivergenceSide {
  label: string;
  /** `data-side` of its description. */
  side: string;
  log: readonly EventRecord[];
}

/**
 * The two sides' records at `seq` (a `<dl>`) and the "Move cursor" button (class `buttonClass`,
 * `data-testid` `testid`). The button selects side a's record, or moves to side b's time when
 * a's log ended; `stillShown`, if given, must hold when clicked (the runs may have been replaced).
 */
export function divergenceDetails(store: Store, seq: number, a: DivergenceSide, b: DivergenceSide, button: { className: string; testid: string; stillShown?: () => boolean }): [HTMLDListElement, HTMLButtonElement] {
  const ra = a.log[seq];
  const rb = b.log[seq];
  const list = document.createElement("dl");
  for (const [side, r] of [[a, ra], [b, rb]] as const) {
    const dt = document.createElement("dt");
    dt.textContent = side.label;
    const dd = document.createElement("dd");
    dd.dataset.side = side.side;
    dd.dataset.type = r?.type ?? "";
    dd.textContent = r ? describeEvent(r, side.log) : "(log ended)";
    list.append(dt, dd);
  }
  const go = document.createElement("button");
  go.type = "button";
  go.className = button.className;
  go.dataset.testid = button.testid;
  go.textContent = `Move cursor to #${seq}`;
  go.addEventListener("click", () => {
    if (button.stillShown && !button.stillShown()) return;
    if (ra) selectEvent(store, seq);
    else if (rb) store.set({ cursorMs: rb.t, playing: false });
  });
  return [list, go];
}
