// Shared vocabulary of the resolve step: paths, unlocated problems, the unit parsers resolve.ts
// hands to the per-kind resolvers, and the evaluation-period check every agent kind shares. Pure.
import type { HealthFile, HealthSpec } from "./fields.js";
import type { Problem } from "./problems.js";

export type Path = (string | number)[];
export type Unlocated = Omit<Problem, "line" | "col">;

/** Unit parsers and the problem list of the surrounding resolve. */
export interface ResolveTools {
  ms(text: string, path: Path): number;
  rps(text: string | number, path: Path): number;
  health(h: HealthFile | undefined, path: Path): HealthSpec;
  problems: Unlocated[];
}

/**
 * An agent's period in ms (`evaluationPeriod`, a health checker's `probeInterval`), parsed from
 * `text`; a period of 0 is reported at `path`, for every agent kind alike, and returned as it is
 * (never clamped): it would wake the agent forever at one instant. A period short enough to make
 * the run too long is refused later by the queue-event budget (budgets.ts), at the same field.
 */
export function agentPeriodMs(t: Pick<ResolveTools, "ms" | "problems">, text: string, path: Path, fallback: string): number {
  const before = t.problems.length;
  const value = t.ms(text, path);
  if (value <= 0 && t.problems.length === before) {
    t.problems.push({ path, expected: "a period longer than 0ms (the agent wakes once per period)", found: JSON.stringify(text), hint: `leave it out for the default (${fallback})` });
  }
  return value;
}
