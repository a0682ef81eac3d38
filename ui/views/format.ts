// Numbers, durations and signal values formatted for people, shared by the time views (timeline,
// group series, lanes, findings' charts): `542 k req/s` rather than `5.42e+5`, `2m 32s` rather
// than `02:32:04` for an amount of time. Clock times (a moment in the run) stay sim/core/units.ts's
// formatTime; this module is for magnitudes.

const SI = [
  { size: 1e12, suffix: "T" },
  { size: 1e9, suffix: "G" },
  { size: 1e6, suffix: "M" },
  { size: 1e3, suffix: "k" },
] as const;

/** Three significant digits at most, without trailing zeros: 12.345 -> "12.3", 0.00012 -> "0.00012". Pure. */
function significant(v: number): string {
  if (v === 0) return "0";
  const abs = Math.abs(v);
  if (abs >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/**
 * A number with an SI suffix past a thousand: 542000 -> "542 k", 1234567 -> "1.23 M",
 * 12.345 -> "12.3", NaN -> "–". Pure.
 */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return "–";
  const abs = Math.abs(v);
  for (const { size, suffix } of SI) {
    // 999.6 k rounds to "1000 k": promote it to the next unit instead.
    if (abs >= size * 0.9995) return `${significant(v / size)} ${suffix}`;
  }
  return significant(v);
}

const SPAN_UNITS = [
  { ms: 86_400_000, unit: "d" },
  { ms: 3_600_000, unit: "h" },
  { ms: 60_000, unit: "m" },
  { ms: 1000, unit: "s" },
] as const;

/**
 * An amount of time in its two largest units: 9_124_000 -> "2h 32m", 152_000 -> "2m 32s",
 * 45_000 -> "45s", 250 -> "250 ms", 1500 -> "1.5s". For durations, not clock times. Pure.
 */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${significant(abs)} ms`;
  if (abs < 10_000 && abs % 1000 !== 0) return `${sign}${Number((abs / 1000).toFixed(1))}s`;
  const seconds = Math.round(abs / 1000);
  const parts: string[] = [];
  let rest = seconds * 1000;
  for (const { ms: size, unit } of SPAN_UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  // "2h 0m" reads as noise: drop a trailing zero part.
  if (parts.length === 2 && parts[1].startsWith("0")) parts.pop();
  return sign + parts.join(" ");
}

/** A latency in milliseconds: "0.8 ms", "140 ms", "2.5 s". Pure. */
export function formatLatencyMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  if (Math.abs(ms) >= 1000) return `${formatNumber(ms / 1000)} s`;
  return `${significant(ms)} ms`;
}

/** A fraction as a percentage: 0.0042 -> "0.42%", 1 -> "100%". Pure. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return "–";
  const p = fraction * 100;
  if (p === 0 || p >= 10) return `${Math.round(p)}%`;
  return `${Number(p.toPrecision(2))}%`;
}

/** What a signal is measured in, for labels ("req/s", "ms", "%", "$/h", ""). Pure. */
export function signalUnit(signal: string): string {
  const name = signal.slice(signal.lastIndexOf(".") + 1);
  if (/^latencyMs/.test(name)) return "ms";
  if (/Rps$/i.test(name)) return "req/s";
  if (/^cost/i.test(name)) return "$/h";
  // Shares in [0, 1]: error rate, utilizations and usages, availability, degraded share.
  if (/(Rate|[uU]tilization|Usage|Share)$/.test(name) || name === "available" || name === "degraded") return "%";
  return "";
}

/**
 * A signal's (or knob's) value with its unit, by the signal's name: errorRate 0.25 -> "25%",
 * latencyMsP95 140 -> "140 ms", loadRps 542000 -> "542 k req/s", costPerHour 1.2 -> "$1.20/h",
 * replicas 4 -> "4". Pure.
 */
export function formatSignal(signal: string, v: number): string {
  if (!Number.isFinite(v)) return "–";
  switch (signalUnit(signal)) {
    case "%":
      return formatPercent(v);
    case "ms":
      return formatLatencyMs(v);
    case "req/s":
      return `${formatNumber(v)} req/s`;
    case "$/h":
      return `$${Math.abs(v) >= 1000 ? formatNumber(v) : v.toFixed(2)}/h`;
    default:
      return formatNumber(v);
  }
}

/** An axis tick label for a signal: the value with a short unit ("25%", "140ms", "542k", "$1.2"). Pure. */
export function formatAxisValue(signal: string, v: number): string {
  switch (signalUnit(signal)) {
    case "%":
      return `${Math.round(v * 100)}%`;
    case "ms":
      return Math.abs(v) >= 1000 ? `${formatNumber(v / 1000)}s` : `${formatNumber(v)}ms`.replace(" ", "");
    case "$/h":
      return `$${formatNumber(v).replace(" ", "")}`;
    default:
      return formatNumber(v).replace(" ", "");
  }
}
