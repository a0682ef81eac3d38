// Time zoom for the agent lanes (d3-zoom on x only): wheel zooms time about the pointer, a drag
// pans time (and reports its vertical move so the rows can scroll), double-click resets. Survives
// a change of renderer or width: the visible time domain is kept, not the pixel transform.
import { scaleLinear } from "d3-scale";
import { select } from "d3-selection";
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from "d3-zoom";

/** Narrowest visible span: a second (records are at ms, agents act on seconds). */
const SPAN_MS_MIN = 1000;

/** Where the plot is inside the element wheel and drag events land on (CSS px). */
export interface ZoomArea {
  element: Element;
  left: number;
  width: number;
  height: number;
}

export interface TimeZoom {
  /** Listens on `area.element` (detaching from the previous one), showing the same time domain. */
  attach(area: ZoomArea): void;
  /** Sets the run's duration and resets the zoom. */
  setDuration(durationMs: number): void;
  /** The visible time domain [fromMs, toMs]. */
  domain(): [number, number];
  /** Zoom factor (1: the whole run). */
  k(): number;
  /** Back to the whole run. */
  reset(): void;
  /** Pans (without zooming) so `tMs` is on screen, centred, if it is not. */
  reveal(tMs: number): void;
  /** Shows [fromMs, toMs] (another time panel's zoom). */
  show(fromMs: number, toMs: number): void;
}

/**
 * A time zoom; `onChange` runs on every zoom or pan (synchronously: callers batch drawing), and
 * `onPanRows(dy)` with the vertical part of a drag.
 */
export function createTimeZoom(onChange: () => void, onPanRows: (dy: number) => void): TimeZoom {
  let durationMs = 1;
  let area: ZoomArea | undefined;
  let transform: ZoomTransform = zoomIdentity;
  const x0 = scaleLinear();

  const behaviour: ZoomBehavior<Element, unknown> = d3zoom<Element, unknown>()
    .filter((e: MouseEvent) => {
      if (e.button || (e.type !== "wheel" && e.type !== "mousedown")) return false;
      // Only over the plot: the row labels stay ordinary (focus, wheel scrolls).
      const rect = (e.currentTarget as Element).getBoundingClientRect();
      return area !== undefined && e.clientX - rect.left >= area.left;
    })
    .on("zoom", (e: { transform: ZoomTransform; sourceEvent: Event | null }) => {
      if (e.sourceEvent?.type === "mousemove") onPanRows(e.transform.y - transform.y);
      transform = e.transform;
      onChange();
    });

  /** The transform showing [from, to] on the current area. */
  const transformFor = (from: number, to: number): ZoomTransform => {
    if (!area) return zoomIdentity;
    const k = Math.max(1, durationMs / Math.max(SPAN_MS_MIN, to - from));
    return zoomIdentity.translate(area.left - k * x0(from), 0).scale(k);
  };

  const configure = (): void => {
    if (!area) return;
    x0.domain([0, durationMs]).range([area.left, area.left + area.width]);
    const ends: [[number, number], [number, number]] = [
      [area.left, 0],
      [area.left + area.width, area.height],
    ];
    behaviour.extent(ends).translateExtent([
      [area.left, -Infinity],
      [area.left + area.width, Infinity],
    ]);
    behaviour.scaleExtent([1, Math.max(1, durationMs / SPAN_MS_MIN)]);
  };

  const apply = (t: ZoomTransform): void => {
    if (!area) return;
    select(area.element).call(behaviour.transform, t);
  };

  const domain = (): [number, number] => {
    if (!area) return [0, durationMs];
    const [a, b] = transform.rescaleX(x0).domain();
    return [Math.max(0, a), Math.min(durationMs, b)];
  };

  return {
    attach(next) {
      const shown = domain();
      if (area && area.element !== next.element) select(area.element).on(".zoom", null);
      area = next;
      configure();
      transform = transformFor(shown[0], shown[1]);
      select(next.element).call(behaviour).on("dblclick.zoom", () => apply(zoomIdentity));
      select(next.element).property("__zoom", transform);
    },
    setDuration(ms) {
      durationMs = Math.max(1, ms);
      configure();
      transform = zoomIdentity;
      if (area) select(area.element).property("__zoom", transform);
    },
    domain,
    k: () => transform.k,
    reset: () => apply(zoomIdentity),
    show(fromMs, toMs) {
      apply(transformFor(fromMs, toMs));
    },
    reveal(tMs) {
      const [from, to] = domain();
      if (tMs >= from && tMs <= to) return;
      const half = (to - from) / 2;
      const start = Math.max(0, Math.min(durationMs - 2 * half, tMs - half));
      apply(transformFor(start, start + 2 * half));
    },
  };
}
