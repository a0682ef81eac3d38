// What the time panels (timeline, group series, agent lanes) share: the visible time window (the
// store's `timeWindow`, set by dragging a range on any of them, reset by double-click, a button or
// the keyboard), the crosshair time under the pointer (a light channel beside the store, so a
// mouse move does not notify every view), and axis labels that stay inside their box.
import type { AppState, Store, TimeWindow } from "../state/store.js";

/** Narrowest window a zoom shows: a second (records are at ms, agents act on seconds). */
export const WINDOW_MS_MIN = 1000;

/** The window the time panels show for `s`: the store's, when it fits the run, else the whole run. Pure. */
export function visibleWindow(s: Pick<AppState, "run" | "timeWindow">): TimeWindow {
  const durationMs = Math.max(1, s.run?.durationMs ?? 1);
  const w = s.timeWindow;
  if (!w || !(w.toMs > w.fromMs) || w.fromMs < 0 || w.fromMs >= durationMs) return { fromMs: 0, toMs: durationMs };
  return { fromMs: w.fromMs, toMs: Math.min(durationMs, w.toMs) };
}

/**
 * A window of [fromMs, toMs] (in either order) clamped to the run and widened to WINDOW_MS_MIN;
 * null when it is the whole run (no zoom). Pure.
 */
export function clampWindow(fromMs: number, toMs: number, durationMs: number): TimeWindow | null {
  let from = Math.max(0, Math.min(fromMs, toMs));
  let to = Math.min(durationMs, Math.max(fromMs, toMs));
  if (to - from < WINDOW_MS_MIN) {
    const mid = (from + to) / 2;
    from = Math.max(0, mid - WINDOW_MS_MIN / 2);
    to = Math.min(durationMs, from + WINDOW_MS_MIN);
    from = Math.max(0, to - WINDOW_MS_MIN);
  }
  from = Math.round(from);
  to = Math.round(to);
  return from <= 0 && to >= durationMs ? null : { fromMs: from, toMs: to };
}

/**
 * The window zoomed by `factor` (< 1 zooms in, > 1 out) about `centreMs` (kept at the same
 * place on screen), clamped to the run; null for the whole run. Pure.
 */
export function zoomWindow(w: TimeWindow, factor: number, centreMs: number, durationMs: number): TimeWindow | null {
  const span = Math.min(durationMs, Math.max(WINDOW_MS_MIN, (w.toMs - w.fromMs) * factor));
  const c = Math.min(w.toMs, Math.max(w.fromMs, centreMs));
  const share = w.toMs > w.fromMs ? (c - w.fromMs) / (w.toMs - w.fromMs) : 0.5;
  let from = c - share * span;
  from = Math.max(0, Math.min(durationMs - span, from));
  return clampWindow(from, from + span, durationMs);
}

/** Sets the store's window (null: the whole run) unless it already shows that one. */
export function setTimeWindow(store: Store, w: TimeWindow | null): void {
  const now = store.get().timeWindow ?? null;
  if (now === w || (now && w && now.fromMs === w.fromMs && now.toMs === w.toMs)) return;
  store.set({ timeWindow: w });
}

/**
 * The `+` / `-` / `0` keys on a focused time panel: zoom in or out about the cursor, or back to
 * the whole run. True when the key was one of them (the caller prevents its default).
 */
export function zoomKey(store: Store, key: string): boolean {
  const s = store.get();
  if (!s.run) return false;
  const w = visibleWindow(s);
  if (key === "+" || key === "=") setTimeWindow(store, zoomWindow(w, 0.5, s.cursorMs, s.run.durationMs));
  else if (key === "-" || key === "_") setTimeWindow(store, zoomWindow(w, 2, s.cursorMs, s.run.durationMs));
  else if (key === "0") setTimeWindow(store, null);
  else return false;
  return true;
}

/** Who shows the crosshair; `ms` null when the pointer left every time panel. */
export type HoverListener = (ms: number | null) => void;

interface HoverChannel {
  ms: number | null;
  listeners: Set<HoverListener>;
}

const channels = new WeakMap<Store, HoverChannel>();

function channelOf(store: Store): HoverChannel {
  let c = channels.get(store);
  if (!c) channels.set(store, (c = { ms: null, listeners: new Set() }));
  return c;
}

/** Moves the shared crosshair to `ms` (null hides it); every panel listening redraws its line. */
export function setHover(store: Store, ms: number | null): void {
  const c = channelOf(store);
  if (c.ms === ms) return;
  c.ms = ms;
  for (const listener of c.listeners) listener(ms);
}

/** Calls `listener` whenever the crosshair moves; returns the unsubscribe function. */
export function onHover(store: Store, listener: HoverListener): () => void {
  const c = channelOf(store);
  c.listeners.add(listener);
  return () => c.listeners.delete(listener);
}

/**
 * After d3's axisBottom drew `axis` on a plot from `left` to `right` (px), anchors the first and
 * last tick labels inward when centring them would cross the plot's ends, so the axis's end is
 * never clipped by the panel.
 */
export function keepTickLabelsInside(axis: SVGGElement, left: number, right: number): void {
  const ticks = Array.from(axis.querySelectorAll<SVGGElement>(".tick"));
  for (const tick of ticks) {
    const text = tick.querySelector("text");
    if (!text) continue;
    const m = /translate\(([-\d.e]+)/.exec(tick.getAttribute("transform") ?? "");
    const x = m ? Number(m[1]) : NaN;
    // About 3.2 px per character at 10-11 px: half a `00:00:00` label is ~14 px.
    const half = (text.textContent ?? "").length * 3.2;
    if (x + half > right + 2) text.setAttribute("text-anchor", "end");
    else if (x - half < left - 2) text.setAttribute("text-anchor", "start");
  }
}
