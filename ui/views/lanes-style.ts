// How the agent lanes look, shared by the SVG and canvas renderers and the legend: a colour per
// state (crashed and blocked reserved, with a stripe pattern), and a shape per tick kind.
import { TICK_KINDS, type TickKind } from "./lanes-model.js";
import type { StatePaint, TickPaint } from "./lanes-raster.js";
import { LANE_STATE_COLOURS } from "./chart-palette.js";

/** States drawn with fixed, reserved colours and diagonal stripes so they never look like others. */
export const RESERVED: Record<string, { fill: string; stripe: string; pattern: string; direction: 1 | -1 }> = {
  crashed: { fill: "#1b1f24", stripe: "#f85149", pattern: "lanes-crashed", direction: 1 },
  blocked: { fill: "#c2410c", stripe: "#fde68a", pattern: "lanes-blocked", direction: -1 },
};

/** Light categorical colours for ordinary states (chart-palette.ts: distinct, dark text readable on them). */
const PALETTE = LANE_STATE_COLOURS;

/** A tick's shape: width in CSS px, fill, and an outline when `stroke` differs from the fill. */
export interface TickStyle {
  label: string;
  fill: string;
  stroke: string;
  /** Outline dashed (suppressed: it never reached the world). */
  dashed: boolean;
  width: number;
  /** SVG stroke width (0: no outline). */
  strokeWidth: number;
}

export const TICK_STYLE: Record<TickKind, TickStyle> = {
  change: { label: "knob change", fill: "#0b5cad", stroke: "#0b5cad", dashed: false, width: 3, strokeWidth: 0 },
  document: { label: "document write", fill: "#6f42c1", stroke: "#6f42c1", dashed: false, width: 5, strokeWidth: 1.5 },
  rejected: { label: "rejected", fill: "#ffffff", stroke: "#b42318", dashed: false, width: 5, strokeWidth: 1.5 },
  held: { label: "held", fill: "#ffffff", stroke: "#9a6700", dashed: false, width: 5, strokeWidth: 1.5 },
  suppressed: { label: "suppressed", fill: "#ffffff", stroke: "#57606a", dashed: true, width: 5, strokeWidth: 1.5 },
  duplicate: { label: "duplicate", fill: "#d0d7de", stroke: "#57606a", dashed: false, width: 4, strokeWidth: 1.5 },
  other: { label: "other", fill: "#57606a", stroke: "#57606a", dashed: false, width: 2, strokeWidth: 0 },
};

/** Selection and highlight marks (the same in both renderers). */
export const SELECTED_STROKE = "#1b1f24";
export const HIGHLIGHT_STROKE = "#d4a72c";

/** A colour per state name, in the given order (first appearance); reserved states get theirs. Pure. */
export function colourStates(states: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  let ordinary = 0;
  for (const s of states) {
    if (colours.has(s)) continue;
    colours.set(s, RESERVED[s]?.fill ?? PALETTE[ordinary++ % PALETTE.length]);
  }
  return colours;
}

/** `#rrggbb` as a little-endian RGBA pixel (0xAABBGGRR), opaque, for ImageData's Uint32 view. Pure. */
export function pixelOf(hex: string): number {
  const v = parseInt(hex.slice(1), 16);
  return (0xff000000 | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

/** The tick styles as raster paints, indexed like TICK_KINDS. */
export const TICK_PAINT: readonly TickPaint[] = TICK_KINDS.map((k) => {
  const s = TICK_STYLE[k];
  return { width: s.width, fill: pixelOf(s.fill), stroke: s.strokeWidth > 0 && s.stroke !== s.fill ? pixelOf(s.stroke) : null, dashed: s.dashed };
});

/** A state's raster paint: reserved states striped, others in `colour`. Pure. */
export function statePaint(state: string, colour: string | undefined): StatePaint {
  const r = RESERVED[state];
  return r ? { fill: pixelOf(r.fill), stripe: pixelOf(r.stripe), direction: r.direction } : { fill: pixelOf(colour ?? "#d9d9d9"), direction: 1 };
}
