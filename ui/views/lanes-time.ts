// Round time-axis ticks for the time views (lanes, causal graph): whole seconds, minutes or hours.

const TICK_STEPS_MS = [1e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3, 900e3, 1_800e3, 3_600e3, 7_200e3, 10_800e3, 21_600e3, 43_200e3, 86_400e3];

/** Round time-axis ticks (whole seconds, minutes or hours) between `fromMs` and `toMs`, about `count`. Pure. */
export function timeTicks(fromMs: number, toMs: number, count: number): number[] {
  const span = Math.max(1, toMs - fromMs);
  const step = TICK_STEPS_MS.find((s) => span / s <= count) ?? Math.ceil(span / count / 86_400e3) * 86_400e3;
  const ticks: number[] = [];
  for (let t = Math.ceil(fromMs / step) * step; t <= toMs && ticks.length <= count * 2; t += step) ticks.push(t);
  return ticks;
}
