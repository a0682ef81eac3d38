// The knobs a component has: its kind's own and the flags every kind may declare. Kept apart
// from ./flags.ts so kind modules can import flag names without importing the kind registry.
import type { ComponentSpec } from "../scenario/types.js";
import { flagKnobs } from "./flags.js";
import { componentKind } from "./kinds/registry.js";

/**
 * Every knob a component of `spec` has with its initial value: its kind's knobs, then its flags.
 * The world builds components from this and scenario checks (statechart `set`, policy knob
 * patterns, expectations) list knobs from it, so the two never differ. Pure.
 */
export function componentKnobs(spec: ComponentSpec): Record<string, number> {
  const knobs = componentKind(spec.kind).initialKnobs(spec);
  return spec.flags === undefined ? knobs : { ...knobs, ...flagKnobs(spec) };
}
