// The agent lanes as SVG, for complete small runs (lanes.ts picks it at most LANES_SVG_ITEMS_MAX
// ticks + bands): a <rect> with a <title> per state band and per command tick, so every tick is a
// DOM node that tests, tooltips and assistive tech reach directly. Zoom moves the existing nodes.
import { axisBottom } from "d3-axis";
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { formatTime } from "../../sim/core/units.js";
import { describeEvent } from "../../sim/cli/summary.js";
import { bandEnd, TICK_KINDS } from "./lanes-model.js";
import { laneGeometry } from "./lanes-raster.js";
import { AXIS_H, LABEL_W, MARGIN_RIGHT, rowHeightFor, scrollRowsIn, type LanesInput, type LanesRenderer } from "./lanes-renderer.js";
import { RESERVED, TICK_STYLE } from "./lanes-style.js";
import { timeTicks } from "./lanes-time.js";
import { keepTickLabelsInside } from "./time-scale-shared.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const TICK_NUDGE_MAX = 8;

/** Builds the SVG lanes into `host` (replacing its content). */
export function createSvgLanes(host: HTMLElement, input: LanesInput): LanesRenderer {
  const { index, width, onSelect } = input;
  const colours = input.colours;
  const plotW = Math.max(40, width - LABEL_W - MARGIN_RIGHT);
  const x = scaleLinear().domain(input.domain).range([LABEL_W, LABEL_W + plotW]);
  const rowH = rowHeightFor(index.rows.length);
  const geometry = laneGeometry(rowH);
  const rowsH = index.rows.length * rowH;

  const scroll = document.createElement("div");
  scroll.className = "lanes-scroll";
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(rowsH + AXIS_H));
  svg.setAttribute("role", "group");
  svg.setAttribute("aria-label", "Agent states and commands over time");
  const stripe = (name: string, angle: number): string => {
    const r = RESERVED[name];
    return `<pattern id="${r.pattern}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(${angle})"><rect width="6" height="6" fill="${r.fill}"/><line x1="0" y1="0" x2="0" y2="6" stroke="${r.stripe}" stroke-width="2"/></pattern>`;
  };
  // The clip is in each row's own coordinates, so one serves every row.
  svg.innerHTML = `<defs>${stripe("crashed", 45)}${stripe("blocked", -45)}<clipPath id="lanes-plot-clip"><rect x="${LABEL_W}" y="0" width="${plotW}" height="${rowH}"/></clipPath></defs>`;

  const bandEls: SVGRectElement[][] = [];
  const tickEls: SVGRectElement[][] = [];
  const ticksBySeq = new Map<number, SVGRectElement>();
  index.rows.forEach((lane, i) => {
    const g = document.createElementNS(SVG_NS, "g");
    g.dataset.agent = lane.agent;
    g.setAttribute("transform", `translate(0,${i * rowH})`);
    g.setAttribute("tabindex", "0");
    g.setAttribute("role", "group");
    g.setAttribute("aria-label", `${lane.agent}: [ and ] select its previous and next command`);
    g.classList.add("lanes-row");
    const label = document.createElementNS(SVG_NS, "text");
    label.setAttribute("x", "4");
    label.setAttribute("y", String(rowH / 2 + 4));
    label.textContent = lane.agent.length > 15 ? `${lane.agent.slice(0, 14)}…` : lane.agent;
    label.classList.add("lanes-label");
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = lane.agent;
    label.append(title);
    // Bands first, so ticks are drawn over them; both clipped to the plot when zoomed.
    const plot = document.createElementNS(SVG_NS, "g");
    plot.setAttribute("clip-path", "url(#lanes-plot-clip)");
    bandEls.push(bandNodes(i));
    tickEls.push(tickNodes(i));
    plot.append(...bandEls[i], ...tickEls[i]);
    g.append(label, plot);
    svg.append(g);
  });

  /** Row `row`'s band nodes (unplaced). */
  function bandNodes(row: number): SVGRectElement[] {
    const lane = index.rows[row];
    const nodes: SVGRectElement[] = [];
    for (let k = 0; k < lane.bandFrom.length; k++) {
      const state = index.states[lane.bandState[k]];
      const to = bandEnd(index, lane, k);
      if (to <= lane.bandFrom[k]) continue;
      const rect = document.createElementNS(SVG_NS, "rect");
      rect.setAttribute("y", String(geometry.bandTop));
      rect.setAttribute("height", String(geometry.bandH));
      rect.setAttribute("fill", RESERVED[state] ? `url(#${RESERVED[state].pattern})` : colours.get(state)!);
      rect.dataset.state = state;
      rect.dataset.from = String(lane.bandFrom[k]);
      rect.dataset.to = String(to);
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = `${lane.agent}: ${state} ${formatTime(lane.bandFrom[k])} – ${formatTime(to)}`;
      rect.append(title);
      nodes.push(rect);
    }
    return nodes;
  }

  /** Row `row`'s tick nodes (unplaced), indexed like its ticks. */
  function tickNodes(row: number): SVGRectElement[] {
    const lane = index.rows[row];
    const nodes: SVGRectElement[] = [];
    for (let k = 0; k < lane.tickT.length; k++) {
      const kind = TICK_KINDS[lane.tickKind[k]];
      const style = TICK_STYLE[kind];
      const r = index.log[lane.tickSeq[k]];
      const rect = document.createElementNS(SVG_NS, "rect");
      rect.setAttribute("y", String(geometry.tickTop));
      rect.setAttribute("width", String(style.width));
      rect.setAttribute("height", String(geometry.tickH));
      rect.setAttribute("fill", style.fill);
      rect.setAttribute("stroke", style.stroke);
      rect.setAttribute("stroke-width", String(style.strokeWidth));
      if (style.dashed) rect.setAttribute("stroke-dasharray", "2 1");
      rect.dataset.seq = String(r.seq);
      rect.dataset.kind = kind;
      rect.dataset.type = r.type;
      rect.dataset.t = String(r.t);
      rect.classList.add("lanes-tick");
      const title = document.createElementNS(SVG_NS, "title");
      title.textContent = describeEvent(r, index.log);
      rect.append(title);
      nodes.push(rect);
      ticksBySeq.set(r.seq, rect);
    }
    return nodes;
  }

  const axis = document.createElementNS(SVG_NS, "g");
  axis.setAttribute("transform", `translate(0,${rowsH + 2})`);
  axis.classList.add("lanes-axis");
  const cursorLine = document.createElementNS(SVG_NS, "line");
  cursorLine.setAttribute("y1", "0");
  cursorLine.setAttribute("y2", String(rowsH));
  cursorLine.classList.add("lanes-cursor");
  cursorLine.dataset.testid = "lanes-cursor";
  svg.append(axis, cursorLine);

  /** Places every node and the axis for the current domain. */
  const layout = (): void => {
    index.rows.forEach((lane, row) => {
      for (const rect of bandEls[row]) {
        const from = x(Number(rect.dataset.from));
        rect.setAttribute("x", String(from));
        rect.setAttribute("width", String(Math.max(1, x(Number(rect.dataset.to)) - from)));
      }
      // Commands at the same instant would hide each other: each is nudged right of the previous
      // one in its row, by at most TICK_NUDGE_MAX px, so every tick stays clickable nearby.
      let rightEdge = -Infinity;
      tickEls[row].forEach((rect, k) => {
        const w = TICK_STYLE[TICK_KINDS[lane.tickKind[k]]].width;
        const exact = x(lane.tickT[k]) - w / 2;
        const free = rightEdge + 0.5;
        const left = free > exact && free - exact <= TICK_NUDGE_MAX ? free : exact;
        rightEdge = Math.max(rightEdge, left + w);
        rect.setAttribute("x", String(left));
      });
    });
    select(axis).call(
      axisBottom(x)
        .tickValues(timeTicks(x.domain()[0], x.domain()[1], Math.max(2, Math.floor(plotW / 80))))
        .tickFormat((d) => formatTime(Number(d))),
    );
    keepTickLabelsInside(axis, LABEL_W, LABEL_W + plotW);
  };
  layout();

  svg.addEventListener("click", (e) => {
    const seq = (e.target as Element).closest?.("[data-seq]")?.getAttribute("data-seq");
    if (seq != null) onSelect(Number(seq));
  });

  scroll.append(svg);
  host.replaceChildren(scroll);

  let selected: number | null = null;
  let highlighted: ReadonlySet<number> = new Set();
  let cursorMs = 0;
  const placeCursor = (): void => {
    const [from, to] = x.domain();
    const shown = cursorMs >= from && cursorMs <= to;
    cursorLine.style.visibility = shown ? "" : "hidden";
    if (!shown) return;
    const cx = String(x(cursorMs));
    cursorLine.setAttribute("x1", cx);
    cursorLine.setAttribute("x2", cx);
  };

  const mark = (sel: number | null, hl: ReadonlySet<number>): void => {
    if (selected !== null) ticksBySeq.get(selected)?.removeAttribute("data-selected");
    for (const seq of highlighted) ticksBySeq.get(seq)?.removeAttribute("data-highlighted");
    selected = sel;
    highlighted = hl;
    if (selected !== null) ticksBySeq.get(selected)?.setAttribute("data-selected", "true");
    for (const seq of highlighted) ticksBySeq.get(seq)?.setAttribute("data-highlighted", "true");
  };

  return {
    kind: "svg",
    zoomArea: { element: svg, left: LABEL_W, width: plotW, height: rowsH },
    setDomain(from, to) {
      x.domain([from, to]);
      layout();
      placeCursor();
    },
    mark,
    cursor(ms) {
      cursorMs = ms;
      placeCursor();
    },
    scrollRows: (to) => scrollRowsIn(scroll, rowH, scroll.clientHeight, to),
    destroy() {},
  };
}
