// Agent lanes: one row per agent with its machine state over time as coloured bands and its
// commands as ticks (applied, rejected, held, suppressed, documents), plus the time cursor, with
// a time zoom. This shell owns the run's lane index (extended while a run streams in), the zoom,
// the legend and the keyboard, and picks a renderer: SVG (a node per tick, for small runs) or
// canvas (rasterised per pixel column, for large ones).
import { selectEvent, type Store } from "../state/store.js";
import type { RunPayload } from "../model/payload.js";
import { createCanvasLanes } from "./lanes-canvas.js";
import { legendItems, legendKey } from "./lanes-legend.js";
import { bandCount, extendLanes, findTick, indexLanes, lowerBound, sameRun, TICK_KINDS, upperBound, type LaneIndex } from "./lanes-model.js";
import type { LanesInput, LanesRenderer } from "./lanes-renderer.js";
import { colourStates } from "./lanes-style.js";
import { createSvgLanes } from "./lanes-svg.js";
import { createTimeZoom } from "./lanes-zoom.js";
import { clampWindow, onHover, setHover, setTimeWindow, visibleWindow, zoomKey } from "./time-scale-shared.js";

// The causal view shares the time axis's ticks.
export { timeTicks } from "./lanes-time.js";

/**
 * Above this many ticks + bands the lanes draw on canvas. The SVG spends two DOM nodes per item
 * (a rect and its title), and Chromium's style, layout and paint grow with them: measured here
 * (2 loaded cores), ~2.4 k items built in ~45 ms plus ~80 ms to the next frame, ~5.5 k in ~130 ms
 * plus ~200 ms, the ui-100k run's ~300 k in 8-24 s. The library's largest run (dynamodb-dns-race,
 * coordinated) has 2.3 k, so every library scenario keeps the SVG and its per-tick DOM hooks.
 */
export const LANES_SVG_ITEMS_MAX = 3000;

/**
 * Canvas while a run streams in (its final size is unknown, and each chunk must cost little
 * whatever the size so far) and for complete runs above LANES_SVG_ITEMS_MAX; SVG otherwise. A
 * small run that streamed switches to SVG once, when it completes. Pure.
 */
export function lanesRenderKind(run: RunPayload, index: LaneIndex): "svg" | "canvas" {
  return run.complete === false || index.tickCount + bandCount(index) > LANES_SVG_ITEMS_MAX ? "canvas" : "svg";
}

