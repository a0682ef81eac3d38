// The canvas lanes' rasteriser and hit test (ui/views/lanes-raster.ts), on plain pixel buffers:
// per pixel column the most important tick and the right state win, and a click selects what is
// drawn where it lands.
import { describe, expect, it } from "vitest";
import type { EventRecord } from "../../sim/log/record.js";
import type { RunPayload } from "../../ui/model/payload.js";
import { indexLanes, TICK_KINDS } from "../../ui/views/lanes-model.js";
import { laneGeometry, rasterLanes, tickAt, tickX, type RasterView } from "../../ui/views/lanes-raster.js";
import { pixelOf, RESERVED, statePaint, TICK_PAINT as TICKS, TICK_STYLE } from "../../ui/views/lanes-style.js";

const RED = pixelOf(TICK_STYLE.rejected.stroke);
const BLUE = pixelOf(TICK_STYLE.change.fill);
const SHADE = pixelOf("#f3f5f7");

function record(seq: number, t: number, actor: string, type: string, data: EventRecord["data"] = {}): EventRecord {
  return { seq, t, actor, type, data, causes: [], prev: "", hash: "" };
}

/** 200 px for 10 s: 50 ms per px. Agent a thrashes (a change every 10 ms) with one rejected command among them. */
function setup() {
  const log: EventRecord[] = [];
  for (let t = 0; t < 10_000; t += 10) log.push(record(log.length, t, "a", t === 5_000 ? "command.rejected" : "replicas.scaled", { knob: "replicas", from: 1, to: 2 }));
  log.push(record(log.length, 9_000, "b", "replicas.scaled", { knob: "replicas", from: 1, to: 2 }));
  // b: ok, crashed for 10 ms (a fifth of a pixel), ok; and flips idle/busy every 20 ms from 6 s.
  const agentStates = [
    { t: 0, agent: "a", state: "ok" },
    { t: 0, agent: "b", state: "ok" },
    { t: 2_000, agent: "b", state: "crashed" },
    { t: 2_010, agent: "b", state: "ok" },
  ];
  for (let t = 6_000; t < 7_000; t += 20) agentStates.push({ t, agent: "b", state: t % 40 === 0 ? "busy" : "ok" });
  const run = { runId: 1, complete: true, reachedMs: 10_000, durationMs: 10_000, agents: ["a", "b"], log, agentStates } as unknown as RunPayload;
  const index = indexLanes(run);
  const states = index.states.map((s) => statePaint(s, s === "busy" ? "#fdd49e" : "#a6cee3"));
  const view: RasterView = { width: 200, height: 68, scale: 1, fromMs: 0, toMs: 10_000, scrollTop: 0, geometry: laneGeometry(34) };
  const pixels = new Uint32Array(view.width * view.height);
  return { index, states, view, pixels, rejectedSeq: 500 };
}

const column = (pixels: Uint32Array, view: RasterView, x: number, y0: number, y1: number): number[] => Array.from({ length: y1 - y0 }, (_, i) => pixels[(y0 + i) * view.width + x]);

describe("lanes raster", () => {
  it("draws a rejected command over the applied ones sharing its pixel column", () => {
    const { index, states, view, pixels } = setup();
    const stats = rasterLanes(pixels, index, view, states, TICKS, SHADE);
    expect(stats.rows).toBe(2);
    expect(stats.marks[TICK_KINDS.indexOf("rejected")]).toBe(1);
    const g = view.geometry;
    // t = 5000 ms is column 100: the red outline's left and right edges around a white middle.
    const x = Math.floor(tickX(5_000, view));
    expect(x).toBe(100);
    const mid = g.tickTop + 5;
    expect(pixels[mid * view.width + x - 2]).toBe(RED);
    expect(pixels[mid * view.width + x]).toBe(pixelOf("#ffffff"));
    expect(pixels[mid * view.width + x + 2]).toBe(RED);
    expect(column(pixels, view, x, g.tickTop, g.tickTop + 1)).toEqual([RED]);
    // Elsewhere the row is solid applied-change blue.
    expect(pixels[mid * view.width + 50]).toBe(BLUE);
  });

  it("gives a reserved state every column it touches and others the state at the column's centre", () => {
    const { index, states, view, pixels } = setup();
    rasterLanes(pixels, index, view, states, TICKS, SHADE);
    const y = 34 + view.geometry.bandTop + 3;
    const at = (x: number) => pixels[y * view.width + x];
    // 10 ms of crashed at 2 s (column 40) still shows, in its colours, not b's "ok".
    expect([pixelOf(RESERVED.crashed.fill), pixelOf(RESERVED.crashed.stripe)]).toContain(at(40));
    expect(at(39)).toBe(pixelOf("#a6cee3"));
    // From 6 s b flips every 20 ms: each 50 ms column shows one of the two, never a blend.
    for (let x = 120; x < 140; x++) expect([pixelOf("#a6cee3"), pixelOf("#fdd49e")]).toContain(at(x));
    // Odd rows are shaded where nothing is drawn (b's tick strip before its only tick).
    expect(pixels[(34 + view.geometry.tickTop + 2) * view.width + 10]).toBe(SHADE);
  });

  it("draws only the rows in view when scrolled", () => {
    const { index, states, view, pixels } = setup();
    const stats = rasterLanes(pixels, index, { ...view, height: 20, scrollTop: 40 }, states, TICKS, SHADE);
    expect(stats.rows).toBe(1);
    expect(stats.marks[TICK_KINDS.indexOf("rejected")]).toBe(0);
  });

  it("clicks select the mark drawn on top, else the nearest tick within the tolerance", () => {
    const { index, view, rejectedSeq } = setup();
    const [a, b] = index.rows;
    // On the rejected mark (and a pixel beside its centre): the rejected command, not the changes under it.
    expect(tickAt(a, tickX(5_000, view), view, TICKS, 4)).toBe(rejectedSeq);
    expect(tickAt(a, tickX(5_000, view) + 1.5, view, TICKS, 4)).toBe(rejectedSeq);
    // b's only tick at 9 s (x 180.5): 3 px away is within the tolerance, 6 px is not.
    expect(tickAt(b, 183.5, view, TICKS, 4)).toBe(index.log.length - 1);
    expect(tickAt(b, 186.5, view, TICKS, 4)).toBe(-1);
    // Zoomed in 100x around 5 s, the neighbours are 20 px apart and each selects itself.
    const zoomed = { ...view, fromMs: 4_950, toMs: 5_050 };
    expect(tickAt(a, tickX(4_990, zoomed), zoomed, TICKS, 4)).toBe(499);
    expect(tickAt(a, tickX(5_010, zoomed), zoomed, TICKS, 4)).toBe(501);
  });
});
