// Telemetry: per-step signal samples of every component, kept in columnar typed arrays
// (one Float32Array per component x signal) rather than as log events, so a 24 h run with
// hundreds of components stays small and fast to scan.

/** Sampled signals of a run. Columns hold `count` samples taken at `times`. */
export class Telemetry {
  readonly times: Float64Array;
  private readonly columns: Float32Array[];
  private readonly componentIndex = new Map<string, number>();
  private readonly signalIndex = new Map<string, number>();
  count = 0;

  constructor(readonly componentIds: readonly string[], readonly signalNames: readonly string[], capacity: number) {
    this.times = new Float64Array(capacity);
    this.columns = [];
    for (let i = 0; i < componentIds.length * signalNames.length; i++) this.columns.push(new Float32Array(capacity));
    componentIds.forEach((id, i) => this.componentIndex.set(id, i));
    signalNames.forEach((name, i) => this.signalIndex.set(name, i));
  }

  /** Number of samples the arrays can hold. */
  get capacity(): number {
    return this.times.length;
  }

  /** Starts a sample at `tMs` and returns its row, or -1 when full. */
  beginSample(tMs: number): number {
    if (this.count === this.times.length) return -1;
    this.times[this.count] = tMs;
    return this.count++;
  }

  /** Writes one value into row `row`. */
  write(row: number, componentIndex: number, signalIndex: number, value: number): void {
    this.columns[componentIndex * this.signalNames.length + signalIndex][row] = value;
  }

  /** The samples of one signal of one component (a view of `count` values). Throws when unknown. */
  series(componentId: string, signal: string): Float32Array {
    const c = this.componentIndex.get(componentId);
    const s = this.signalIndex.get(signal);
    if (c === undefined) throw new RangeError(`telemetry has no component ${JSON.stringify(componentId)}`);
    if (s === undefined) throw new RangeError(`telemetry has no signal ${JSON.stringify(signal)} (signals: ${this.signalNames.join(", ")})`);
    return this.columns[c * this.signalNames.length + s].subarray(0, this.count);
  }

  /** Index of the last sample at or before `tMs` (binary search), or -1 before the first. */
  indexAt(tMs: number): number {
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] <= tMs) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
