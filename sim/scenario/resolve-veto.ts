// Resolves the coordination section's `veto` rules: compiles each condition in the veto
// environment (sim/expr/policy-env.ts), converts durations, checks knob patterns and ids, and bounds
// the CEL cost of every veto evaluation a run may make. Called by resolve.ts's resolveCoordination. Pure.
import { compile } from "../expr/cel.js";
import { celReads, derivedTable } from "../expr/derived.js";
import { CEL_RUN_COST_MAX, EXPR_EVAL_OVERHEAD } from "../expr/budget.js";
import { policyCatalogue, vetoEnv } from "../expr/policy-env.js";
import { queueEventEstimate } from "./budgets.js";
import type { Path, Unlocated } from "./resolve-tools.js";
import type { ComponentSpec, Scenario } from "./types.js";
import type { VetoRule } from "./veto-types.js";
import type { GroupSpec } from "./resolve-groups.js";
import type { vetoField } from "./veto-schema.js";
import type { z } from "zod";

/**
 * Most CEL cost units all veto evaluations of one run may spend. Commands are not bounded in
 * advance (an agent may issue several per decision, held commands come back), so the policy
 * enforces this at run time too: once spent, every later veto evaluation fails closed.
 */
export const VETO_RUN_COST_MAX = CEL_RUN_COST_MAX / 5;

/** Defaults of a veto rule (placed in the JSON Schema by json-schema-defaults.ts). */
export const VETO_DEFAULTS = { action: "reject", recheck: "30s", holdMax: "10m" } as const;

/** What the resolver needs from resolveCoordination. */
export interface VetoTools {
  components: readonly ComponentSpec[];
  /** The scenario's groups: a condition may read their aggregates (`cells.sum.replicas`). */
  groups?: readonly GroupSpec[];
  ms(text: string, path: Path): number;
  knobs(patterns: readonly string[], path: Path): void;
  problems: Unlocated[];
}

/** The resolved rules; problems go to `t.problems` (CEL ones with the offset inside `when`). */
export function resolveVeto(rules: NonNullable<z.infer<typeof vetoField>>, t: VetoTools): VetoRule[] {
  const env = vetoEnv(policyCatalogue(t.components, t.groups));
  const table = derivedTable(t.components, t.groups);
  const seen: string[] = [];
  const out = rules.map((r, i): VetoRule => {
    const path: Path = ["coordination", "veto", i];
    if (seen.includes(r.id)) t.problems.push({ path: [...path, "id"], expected: "a veto id not used by another veto rule", found: JSON.stringify(r.id), hint: "give each rule its own id" });
    seen.push(r.id);
    t.knobs(r.knobs, [...path, "knobs"]);
    const compiled = compile(r.when, env, [...path, "when"], "bool");
    const reads = compiled.ok ? celReads(compiled.program.reads, t.groups, table) : undefined;
    // A condition of another type gets a hint in a veto's terms.
    if (!compiled.ok) t.problems.push(...compiled.problems.map((p) => (p.hint === undefined && p.expected.startsWith("a condition") ? { ...p, hint: "a command is vetoed while the condition is true: compare, e.g. `command.delta < 0.0 && web.latencyMsP95 > 250.0`" } : p)));
    const recheckMs = t.ms(r.recheck ?? VETO_DEFAULTS.recheck, [...path, "recheck"]);
    if (r.recheck !== undefined && recheckMs <= 0) t.problems.push({ path: [...path, "recheck"], expected: "a period longer than 0ms (a held command is re-checked once per period)", found: JSON.stringify(r.recheck), hint: `leave it out for the default (${VETO_DEFAULTS.recheck})` });
    const holdMaxMs = t.ms(r.holdMax ?? VETO_DEFAULTS.holdMax, [...path, "holdMax"]);
    return {
      id: r.id,
      knobs: [...r.knobs],
      when: r.when,
      // Group aggregates carry their members and derived signals their expressions (sim/expr/derived.ts), whose cost counts too.
      reads: reads?.reads ?? [],
      cost: compiled.ok ? compiled.program.cost + (reads?.cost ?? 0) : 0,
      action: r.action ?? VETO_DEFAULTS.action,
      recheckMs,
      holdMaxMs,
      reason: r.reason ?? r.id,
    };
  });
  return out;
}

/**
 * The problem when the run's veto evaluations may cost more than VETO_RUN_COST_MAX, estimated as
 * one command per agent decision (wake-ups and the fastest `after` timers), each judged by every
 * rule; at the costliest rule's `when`. The policy also enforces the cap at run time. Pure.
 */
export function vetoRunProblems(scenario: Scenario): Unlocated[] {
  const rules = scenario.coordination.veto ?? [];
  if (rules.length === 0) return [];
  const decisions = queueEventEstimate(scenario).sources.filter((s) => s.path[0] === "agents").reduce((n, s) => n + s.events, 0);
  const perCommand = rules.reduce((n, r) => n + r.cost + EXPR_EVAL_OVERHEAD, 0);
  const estimate = decisions * perCommand;
  if (estimate <= VETO_RUN_COST_MAX) return [];
  const worst = rules.reduce((w, r, i) => (r.cost > rules[w].cost ? i : w), 0);
  return [{
    path: ["coordination", "veto", worst, "when"],
    expected: `veto conditions costing at most ${VETO_RUN_COST_MAX.toLocaleString("en-US")} units in the run`,
    found: `about ${Math.round(estimate).toLocaleString("en-US")}: about ${decisions.toLocaleString("en-US")} agent decisions, each command judged by ${rules.length} rule(s) costing ${perCommand.toLocaleString("en-US")} units together (each condition's estimated cost plus ${EXPR_EVAL_OVERHEAD} to evaluate it)`,
    hint: "simplify the conditions (macros over long lists cost the most), use fewer rules, or wake the agents less often",
  }];
}
