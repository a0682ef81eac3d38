// The run-length budget of CEL: the estimated cost of every expression a run may evaluate, so a
// file `validate` accepts finishes within its time budget (docs/scenario-format.md#budgets) however
// costly its expressions and however often its agents wake. Pure.
import type { ChartGuard, ChartTransition } from "../agents/declarative/chart.js";
import type { Scenario } from "../scenario/types.js";
import type { Unlocated } from "../scenario/resolve-tools.js";
import { derivedColumns, healthRules } from "./derived.js";

/**
 * What one evaluation costs beyond its nodes, in cost units: binding the reads and running the
 * planned expression take about as long as 250 nodes (measured: ~25 µs for a 5-node expression,
 * ~0.1 µs per further node, on the 2-core development machine).
 */
export const EXPR_EVAL_OVERHEAD = 250;
/** Most estimated CEL cost units in one run, all agents together (about 10 s of evaluation). */
export const CEL_RUN_COST_MAX = 100_000_000;

/** The CEL cost units of one decision of a state: every CEL guard and value of its transitions (an upper bound). */
function stateCost(transitions: ChartTransition[]): number {
  let units = 0;
  const guard = (g: ChartGuard | undefined): void => {
    if (!g) return;
    if (g.type === "cel") units += (g.cost ?? 0) + EXPR_EVAL_OVERHEAD;
    else if (g.type === "all" || g.type === "any") g.guards.forEach(guard);
    else if (g.type === "not") guard(g.guard);
  };
  for (const t of transitions) {
    guard(t.guard);
    for (const a of t.actions) {
      // log has no value; sendLoad's rate is a value expression like set's value.
      const value = a.type === "log" ? undefined : a.type === "sendLoad" ? a.rps : a.value;
      if (value?.source.kind === "cel") units += (value.source.cost ?? 0) + EXPR_EVAL_OVERHEAD;
    }
  }
  return units;
}

/**
 * The problem when the CEL expressions of `scenario`'s statechart agents may cost more than
 * CEL_RUN_COST_MAX in one run: decisions (wake-ups, and the fastest `after` timer firing back to
 * back) times the costliest state's expressions, summed over agents; at the costliest agent. Pure.
 */
export function celRunProblems(scenario: Scenario, durationText: string): Unlocated[] {
  let total = 0;
  let worst: { units: number; index: number; id: string; decisions: number; perDecision: number; woken: boolean } | undefined;
  scenario.agents.forEach((a, index) => {
    if (a.kind !== "statechart") return;
    const states = Object.values(a.states);
    const perDecision = Math.max(0, ...states.map((s) => stateCost([...s.wake, ...s.after.flatMap((d) => d.transitions)])));
    if (perDecision === 0) return;
    const fastest = Math.min(...states.flatMap((s) => s.after.map((d) => d.delayMs)).filter((ms) => ms > 0));
    const decisions = (a.evaluationPeriodMs > 0 ? Math.floor(scenario.durationMs / a.evaluationPeriodMs) : 0) + (Number.isFinite(fastest) ? Math.floor(scenario.durationMs / fastest) : 0) + 1;
    const units = decisions * perDecision;
    total += units;
    if (!worst || units > worst.units) worst = { units, index, id: a.id, decisions, perDecision, woken: a.evaluationPeriodMs > 0 };
  });
  // Derived signals sampled at every telemetry sample, health rules evaluated at every step (sim/expr/derived.ts).
  const samples = scenario.sampleEveryMs > 0 ? Math.floor(scenario.durationMs / scenario.sampleEveryMs) + 1 : 0;
  const steps = scenario.stepMs > 0 ? Math.floor(scenario.durationMs / scenario.stepMs) : 0;
  const columns = derivedColumns(scenario.components, scenario.groups);
  const rules = healthRules(scenario.components, scenario.groups);
  const sampled = samples * columns.reduce((n, d) => n + d.read.cost + EXPR_EVAL_OVERHEAD, 0);
  const ruled = steps * rules.reduce((n, r) => n + r.rule.cost + EXPR_EVAL_OVERHEAD, 0);
  total += sampled + ruled;
  if (total > CEL_RUN_COST_MAX && (sampled + ruled > (worst?.units ?? 0))) {
    // At the costliest rule or derived signal (by units in the run).
    const rule = rules.reduce<(typeof rules)[number] | undefined>((w, r) => (!w || r.rule.cost > w.rule.cost ? r : w), undefined);
    const column = columns.reduce<(typeof columns)[number] | undefined>((w, d) => (!w || d.read.cost > w.read.cost ? d : w), undefined);
    const columnPath = (d: (typeof columns)[number]): (string | number)[] => {
      const ci = scenario.components.findIndex((c) => c.id === d.id);
      return ci >= 0 ? ["components", ci, "derived", d.name] : ["groups", (scenario.groups ?? []).findIndex((g) => g.id === d.id), "derived", d.name];
    };
    const ruleUnits = rule ? steps * (rule.rule.cost + EXPR_EVAL_OVERHEAD) : 0;
    const columnUnits = column ? samples * (column.read.cost + EXPR_EVAL_OVERHEAD) : 0;
    return [{
      path: rule && ruleUnits >= columnUnits ? ["components", rule.index, "healthRule", "unhealthyWhen"] : column ? columnPath(column) : ["components"],
      expected: `CEL expressions costing at most ${CEL_RUN_COST_MAX.toLocaleString("en-US")} units in the run, agents, derived signals and health rules together`,
      found: `about ${Math.round(total).toLocaleString("en-US")}: health rules ${Math.round(ruled).toLocaleString("en-US")} units over ${steps.toLocaleString("en-US")} steps, derived signals ${Math.round(sampled).toLocaleString("en-US")} over ${samples.toLocaleString("en-US")} samples (each expression's estimated cost, nested derived signals included, plus ${EXPR_EVAL_OVERHEAD} to evaluate it)`,
      hint: "simplify the health rules and derived signals, or use a longer step or sampleEvery",
    }];
  }
  if (total <= CEL_RUN_COST_MAX || !worst) return [];
  return [{
    path: worst.woken ? ["agents", worst.index, "evaluationPeriod"] : ["agents", worst.index],
    expected: `CEL expressions costing at most ${CEL_RUN_COST_MAX.toLocaleString("en-US")} units in the run, all agents together`,
    found: `about ${Math.round(total).toLocaleString("en-US")}: ${worst.id} makes about ${worst.decisions.toLocaleString("en-US")} decisions in ${durationText}, each up to ${worst.perDecision.toLocaleString("en-US")} units (each expression's estimated cost plus ${EXPR_EVAL_OVERHEAD} to evaluate it)`,
    hint: `wake ${worst.id} less often, or simplify its expressions (macros over long lists cost the most)`,
  }];
}
