// User health rules (`healthRule: { unhealthyWhen: <CEL bool> }` on a component, resolved by
// sim/expr/derived.ts): evaluated once per step after the world's second pass, for the components
// that have one, in scenario order. A rule only makes its component less healthy: it counts as a
// "bad" step for the kind's hysteresis and prevents a "good" one, so the kind's thresholds stay
// true facts. The events behind the values the rule read become causes of its transition.
import { evaluate } from "../expr/cel.js";
import { derivedProgram, knobFirstReader, readerFor, type HealthRule } from "../expr/derived.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { Component } from "./component.js";
import type { SignalName } from "./signals.js";
import type { Provenance } from "./provenance.js";

/** What the rules read the world through: signals and knobs with their provenance. */
export interface RuleWorld {
  spec(id: string): ComponentSpec;
  observeSignal(id: string, name: string, causes: Set<number>): number;
  observeKnob(id: string, knob: string, causes: Set<number>): number;
}

/** The health rules of one world: which components have one, and the causes of the last evaluation that flipped health. */
export class HealthRuleSet {
  /** 1 at the index of each component with a rule. */
  readonly ruled: Uint8Array;
  private readonly causes = new Map<number, Set<number>>();

  constructor(private readonly rules: readonly HealthRule[], components: number) {
    this.ruled = new Uint8Array(components);
    for (const r of rules) this.ruled[r.index] = 1;
  }

  /** Evaluates every rule and advances its component's health; pushes flipped indexes to `flipped`. */
  advance(world: RuleWorld, components: readonly Component[], flipped: number[], update: (c: Component, ruleHolds: boolean) => boolean): void {
    this.causes.clear();
    for (const r of this.rules) {
      const causes = new Set<number>();
      const members = { signal: (id: string, name: SignalName) => world.observeSignal(id, name, causes), knob: (id: string, knob: string) => world.observeKnob(id, knob, causes) };
      const base = knobFirstReader({ ...members, spec: (id) => world.spec(id) });
      const outcome = evaluate(derivedProgram(r.rule, "bool"), readerFor(r.rule.reads, members, base));
      const holds = outcome.ok && outcome.value === true;
      if (update(components[r.index], holds)) {
        flipped.push(r.index);
        this.causes.set(r.index, causes);
      }
    }
  }

  /** The provenance of a transition of component `index`: its performance provenance plus what its rule read. */
  provenance(index: number, perf: Provenance): Provenance {
    const extra = this.causes.get(index);
    if (!extra || extra.size === 0) return perf;
    return [...new Set([...perf, ...extra])].filter((s) => s >= 0).sort((a, b) => a - b);
  }
}
