// Which series the compare and what-if overlay shows first: the one whose two runs differ most.
import { describe, expect, it } from "vitest";
import type { TelemetryPayload } from "../../ui/model/payload.js";
import { overlayCandidates } from "../../ui/views/compare-overlay.js";

/** Telemetry of components x signals from per-sample rows: rows[r][c][s]. */
function telemetry(componentIds: string[], signalNames: string[], rows: number[][][]): TelemetryPayload {
  const width = componentIds.length * signalNames.length;
  const values = new Float32Array(rows.length * width);
  rows.forEach((row, r) => row.forEach((signals, c) => signals.forEach((v, s) => (values[r * width + c * signalNames.length + s] = v))));
  return { componentIds, signalNames, count: rows.length, times: Float64Array.from(rows, (_, r) => r * 1000), values };
}

describe("overlayCandidates", () => {
  const signals = ["errorRate", "replicas", "costPerHour"];
  const a = telemetry(["web", "db"], signals, [
    [[0, 4, 1], [0, 2, 1]],
    [[1, 4, 1], [0, 2, 1]],
    [[1, 4, 1], [0, 2, 1]],
  ]);
  const b = telemetry(["web", "db"], signals, [
    [[0, 4, 1], [0, 2, 1]],
    [[0, 6, 1], [0, 2, 1]],
    [[0, 6, 1], [0, 2, 1]],
  ]);

  it("puts the most different series first, drops all-zero ones and signals it does not offer", () => {
    const c = overlayCandidates(a, b);
    expect(c.map((x) => `${x.component}.${x.signal}`)).toEqual(["web.errorRate", "web.replicas", "db.replicas"]);
    expect(c[0].difference).toBeCloseTo(2 / 3);
    expect(c[1].difference).toBeCloseTo(4 / 18);
    expect(c[2].difference).toBe(0);
  });

  it("finds nothing different between a run and itself", () => {
    expect(overlayCandidates(a, a).every((x) => x.difference === 0)).toBe(true);
  });
});
