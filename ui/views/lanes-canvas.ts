// The agent lanes on canvas, for large runs (lanes.ts picks it above LANES_SVG_ITEMS_MAX): bands
// and ticks rasterised per pixel column on a static layer (redrawn on zoom, scroll or a grown run),
// selection and highlight marks on an overlay (redrawn when they change), the cursor a DOM line
// (a cursor move touches one style). Rows are focusable DOM labels over a scrolling stage, so
// keyboard and screen readers still reach each agent; the canvas stays the height of the view.
import { formatTime } from "../../sim/core/units.js";
import { describeEvent } from "../../sim/cli/summary.js";
import { bandEnd, findTick, TICK_KINDS, upperBound, type LaneIndex } from "./lanes-model.js";
import { laneGeometry, rasterLanes, tickAt, tickX, visibleRows, type RasterView } from "./lanes-raster.js";
import { CHART_TEXT } from "./chart-palette.js";
import { AXIS_H, LABEL_W, MARGIN_RIGHT, rowHeightFor, scrollRowsIn, VIEW_H_MAX, type LanesInput, type LanesRenderer } from "./lanes-renderer.js";
import { HIGHLIGHT_STROKE, pixelOf, SELECTED_STROKE, statePaint, TICK_PAINT, TICK_STYLE } from "./lanes-style.js";
import { timeTicks } from "./lanes-time.js";

/** Clicks this close (CSS px) to a tick select it. */
const HIT_PX = 4;
const ROW_SHADE = pixelOf("#f3f5f7");

