// What the agent lanes' shell (lanes.ts) asks of a renderer: the SVG one (a DOM node per tick
// and band, for complete small runs) and the canvas one (rasterised, for large or streaming runs).
import type { LaneChange, LaneIndex } from "./lanes-model.js";
import type { ZoomArea } from "./lanes-zoom.js";

/** Row labels' column, in CSS px. */
export const LABEL_W = 110;
/** Space right of the plot, so the last axis label fits. */
export const MARGIN_RIGHT = 12;
export const AXIS_H = 22;
/** The rows' viewport: taller content scrolls (80 agents at 18 px would be 1440 px). */
export const VIEW_H_MAX = 432;
/** Rows shrink to fit the viewport down to this (labels stay legible), then scroll. */
const ROW_H_MIN = 18;
const ROW_H_MAX = 34;

/** Row height in CSS px for `rows` agents: 34 px for a dozen, shrinking to 18 px, then the rows scroll. Pure. */
export function rowHeightFor(rows: number): number {
  return Math.max(ROW_H_MIN, Math.min(ROW_H_MAX, Math.floor(VIEW_H_MAX / Math.max(1, rows))));
}

/** Both renderers' `scrollRows`: the rows scroll in `scroll`, a viewport `viewH` px tall. */
export function scrollRowsIn(scroll: HTMLElement, rowH: number, viewH: number, to: { row: number } | { by: number }): void {
  if ("by" in to) scroll.scrollTop -= to.by;
  else if (to.row * rowH < scroll.scrollTop) scroll.scrollTop = to.row * rowH;
  else if ((to.row + 1) * rowH > scroll.scrollTop + viewH) scroll.scrollTop = (to.row + 1) * rowH - viewH;
}

/** What a renderer is built from. */
export interface LanesInput {
  index: LaneIndex;
  /** A colour per state name (lanes-style.ts colourStates). */
  colours: Map<string, string>;
  /** Width of the view in CSS px. */
  width: number;
  /** The visible time domain at first. */
  domain: [number, number];
  /** A tick was clicked. */
  onSelect(seq: number): void;
}

export interface LanesRenderer {
  readonly kind: "svg" | "canvas";
  /** Where wheel and drag zoom. */
  readonly zoomArea: ZoomArea;
  /** The index grew (same run, same rows): draw what changed. A renderer without it is rebuilt instead. */
  update?(change: LaneChange, colours: Map<string, string>): void;
  /** Shows the time domain [fromMs, toMs] (zoom, pan). */
  setDomain(fromMs: number, toMs: number): void;
  /** Marks the selected command and the highlighted ones. */
  mark(selected: number | null, highlighted: ReadonlySet<number>): void;
  /** Moves the time cursor; cheap (every frame while playing or scrubbing). */
  cursor(ms: number): void;
  /** Scrolls the rows, if they scroll, so `row` is in view; `by` scrolls by that many px instead. */
  scrollRows(to: { row: number } | { by: number }): void;
  /** Removes listeners and pending frames (the shell removes the DOM). */
  destroy(): void;
}
