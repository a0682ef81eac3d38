// Event table: the run's log (engine wakes omitted) with actor / type / target / text filters,
// virtualized (fixed row height, only the visible window is in the DOM) and kept in sync with
// the store's selection, highlight and cursor. A streaming run is filtered as it grows: each
// update reads only the records added since the previous one.
import { formatTime } from "../../sim/core/units.js";
import { describeEvent } from "../../sim/cli/summary.js";
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload } from "../model/payload.js";
import { selectEvent, type AppState, type Store } from "../state/store.js";

/** Row height in px; rows are absolutely positioned at index * ROW_HEIGHT_PX. */
const ROW_HEIGHT_PX = 22;
/** Extra rows rendered above and below the visible window, so fast scrolling does not flash. */
const OVERSCAN_ROWS = 8;
/** The scroller's CSS height (ui/styles.css), used until its size is first reported. */
const SCROLLER_HEIGHT_PX = 330;

type FilterKey = "actor" | "type" | "target";

/**
 * Mounts the event table into `root`. Filtering runs over the whole log when the run or the
 * filter changes, and over the new records when the same run grows; cursor, selection and
 * highlight changes only update the attributes of the visible rows that change. Layout is never
 * read in a store update: the scroll position and height come from scroll and resize events.
 */
export function mountEvents(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Events</h2>
    <div class="filters" role="search">
      <label>Actor <select data-filter="actor" data-testid="filter-actor"></select></label>
      <label>Type <select data-filter="type" data-testid="filter-type"></select></label>
      <label>Target <select data-filter="target" data-testid="filter-target"></select></label>
      <label>Text <input data-filter="text" data-testid="filter-text" type="search" placeholder="words in the record" size="18" /></label>
      <span class="count mono" aria-live="polite"></span>
    </div>
    <div class="event-head mono" aria-hidden="true"><span>#</span><span>time</span><span>actor</span><span>type</span><span>target</span><span>what</span></div>
    <div class="scroller" role="table" aria-label="Events" tabindex="0"><div class="spacer"></div></div>`;
  const selects: Record<FilterKey, HTMLSelectElement> = {
    actor: root.querySelector<HTMLSelectElement>('select[data-filter="actor"]')!,
    type: root.querySelector<HTMLSelectElement>('select[data-filter="type"]')!,
    target: root.querySelector<HTMLSelectElement>('select[data-filter="target"]')!,
  };
  const text = root.querySelector<HTMLInputElement>('input[data-filter="text"]')!;
  const count = root.querySelector<HTMLSpanElement>(".count")!;
  const scroller = root.querySelector<HTMLDivElement>(".scroller")!;
  const spacer = root.querySelector<HTMLDivElement>(".spacer")!;

  let run: RunPayload | undefined;
  /** Log indexes (= seqs) shown, ascending, after filtering; wakes never appear. */
  let rows: number[] = [];
  /** Records of the run already filtered into `rows` and read for the filter options. */
  let scanned = 0;
  /** The values each filter offers, and whether a new one appeared since the options were drawn. */
  let values: Record<FilterKey, Set<string>> = { actor: new Set(), type: new Set(), target: new Set() };
  let valuesGrew = false;
  /** Lower-cased searchable text per seq, built on the first text search of a run. */
  let words: (string | undefined)[] = [];
  /** The row elements in the DOM, by seq. */
  const rendered = new Map<number, HTMLDivElement>();
  let filterShown: AppState["filter"] | undefined;
  /** The scroller's scrollTop and clientHeight, as its scroll and resize events last saw them. */
  let viewTop = 0;
  let viewHeight = 0;

  for (const key of Object.keys(selects) as FilterKey[]) {
    selects[key].addEventListener("change", () => store.set({ filter: { ...store.get().filter, [key]: selects[key].value } }));
  }
  text.addEventListener("input", () => store.set({ filter: { ...store.get().filter, text: text.value } }));
  scroller.addEventListener("scroll", () => {
    viewTop = scroller.scrollTop;
    renderWindow(store.get());
  });
  new ResizeObserver(() => {
    const height = scroller.clientHeight;
    if (height === viewHeight) return;
    viewHeight = height;
    renderWindow(store.get());
  }).observe(scroller);
  scroller.addEventListener("click", (e) => {
    const row = (e.target as HTMLElement).closest<HTMLDivElement>("[data-seq]");
    if (row) selectEvent(store, Number(row.dataset.seq));
  });
  scroller.addEventListener("keydown", (e) => {
    const row = (e.target as HTMLElement).closest<HTMLDivElement>("[data-seq]");
    if (!row) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      e.stopPropagation();
      selectEvent(store, Number(row.dataset.seq));
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      // Move focus between rows without the transport's arrow-key stepping.
      e.preventDefault();
      e.stopPropagation();
      const at = lowerBound(rows, Number(row.dataset.seq)) + (e.key === "ArrowDown" ? 1 : -1);
      if (at < 0 || at >= rows.length) return;
      scrollToIndex(at);
      renderWindow(store.get());
      rendered.get(rows[at])?.focus();
    }
  });

  /** The record's words for the text filter: its description plus the fields it may omit. */
  function searchable(seq: number): string {
    let w = words[seq];
    if (w === undefined) {
      const r = run!.log[seq];
      w = `${describeEvent(r, run!.log)} ${r.type} ${r.onBehalfOf ?? ""} ${r.target ?? ""}`.toLowerCase();
      words[seq] = w;
    }
    return w;
  }

  /** Whether record `r` passes filter `f` (`terms`: its text split into lower-case words). */
  function passes(r: EventRecord, f: AppState["filter"], terms: readonly string[]): boolean {
    if (r.type === "wake") return false;
    if (f.actor && r.actor !== f.actor) return false;
    if (f.type && r.type !== f.type) return false;
    if (f.target && r.target !== f.target) return false;
    if (terms.length > 0) {
      const w = searchable(r.seq);
      if (!terms.every((t) => w.includes(t))) return false;
    }
    return true;
  }

  const termsOf = (f: AppState["filter"]) => f.text.toLowerCase().split(/\s+/).filter((t) => t.length > 0);

  /** Filters the records read so far anew (the filter changed). */
  function refilter(s: AppState): void {
    rows = [];
    if (!run) return;
    const terms = termsOf(s.filter);
    const log = run.log;
    for (let i = 0; i < scanned; i++) if (passes(log[i], s.filter, terms)) rows.push(i);
  }

  /** Reads the records added since the last call: filter options, and rows under the current filter. */
  function extend(s: AppState): void {
    if (!run) return;
    const terms = termsOf(s.filter);
    const log = run.log;
    for (let i = scanned; i < log.length; i++) {
      const r = log[i];
      if (r.type === "wake") continue;
      if (!values.actor.has(r.actor) || !values.type.has(r.type) || (r.target !== undefined && r.target !== "" && !values.target.has(r.target))) {
        values.actor.add(r.actor);
        values.type.add(r.type);
        if (r.target) values.target.add(r.target);
        valuesGrew = true;
      }
      if (passes(r, s.filter, terms)) rows.push(i);
    }
    scanned = log.length;
    if (valuesGrew) fillOptions(s);
  }

  function fillOptions(s: AppState): void {
    valuesGrew = false;
    for (const key of Object.keys(selects) as FilterKey[]) {
      const sorted = Array.from(values[key]).sort();
      selects[key].replaceChildren(new Option(`all ${key}s`, ""), ...sorted.map((v) => new Option(v, v)));
      selects[key].value = s.filter[key];
    }
  }

  function scrollToIndex(index: number): void {
    const top = index * ROW_HEIGHT_PX;
    let next = viewTop;
    if (top < viewTop) next = top;
    else if (top + ROW_HEIGHT_PX > viewTop + viewHeight) next = top + ROW_HEIGHT_PX - viewHeight;
    if (next === viewTop) return;
    scroller.scrollTop = next;
    viewTop = next;
  }

  function rowElement(seq: number): HTMLDivElement {
    const r = run!.log[seq];
    const row = document.createElement("div");
    row.className = "event-row mono";
    row.setAttribute("role", "row");
    row.tabIndex = -1;
    row.dataset.seq = String(seq);
    row.dataset.actor = r.actor;
    row.dataset.type = r.type;
    row.dataset.target = r.target ?? "";
    row.dataset.t = String(r.t);
    const cells = [`#${seq}`, formatTime(r.t), r.onBehalfOf ? `${r.actor} (for ${r.onBehalfOf})` : r.actor, r.type, r.target ?? "", describeEvent(r, run!.log).replace(/^#\d+ \S+ [^:]+: /, "")];
    for (const value of cells) {
      const cell = document.createElement("span");
      cell.setAttribute("role", "cell");
      cell.textContent = value;
      cell.title = value;
      row.append(cell);
    }
    if (r.type === "command.rejected") row.dataset.rejected = "true";
    return row;
  }

  /** Puts the rows of the visible window in the DOM (reusing those already there) and marks them. */
  function renderWindow(s: AppState): void {
    // Before the first resize report (hidden, or not laid out yet): a window the CSS height holds.
    const height = viewHeight || SCROLLER_HEIGHT_PX;
    const first = Math.max(0, Math.floor(viewTop / ROW_HEIGHT_PX) - OVERSCAN_ROWS);
    const last = Math.min(rows.length, Math.ceil((viewTop + height) / ROW_HEIGHT_PX) + OVERSCAN_ROWS);
    const wanted = new Set<number>();
    for (let i = first; i < last; i++) wanted.add(rows[i]);
    for (const [seq, el] of rendered) {
      if (!wanted.has(seq)) {
        el.remove();
        rendered.delete(seq);
      }
    }
    for (let i = first; i < last; i++) {
      const seq = rows[i];
      let el = rendered.get(seq);
      if (!el) {
        el = rowElement(seq);
        rendered.set(seq, el);
        spacer.append(el);
      }
      const top = `${i * ROW_HEIGHT_PX}px`;
      if (el.style.top !== top) {
        el.style.top = top;
        el.setAttribute("aria-rowindex", String(i + 1));
      }
    }
    markRows(s);
  }

  /** Sets the rows' state attributes; writes only those that change (a write restyles the row). */
  function markRows(s: AppState): void {
    for (const [seq, el] of rendered) {
      const selected = String(s.selectedSeq === seq);
      if (el.dataset.selected !== selected) {
        el.dataset.selected = selected;
        el.setAttribute("aria-selected", selected);
      }
      const tabIndex = s.selectedSeq === seq || (s.selectedSeq === null && seq === rows[0]) ? 0 : -1;
      if (el.tabIndex !== tabIndex) el.tabIndex = tabIndex;
      const highlighted = String(s.highlighted.has(seq));
      if (el.dataset.highlighted !== highlighted) el.dataset.highlighted = highlighted;
      const future = String(run!.log[seq].t > s.cursorMs);
      if (el.dataset.future !== future) el.dataset.future = future;
    }
  }

  /** The count, spacer and data-rows after `rows` changed. */
  function showCount(): void {
    spacer.style.height = `${rows.length * ROW_HEIGHT_PX}px`;
    root.dataset.rows = String(rows.length);
    count.textContent = run ? `${rows.length} rows${run.complete ? "" : " so far"}` : "no run yet";
  }

  store.subscribe((s, previous) => {
    const grown = s.run !== run && run !== undefined && s.run !== undefined && s.run.runId === run.runId;
    const runChanged = s.run !== run && !grown;
    const filterChanged = s.filter !== filterShown;
    if (runChanged) {
      run = s.run;
      words = [];
      rows = [];
      scanned = 0;
      values = { actor: new Set(), type: new Set(), target: new Set() };
      valuesGrew = true;
      for (const el of rendered.values()) el.remove();
      rendered.clear();
    } else if (grown) run = s.run;
    if (filterChanged) {
      filterShown = s.filter;
      for (const key of Object.keys(selects) as FilterKey[]) selects[key].value = s.filter[key];
      if (document.activeElement !== text) text.value = s.filter.text;
      if (!runChanged) refilter(s);
      // The filtered set changed under the rendered rows: re-create them at their new positions.
      for (const el of rendered.values()) el.remove();
      rendered.clear();
    }
    const rowsBefore = rows.length;
    if (runChanged || grown || filterChanged) {
      // New records are read under the current filter (a new run: all of them).
      extend(s);
      if (runChanged && valuesGrew) fillOptions(s);
    }
    if (runChanged || filterChanged || rows.length !== rowsBefore || (grown && run!.complete)) showCount();
    const selectionChanged = s.selectedSeq !== previous.selectedSeq;
    if ((selectionChanged || runChanged || filterChanged) && s.selectedSeq !== null) {
      const at = lowerBound(rows, s.selectedSeq);
      if (rows[at] === s.selectedSeq) scrollToIndex(at);
    }
    if (runChanged || filterChanged || selectionChanged || rows.length !== rowsBefore) renderWindow(s);
    else if (s.cursorMs !== previous.cursorMs || s.highlighted !== previous.highlighted) markRows(s);
  });
}

/** First index of `sorted` whose value is >= `value`. Pure. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