/** Builds the canvas lanes into `host` (replacing its content); `hooks` receives data-* test hooks. */
export function createCanvasLanes(host: HTMLElement, input: LanesInput, hooks: DOMStringMap): LanesRenderer {
  const { index, width, onSelect } = input;
  const plotW = Math.max(40, width - LABEL_W - MARGIN_RIGHT);
  const rows = index.rows.length;
  const rowH = rowHeightFor(rows);
  const geometry = laneGeometry(rowH);
  const contentH = rows * rowH;
  const viewH = Math.max(rowH, Math.min(VIEW_H_MAX, contentH));

  host.innerHTML = `<div class="lanes-scroll" style="height:${viewH}px">
      <div class="lanes-stage" style="height:${Math.max(viewH, contentH)}px">
        <div class="lanes-view" style="width:${plotW}px;height:${viewH}px;margin-left:${LABEL_W}px">
          <canvas class="lanes-static"></canvas>
          <canvas class="lanes-overlay" data-testid="lanes-canvas" role="img" aria-label="Agent states and commands over time; wheel zooms time, drag pans, double-click resets"></canvas>
          <div class="lanes-cursor-line" data-testid="lanes-cursor"></div>
          <div class="lanes-tip mono" hidden></div>
        </div>
        <div class="lanes-rows"></div>
      </div>
    </div>
    <canvas class="lanes-axis-canvas"></canvas>`;
  const scroll = host.querySelector<HTMLDivElement>(".lanes-scroll")!;
  const base = host.querySelector<HTMLCanvasElement>(".lanes-static")!;
  const overlay = host.querySelector<HTMLCanvasElement>(".lanes-overlay")!;
  const cursorLine = host.querySelector<HTMLDivElement>(".lanes-cursor-line")!;
  const tip = host.querySelector<HTMLDivElement>(".lanes-tip")!;
  const axis = host.querySelector<HTMLCanvasElement>(".lanes-axis-canvas")!;
  const rowsBox = host.querySelector<HTMLDivElement>(".lanes-rows")!;

  rowsBox.append(
    ...index.rows.map((lane, i) => {
      const row = document.createElement("div");
      row.className = "lanes-row lanes-label";
      row.dataset.agent = lane.agent;
      row.tabIndex = 0;
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", `${lane.agent}: [ and ] select its previous and next command`);
      row.title = lane.agent;
      row.style.top = `${i * rowH}px`;
      row.style.height = row.style.lineHeight = `${rowH}px`;
      row.textContent = lane.agent;
      return row;
    }),
  );

  const dpr = window.devicePixelRatio || 1;
  const devW = Math.round(plotW * dpr);
  const devH = Math.round(viewH * dpr);
  for (const c of [base, overlay]) {
    c.width = devW;
    c.height = devH;
    c.style.width = `${plotW}px`;
    c.style.height = `${viewH}px`;
  }
  const axisW = LABEL_W + plotW + MARGIN_RIGHT;
  axis.width = Math.round(axisW * dpr);
  axis.height = Math.round(AXIS_H * dpr);
  axis.style.width = `${axisW}px`;
  axis.style.height = `${AXIS_H}px`;
  const baseCtx = base.getContext("2d")!;
  const overlayCtx = overlay.getContext("2d")!;
  overlayCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const axisCtx = axis.getContext("2d")!;
  axisCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
  const image = baseCtx.createImageData(devW, devH);
  const pixels = new Uint32Array(image.data.buffer);

  const statePaints = (colours: Map<string, string>) => index.states.map((state) => statePaint(state, colours.get(state)));
  let paints = statePaints(input.colours);
  let [fromMs, toMs] = input.domain;
  let scrollTop = 0;
  let selected: number | null = null;
  let highlighted: ReadonlySet<number> = new Set();
  let cursorMs = 0;
  let pending = { base: false, overlay: false };
  let frame = 0;

  const view = (): RasterView => ({ width: devW, height: devH, scale: dpr, fromMs, toMs, scrollTop, geometry });

  const drawBase = (): void => {
    const stats = rasterLanes(pixels, index, view(), paints, TICK_PAINT, ROW_SHADE);
    baseCtx.putImageData(image, 0, 0);
    drawAxis();
    hooks.rowsDrawn = String(stats.rows);
    hooks.rejectedDrawn = String(stats.marks[TICK_KINDS.indexOf("rejected")]);
  };

  // The axis text's colour, for the contrast check (test/e2e/ui-a11y.test.ts reads what canvases paint).
  axis.dataset.textColour = CHART_TEXT.muted;
  const drawAxis = (): void => {
    axisCtx.clearRect(0, 0, axisW, AXIS_H);
    axisCtx.fillStyle = CHART_TEXT.muted;
    axisCtx.font = "11px system-ui, sans-serif";
    axisCtx.textAlign = "center";
    axisCtx.textBaseline = "top";
    axisCtx.fillRect(LABEL_W, 0, plotW, 1);
    for (const t of timeTicks(fromMs, toMs, Math.max(2, Math.floor(plotW / 80)))) {
      const x = LABEL_W + ((t - fromMs) / (toMs - fromMs)) * plotW;
      axisCtx.fillRect(Math.round(x), 0, 1, 5);
      // Centred under its tick, but kept inside the canvas at the run's end.
      const label = formatTime(t);
      const half = axisCtx.measureText(label).width / 2;
      axisCtx.fillText(label, Math.min(x, axisW - half - 1), 7);
    }
  };

  /** Where a tick's mark is drawn (CSS px in the view), or null when off screen. */
  const markBox = (seq: number): { x: number; y: number; w: number } | null => {
    const at = findTick(index, seq);
    if (!at) return null;
    const [r0, r1] = visibleRows(rows, view());
    const t = index.rows[at.row].tickT[at.tick];
    if (at.row < r0 || at.row > r1 || t < fromMs || t > toMs) return null;
    const w = TICK_STYLE[TICK_KINDS[index.rows[at.row].tickKind[at.tick]]].width;
    return { x: tickX(t, view()), y: at.row * rowH - scrollTop + geometry.tickTop + geometry.tickH / 2, w };
  };

  const drawOverlay = (): void => {
    overlayCtx.clearRect(0, 0, plotW, viewH);
    const box = (b: { x: number; y: number; w: number }, pad: number): void => overlayCtx.strokeRect(b.x - b.w / 2 - pad, b.y - geometry.tickH / 2 - pad, b.w + 2 * pad, geometry.tickH + 2 * pad);
    let drawn = 0;
    overlayCtx.strokeStyle = HIGHLIGHT_STROKE;
    overlayCtx.lineWidth = 2;
    for (const seq of highlighted) {
      const b = markBox(seq);
      if (!b) continue;
      box(b, 1.5);
      drawn++;
    }
    const sel = selected === null ? null : markBox(selected);
    if (sel) {
      overlayCtx.strokeStyle = SELECTED_STROKE;
      overlayCtx.lineWidth = 2;
      box(sel, 2.5);
      overlayCtx.fillStyle = SELECTED_STROKE;
      overlayCtx.fillRect(sel.x - 0.5, sel.y + geometry.tickH / 2 + 2.5, 1, rowH - geometry.tickTop - geometry.tickH - 3);
    }
    hooks.highlightedDrawn = String(drawn);
    hooks.selectedDrawn = String(sel !== null);
    // Where the selected tick is drawn (CSS px from the view's top left), for tests and tooling.
    hooks.selectedX = sel ? sel.x.toFixed(1) : "";
    hooks.selectedY = sel ? sel.y.toFixed(1) : "";
  };

  const schedule = (all: boolean): void => {
    pending = { base: pending.base || all, overlay: true };
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const p = pending;
      pending = { base: false, overlay: false };
      if (p.base) drawBase();
      if (p.overlay) drawOverlay();
    });
  };

  const placeCursor = (): void => {
    const shown = cursorMs >= fromMs && cursorMs <= toMs;
    cursorLine.style.visibility = shown ? "" : "hidden";
    if (shown) cursorLine.style.transform = `translateX(${(((cursorMs - fromMs) / (toMs - fromMs)) * plotW).toFixed(1)}px)`;
  };

  /** The row and x (CSS px in the view) under a mouse event. */
  const at = (e: MouseEvent): { row: number; x: number; y: number } => {
    const rect = overlay.getBoundingClientRect();
    const y = e.clientY - rect.top;
    return { row: Math.floor((y + scrollTop) / rowH), x: e.clientX - rect.left, y: (y + scrollTop) % rowH };
  };

  overlay.addEventListener("click", (e) => {
    const p = at(e);
    const lane = index.rows[p.row];
    const seq = lane ? tickAt(lane, p.x, view(), TICK_PAINT, HIT_PX) : -1;
    if (seq >= 0) onSelect(seq);
  });
  overlay.addEventListener("mousemove", (e) => {
    const p = at(e);
    const lane = index.rows[p.row];
    let text = "";
    const seq = lane ? tickAt(lane, p.x, view(), TICK_PAINT, HIT_PX) : -1;
    if (seq >= 0) text = describeEvent(index.log[seq], index.log);
    else if (lane && p.y >= geometry.bandTop) {
      const t = fromMs + (p.x / plotW) * (toMs - fromMs);
      const k = upperBound(lane.bandFrom, t) - 1;
      if (k >= 0 && t < bandEnd(index, lane, k)) text = `${lane.agent}: ${index.states[lane.bandState[k]]} ${formatTime(lane.bandFrom[k])} – ${formatTime(bandEnd(index, lane, k))}`;
    }
    overlay.style.cursor = seq >= 0 ? "pointer" : "grab";
    tip.hidden = text === "";
    if (text === "") return;
    tip.textContent = text;
    // Below the row, or above it at the bottom of the view; never wider than half the view (CSS).
    const below = (p.row + 1) * rowH - scrollTop + 2;
    tip.style.transform = `translate(${Math.max(0, Math.min(p.x + 12, plotW / 2))}px, ${below + 22 > viewH ? below - rowH - 24 : below}px)`;
  });
  overlay.addEventListener("mouseleave", () => {
    tip.hidden = true;
  });
  scroll.addEventListener("scroll", () => {
    scrollTop = scroll.scrollTop;
    tip.hidden = true;
    schedule(true);
  });

  // Synchronously, so the first frame and tests see the lanes at once.
  drawBase();
  drawOverlay();

  return {
    kind: "canvas",
    zoomArea: { element: overlay, left: 0, width: plotW, height: viewH },
    update(_change, colours) {
      paints = statePaints(colours);
      schedule(true);
    },
    setDomain(from, to) {
      fromMs = from;
      toMs = to;
      placeCursor();
      schedule(true);
    },
    mark(sel, hl) {
      selected = sel;
      highlighted = hl;
      schedule(false);
    },
    cursor(ms) {
      cursorMs = ms;
      placeCursor();
    },
    scrollRows: (to) => scrollRowsIn(scroll, rowH, viewH, to),
    destroy() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
