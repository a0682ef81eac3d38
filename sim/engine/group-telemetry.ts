// Telemetry of a scenario's groups: each group's sampled aggregates (GroupSpec.sampled) as a
// small second matrix (groups x aggregate names) beside the components' telemetry, filled at
// every telemetry sample. Built only for scenarios with groups, so other runs are unchanged.
import { evaluateAggregate, parseAggregateName, type AggregateName, type MemberReader } from "../model/groups.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";
import { Telemetry } from "./telemetry.js";
import type { DerivedRead } from "../agents/declarative/chart.js";
import { evaluateDerived, knobFirstReader } from "../expr/derived.js";
import type { ComponentSpec } from "../scenario/types.js";

/**
 * Samples group aggregates into `telemetry` (ids = group ids, signals = every name some group
 * samples). A cell a group does not sample holds NaN; readers skip columns that are NaN at
 * every sample (see `sampledColumns`).
 */
export class GroupTelemetry {
  readonly telemetry: Telemetry;
  private readonly cells: { offset: number; aggregate: AggregateName; members: readonly string[] }[] = [];

  // Derived signals (sim/expr/derived.ts), evaluated at each sample; their rows follow the groups'.
  private readonly derived: { offset: number; read: DerivedRead }[] = [];
  /** Samples at which a derived signal could not be evaluated (it kept its previous value). */
  derivedFailures = 0;

  constructor(groups: readonly GroupSpec[], capacity: number, derived: readonly { id: string; name: string; read: DerivedRead }[] = []) {
    const names = [...new Set([...groups.flatMap((g) => g.sampled), ...derived.map((d) => d.name)])];
    const ids = [...groups.map((g) => g.id)];
    for (const d of derived) if (!ids.includes(d.id)) ids.push(d.id);
    this.telemetry = new Telemetry(ids, names, capacity);
    groups.forEach((g, gi) => {
      for (const name of g.sampled) {
        const aggregate = parseAggregateName(name);
        if (aggregate) this.cells.push({ offset: gi * names.length + names.indexOf(name), aggregate, members: g.members });
      }
    });
    for (const d of derived) this.derived.push({ offset: ids.indexOf(d.id) * names.length + names.indexOf(d.name), read: d.read });
  }

  /** Takes one sample at `tMs`, reading members through `read` (the world, after its step). */
  sample(tMs: number, read: MemberReader & { spec(id: string): ComponentSpec }): void {
    const row = this.telemetry.beginSample(tMs);
    if (row < 0) return;
    const values = this.telemetry.values;
    values.fill(NaN, row, row + this.telemetry.width);
    for (const c of this.cells) values[row + c.offset] = evaluateAggregate(c.aggregate, c.members, read);
    if (this.derived.length === 0) return;
    const base = knobFirstReader(read);
    for (const d of this.derived) {
      const v = evaluateDerived(d.read, read, base);
      if (Number.isFinite(v)) values[row + d.offset] = v;
      else {
        // A failed evaluation keeps the previous sample (NaN at the first), and is counted.
        this.derivedFailures++;
        if (row > 0) values[row + d.offset] = values[row - this.telemetry.width + d.offset];
      }
    }
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
