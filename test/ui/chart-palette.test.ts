// The colours the time views paint: series lines keep WCAG 3:1 against the panel and differ
// clearly from each other; the lanes' state colours differ clearly (CIEDE2000), most of all
// between consecutive ones, and keep dark text readable.
import { describe, expect, it } from "vitest";
import { CHART_TEXT, LANE_STATE_COLOURS, PANEL_BACKGROUND, SERIES_COLOURS, STRIP_COLOURS } from "../../ui/views/chart-palette.js";
import { contrastRatio, deltaE2000, deltaE2000Lab, minPairwiseDelta } from "../../ui/views/colour.js";
import { colourStates } from "../../ui/views/lanes-style.js";

describe("chart palettes", () => {
  it("computes CIEDE2000 and WCAG contrast as published", () => {
    // Sharma, Wu and Dalal (2005), test pairs 1 and 17.
    expect(deltaE2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485])).toBeCloseTo(2.0425, 3);
    expect(deltaE2000Lab([50, 2.5, 0], [73, 25, -18])).toBeCloseTo(27.1492, 3);
    expect(contrastRatio("#ffffff", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
    expect(deltaE2000("#123456", "#123456")).toBe(0);
  });

  it("series colours: >= 3:1 against the panel and white, any two CIEDE2000 >= 15", () => {
    for (const c of SERIES_COLOURS) {
      expect(contrastRatio(c, PANEL_BACKGROUND), c).toBeGreaterThanOrEqual(3);
      expect(contrastRatio(c, "#ffffff"), c).toBeGreaterThanOrEqual(3);
    }
    expect(minPairwiseDelta(SERIES_COLOURS)).toBeGreaterThanOrEqual(15);
  });

  it("lane state colours: the first 12 differ by CIEDE2000 >= 11.5, all 18 by >= 8, consecutive ones >= 19, dark text at 7:1 on each", () => {
    expect(LANE_STATE_COLOURS.length).toBeGreaterThanOrEqual(18);
    expect(minPairwiseDelta(LANE_STATE_COLOURS.slice(0, 12))).toBeGreaterThanOrEqual(11.5);
    expect(minPairwiseDelta(LANE_STATE_COLOURS)).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < LANE_STATE_COLOURS.length; i++) expect(deltaE2000(LANE_STATE_COLOURS[i - 1], LANE_STATE_COLOURS[i]), `${i}`).toBeGreaterThanOrEqual(19);
    for (const c of LANE_STATE_COLOURS) expect(contrastRatio(c, CHART_TEXT.fg), c).toBeGreaterThanOrEqual(7);
    // The lanes use this palette for ordinary states, in order of appearance.
    const colours = colourStates(["idle", "crashed", "watching", "acting"]);
    expect([colours.get("idle"), colours.get("watching"), colours.get("acting")]).toEqual(LANE_STATE_COLOURS.slice(0, 3));
  });

  it("strip marks are visible (3:1) against the panel", () => {
    for (const [mark, c] of Object.entries(STRIP_COLOURS)) {
      expect(contrastRatio(c, PANEL_BACKGROUND), mark).toBeGreaterThanOrEqual(3);
    }
    expect(contrastRatio(CHART_TEXT.muted, PANEL_BACKGROUND)).toBeGreaterThanOrEqual(4.5);
  });
});
