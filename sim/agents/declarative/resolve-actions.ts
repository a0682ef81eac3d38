// Checks of the `log` and `sendLoad` actions that need no more than the action itself: the
// references a message template makes, and a load's literal rate and duration against the
// budgets (docs/scenario-format.md "Budgets"). The resolver checks the references. Pure.
import { RATE_RPS_MAX, rateProblem } from "../../scenario/budgets.js";
import type { Problem } from "../../scenario/problems.js";
import type { ChartAction } from "./chart.js";
import { classifyRef, parseTemplate, type ResolvedRef } from "./log.js";

type Path = (string | number)[];
type Unlocated = Omit<Problem, "line" | "col">;

/** The references of a template the schema accepted, classified (context, signal, knob, because, state). Pure. */
export function templateRefs(template: string): ResolvedRef[] {
  const parts = parseTemplate(template);
  return Array.isArray(parts) ? parts.flatMap((p) => ("ref" in p ? [classifyRef(p.ref)] : [])) : [];
}

/**
 * What is wrong with a sendLoad action's duration and literal rate: a duration of 0, a rate of 0
 * or above RATE_RPS_MAX. A value expression's rate is clamped to [0, RATE_RPS_MAX] when it runs. Pure.
 */
export function sendLoadProblems(a: Extract<ChartAction, { type: "sendLoad" }>, at: Path): Unlocated[] {
  const problems: Unlocated[] = [];
  if (!(Math.round(a.forMs) > 0)) problems.push({ path: [...at, "for"], expected: "a duration longer than 0ms", found: `${a.forMs}ms`, hint: "requests sent for no time are no requests; e.g. `for: 2m`" });
  const s = a.rps.source;
  const modified = a.rps.plus !== undefined || a.rps.times !== undefined || a.rps.round !== undefined || a.rps.min !== undefined || a.rps.max !== undefined;
  if (s.kind === "literal" && typeof s.value === "number" && !modified) {
    const over = rateProblem(s.value, [...at, "rate"]);
    if (over) problems.push(over);
    else if (!(s.value > 0)) problems.push({ path: [...at, "rate"], expected: `a rate above 0/s and at most ${RATE_RPS_MAX.toLocaleString("en-US")}/s`, found: `${s.value}/s`, hint: "e.g. `rate: 50/s`" });
  }
  return problems;
}
