// The colours the time views paint, in one place so tests can check them: a series palette whose
// lines keep 3:1 against the panel and whose colours stay apart (CIEDE2000), the lanes' light
// state colours (dark text on them), and the finding strip's band colours.

/** The panels' background (styles.css --panel): what chart lines and legend swatches sit on. */
export const PANEL_BACKGROUND = "#f6f8fa";

/**
 * One colour per plotted component (by its index in the telemetry). Chosen for >= 3:1 against
 * PANEL_BACKGROUND and white (WCAG 1.4.11, graphical objects) and a CIEDE2000 difference >= 15
 * between any two (test/ui/chart-palette.test.ts); d3's Tableau10 has five colours under 3:1.
 */
export const SERIES_COLOURS: readonly string[] = ["#1f77b4", "#8a6d00", "#e7298a", "#1b9e77", "#5d4037", "#6a3d9a", "#e41a1c", "#7f7f7f", "#00838f", "#b07aa1"];

/** The series colour of the component at `index` in the telemetry. Pure. */
export function seriesColour(index: number): string {
  return SERIES_COLOURS[((index % SERIES_COLOURS.length) + SERIES_COLOURS.length) % SERIES_COLOURS.length];
}

/**
 * Light colours for the lanes' ordinary machine states (dark text and ticks stay readable on
 * them, >= 7:1 against #1b1f24), ordered so that consecutive ones — states met one after the
 * other, often in the same lane — differ most. Picked greedily (max-min CIEDE2000) from
 * ColorBrewer's light schemes: the first 12 differ pairwise by >= 11.5, all 18 by >= 8 (the
 * previous palette had pairs at 1.2, indistinguishable); dynamodb-dns-race has 15 such states.
 */
export const LANE_STATE_COLOURS: readonly string[] = ["#a6cee3", "#ffd92f", "#fb9a99", "#c7e9c0", "#fdae6b", "#decbe4", "#f1e2cc", "#a6d854", "#66c2a5", "#b3b3b3", "#ffff99", "#fc8d62", "#cbd5e8", "#fdcdac", "#bcbddc", "#e5c494", "#80b1d3", "#d9d9d9"];

/** The finding strip's band fills by severity, and the fault and annotation marks (styles.css uses the same). */
export const STRIP_COLOURS = {
  critical: "#cf222e",
  warning: "#9a6700",
  info: "#0969da",
  /** A fault's outline (its fill is a light grey under dark text). */
  fault: "#57606a",
  log: "#1f6feb",
  noSuccess: "#b42318",
} as const;

/** Text the charts draw (axis labels, legends): the app's --fg and --muted. */
export const CHART_TEXT = { fg: "#1b1f24", muted: "#57606a" } as const;
