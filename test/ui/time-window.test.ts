// The time panels' shared zoom window (ui/views/time-scale-shared.ts): clamped to the run, at
// least a second wide, null for the whole run; keyboard zoom keeps the cursor's place.
import { describe, expect, it } from "vitest";
import { clampWindow, visibleWindow, WINDOW_MS_MIN, zoomWindow } from "../../ui/views/time-scale-shared.js";

describe("time window", () => {
  it("clamps, orders and widens a dragged range; the whole run is null", () => {
    expect(clampWindow(5000, 2000, 10_000)).toEqual({ fromMs: 2000, toMs: 5000 });
    expect(clampWindow(-50, 20_000, 10_000)).toBeNull();
    expect(clampWindow(3000, 3100, 10_000)).toEqual({ fromMs: 2550, toMs: 2550 + WINDOW_MS_MIN });
    expect(clampWindow(9900, 9950, 10_000)).toEqual({ fromMs: 9000, toMs: 10_000 });
  });

  it("zooms about a time and back out to the whole run", () => {
    const whole = { fromMs: 0, toMs: 10_000 };
    const inWindow = zoomWindow(whole, 0.5, 2500, 10_000)!;
    expect(inWindow.toMs - inWindow.fromMs).toBe(5000);
    // 2500 stays a quarter of the way in.
    expect((2500 - inWindow.fromMs) / (inWindow.toMs - inWindow.fromMs)).toBeCloseTo(0.25, 5);
    expect(zoomWindow(inWindow, 2, 2500, 10_000)).toBeNull();
  });

  it("ignores a window that does not fit the run", () => {
    const run = { durationMs: 10_000 } as never;
    expect(visibleWindow({ run, timeWindow: { fromMs: 20_000, toMs: 30_000 } })).toEqual({ fromMs: 0, toMs: 10_000 });
    expect(visibleWindow({ run, timeWindow: { fromMs: 1000, toMs: 4000 } })).toEqual({ fromMs: 1000, toMs: 4000 });
    expect(visibleWindow({ run, timeWindow: null })).toEqual({ fromMs: 0, toMs: 10_000 });
  });
});
