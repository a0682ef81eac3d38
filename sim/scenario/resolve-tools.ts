// Shared vocabulary of the resolve step: paths, unlocated problems, the unit parsers resolve.ts
// hands to the per-kind resolvers, and the evaluation-period floor. Pure.
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

/** An agent's evaluation period in ms, at least 1: a period of 0 would wake it forever at one instant. */
export function evaluationPeriod(ms: number): number {
  return Math.max(1, ms);
}
