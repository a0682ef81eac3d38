// Telemetry of a scenario's groups: each group's sampled aggregates (GroupSpec.sampled) as a
// small second matrix (groups x aggregate names) beside the components' telemetry, filled at
// every telemetry sample. Built only for scenarios with groups, so other runs are unchanged.
import { evaluateAggregate, parseAggregateName, type AggregateName, type MemberReader } from "../model/groups.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";
import { Telemetry } from "./telemetry.js";

/**
 * Samples group aggregates into `telemetry` (ids = group ids, signals = every name some group
 * samples). A cell a group does not sample holds NaN; readers skip columns that are NaN at
 * every sample (see `sampledColumns`).
 */
export class GroupTelemetry {
  readonly telemetry: Telemetry;
  private readonly cells: { offset: number; aggregate: AggregateName; members: readonly string[] }[] = [];

  constructor(groups: readonly GroupSpec[], capacity: number) {
    const names = [...new Set(groups.flatMap((g) => g.sampled))];
    this.telemetry = new Telemetry(groups.map((g) => g.id), names, capacity);
    groups.forEach((g, gi) => {
      for (const name of g.sampled) {
        const aggregate = parseAggregateName(name);
        if (aggregate) this.cells.push({ offset: gi * names.length + names.indexOf(name), aggregate, members: g.members });
      }
    });
  }

  /** Takes one sample at `tMs`, reading members through `read` (the world, after its step). */
  sample(tMs: number, read: MemberReader): void {
    const row = this.telemetry.beginSample(tMs);
    if (row < 0) return;
    this.telemetry.values.fill(NaN, row, row + this.telemetry.width);
    for (const c of this.cells) this.telemetry.values[row + c.offset] = evaluateAggregate(c.aggregate, c.members, read);
  }
}

/** The (group, name) columns of group telemetry that hold samples: not NaN at every sample. Pure. */
export function sampledColumns(groups: Telemetry): { component: string; signal: string }[] {
  const out: { component: string; signal: string }[] = [];
  const n = groups.signalNames.length;
  groups.componentIds.forEach((component, gi) => {
    groups.signalNames.forEach((signal, si) => {
      for (let r = 0; r < groups.count; r++) {
        if (!Number.isNaN(groups.values[r * groups.width + gi * n + si])) {
          out.push({ component, signal });
          return;
        }
      }
    });
  });
  return out;
}