/** Mounts the agent lanes into `root`; re-renders from `store`. */
export function mountLanes(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Agent lanes</h2>
    <div class="lanes-bar">
      <div class="lanes-legend" data-testid="lanes-legend"></div>
      <button type="button" class="lanes-reset" data-testid="lanes-reset-zoom" title="Show the whole run again (or double-click the lanes)">Whole run</button>
    </div>
    <p class="lanes-help">Wheel zooms time (with every time panel; <kbd>+</kbd> <kbd>-</kbd> <kbd>0</kbd> too), drag pans it (and scrolls the rows), double-click shows the whole run. With an agent's row focused: <kbd>[</kbd> <kbd>]</kbd> previous / next command, <kbd>Enter</kbd> selects.</p>
    <div class="lanes-body"></div>`;
  const legend = root.querySelector<HTMLDivElement>(".lanes-legend")!;
  const body = root.querySelector<HTMLDivElement>(".lanes-body")!;
  const reset = root.querySelector<HTMLButtonElement>(".lanes-reset")!;
  let index: LaneIndex | undefined;
  let shownRun: RunPayload | undefined;
  let renderer: LanesRenderer | undefined;
  let colours = new Map<string, string>();
  let shownLegend = "";
  let shownWidth = 0;
  let marked: { selected: number | null; highlighted: ReadonlySet<number> } | undefined;

  /** The body's width as the ResizeObserver last saw it (reading clientWidth during a store update would force a layout of the whole page). */
  let observedWidth = 0;
  const width = (): number => Math.max(320, observedWidth || body.clientWidth || root.clientWidth - 20 || 800);

  /** True while the lanes follow the store's window (so that zoom is not written back to it). */
  let following = false;
  const showDomain = (): void => {
    const [from, to] = zoom.domain();
    renderer?.setDomain(from, to);
    root.dataset.zoom = zoom.k().toFixed(2);
    root.dataset.fromMs = String(Math.round(from));
    root.dataset.toMs = String(Math.round(to));
    // The lanes' own wheel, pan or reset zooms every time panel (time-scale-shared.ts).
    const run = store.get().run;
    if (!following && run && shownRun === run) setTimeWindow(store, clampWindow(from, to, run.durationMs));
  };
  const zoom = createTimeZoom(showDomain, (dy) => renderer?.scrollRows({ by: dy }));
  reset.addEventListener("click", () => zoom.reset());

  /** Builds the renderer `run` calls for, showing the zoom's current domain. */
  const mountRenderer = (run: RunPayload): void => {
    if (!index) return;
    // A focused row keeps the focus across the rebuild (a streamed run switching to SVG, a resize).
    const focused = body.contains(document.activeElement) ? (document.activeElement as HTMLElement).closest?.("[data-agent]")?.getAttribute("data-agent") : null;
    renderer?.destroy();
    shownWidth = width();
    const items = index.tickCount + bandCount(index);
    const input: LanesInput = { index, colours, width: shownWidth, domain: zoom.domain(), onSelect: (seq) => selectEvent(store, seq) };
    for (const hook of ["rowsDrawn", "rejectedDrawn", "highlightedDrawn", "selectedDrawn", "selectedX", "selectedY"]) delete root.dataset[hook];
    renderer = lanesRenderKind(run, index) === "canvas" ? createCanvasLanes(body, input, root.dataset) : createSvgLanes(body, input);
    zoom.attach(renderer.zoomArea);
    root.dataset.render = renderer.kind;
    if (focused) body.querySelector<HTMLElement | SVGElement>(`[data-agent="${CSS.escape(focused)}"]`)?.focus({ preventScroll: true });
    root.dataset.items = String(items);
    showDomain();
    marked = undefined;
  };

  /** Legend and counts after the index changed. */
  const describe = (): void => {
    if (!index) return;
    const key = legendKey(index);
    if (key !== shownLegend) legend.replaceChildren(...legendItems(index, colours));
    shownLegend = key;
    root.dataset.agents = String(index.rows.length);
    root.dataset.ticks = String(index.tickCount);
    root.dataset.rejected = String(index.kindCounts[TICK_KINDS.indexOf("rejected")]);
  };

  /** Shows `run`: extends the index when it is the shown run grown further, else starts over. */
  const show = (run: RunPayload): void => {
    if (index && shownRun && sameRun(index, run)) {
      const change = extendLanes(index, run);
      colours = colourStates(index.states);
      if (change.rowsAdded) {
        // A run without an agent list gained a row: its earlier records are read again.
        index = indexLanes(run);
        mountRenderer(run);
      } else if (!renderer?.update || renderer.kind !== lanesRenderKind(run, index)) mountRenderer(run);
      else {
        renderer.update(change, colours);
        root.dataset.items = String(index.tickCount + bandCount(index));
      }
    } else {
      index = indexLanes(run);
      colours = colourStates(index.states);
      zoom.setDuration(run.durationMs);
      mountRenderer(run);
    }
    shownRun = run;
    describe();
  };

  body.addEventListener("keydown", (e) => {
    const row = (e.target as Element).closest?.("[data-agent]") as HTMLElement | SVGElement | null;
    if (!row || !index || (e.key !== "[" && e.key !== "]" && e.key !== "Enter")) return;
    const r = index.rowOf.get(row.dataset.agent!);
    if (r === undefined) return;
    e.preventDefault();
    const lane = index.rows[r];
    const n = lane.tickSeq.length;
    if (n === 0) return;
    const s = store.get();
    // Relative to the selected command when it is this agent's, else to the cursor.
    const sel = s.selectedSeq === null ? null : findTick(index, s.selectedSeq);
    const at = sel && sel.row === r ? sel.tick : -1;
    let next: number;
    if (e.key === "Enter") next = at >= 0 ? at : Math.min(n - 1, lowerBound(lane.tickT, s.cursorMs));
    else if (at >= 0) next = Math.max(0, Math.min(n - 1, at + (e.key === "]" ? 1 : -1)));
    else if (e.key === "]") next = Math.min(n - 1, upperBound(lane.tickT, s.cursorMs));
    else next = Math.max(0, lowerBound(lane.tickT, s.cursorMs) - 1);
    selectEvent(store, lane.tickSeq[next]);
  });

  // The shared crosshair: a line over the rows at the hovered time, whichever panel is hovered.
  const hoverLine = document.createElement("div");
  hoverLine.className = "lanes-hover";
  hoverLine.hidden = true;
  hoverLine.setAttribute("aria-hidden", "true");
  /** The plot's left edge (px, relative to the body), width and time domain, for pointer <-> time. */
  const plotBox = (): { left: number; width: number; from: number; to: number } | undefined => {
    if (!renderer) return undefined;
    const area = renderer.zoomArea;
    const [from, to] = zoom.domain();
    return { left: area.element.getBoundingClientRect().left - body.getBoundingClientRect().left + area.left, width: area.width, from, to };
  };
  onHover(store, (ms) => {
    const box = ms === null ? undefined : plotBox();
    const inside = box !== undefined && ms! >= box.from && ms! <= box.to;
    hoverLine.hidden = !inside;
    if (!inside) return;
    if (hoverLine.parentElement !== body) body.append(hoverLine);
    hoverLine.style.height = `${body.scrollHeight}px`;
    hoverLine.style.transform = `translateX(${(box!.left + ((ms! - box!.from) / Math.max(1, box!.to - box!.from)) * box!.width).toFixed(1)}px)`;
  });
  body.addEventListener("pointermove", (e) => {
    const box = plotBox();
    if (!box) return;
    const px = e.clientX - body.getBoundingClientRect().left - box.left;
    setHover(store, px >= 0 && px <= box.width ? box.from + (px / box.width) * (box.to - box.from) : null);
  });
  body.addEventListener("pointerleave", () => setHover(store, null));
  // + / - / 0 on the focused lanes zoom every time panel, as on the timeline.
  root.addEventListener("keydown", (e) => {
    if (zoomKey(store, e.key)) e.preventDefault();
  });

  store.subscribe((s, prev) => {
    if (s.run && s.run === shownRun && s.timeWindow !== prev.timeWindow) {
      // Another panel zoomed: show its window (reset on null).
      const w = visibleWindow(s);
      const [from, to] = zoom.domain();
      if (Math.abs(from - w.fromMs) > 1 || Math.abs(to - w.toMs) > 1) {
        following = true;
        zoom.show(w.fromMs, w.toMs);
        following = false;
      }
    }
    if (!s.run) {
      renderer?.destroy();
      renderer = undefined;
      index = undefined;
      shownRun = undefined;
      shownLegend = "";
      legend.replaceChildren();
      body.textContent = s.status === "running" ? "" : "No run yet.";
      return;
    }
    const before = renderer;
    if (s.run !== shownRun) show(s.run);
    if (!renderer || !index) return;
    const fresh = renderer !== before;
    if (fresh || !marked || s.selectedSeq !== marked.selected || s.highlighted !== marked.highlighted) {
      renderer.mark(s.selectedSeq, s.highlighted);
      marked = { selected: s.selectedSeq, highlighted: s.highlighted };
      root.dataset.selectedSeq = s.selectedSeq === null ? "" : String(s.selectedSeq);
    }
    if (s.selectedSeq !== null && s.selectedSeq !== prev.selectedSeq) {
      // Bring a command selected elsewhere (or by keyboard) into view.
      const at = findTick(index, s.selectedSeq);
      if (at) {
        zoom.reveal(index.rows[at.row].tickT[at.tick]);
        renderer.scrollRows({ row: at.row });
      }
    }
    if (fresh || s.cursorMs !== prev.cursorMs) renderer.cursor(Math.min(s.cursorMs, s.run.durationMs));
  });

  // Rebuild on width changes (not height: the rows fix it), keeping the zoomed time domain.
  new ResizeObserver((entries) => {
    observedWidth = entries[entries.length - 1].contentRect.width;
    const s = store.get();
    if (!s.run || !index || Math.abs(width() - shownWidth) <= 4) return;
    mountRenderer(s.run);
    renderer!.mark(s.selectedSeq, s.highlighted);
    marked = { selected: s.selectedSeq, highlighted: s.highlighted };
    renderer!.cursor(Math.min(s.cursorMs, s.run.durationMs));
  }).observe(body);
}
