// Feature flags and kill switches: boolean knobs `flag.<name>` that any component may declare
// (`flags: { newParser: off }`). The world holds them for every kind alike (a kind never sees
// them in checkKnob); what they gate is said elsewhere: a fault with `when: { flag }` impairs
// only while its flag is on (the engine), a config consumer with `applyWhen` applies documents
// only while its flag is on (its kind). Pure helpers.
import type { ComponentSpec } from "../scenario/types.js";

/** Prefix of every flag knob: flag `newParser` is knob `flag.newParser`. */
export const FLAG_PREFIX = "flag.";

/** True when `knob` is a flag knob. Pure. */
export function isFlagKnob(knob: string): boolean {
  return knob.startsWith(FLAG_PREFIX);
}

/** The knob of flag `name`. Pure. */
export function flagKnob(name: string): string {
  return FLAG_PREFIX + name;
}

/** The flag knobs `spec` declares, with their initial values (1 on, 0 off). Pure. */
export function flagKnobs(spec: ComponentSpec): Record<string, number> {
  const out: Record<string, number> = {};
  const flags = spec.flags;
  if (flags !== undefined) for (const name of Object.keys(flags)) out[flagKnob(name)] = flags[name] ? 1 : 0;
  return out;
}

/** Why writing finite `value` to a flag knob is invalid (only 0 = off and 1 = on are), or null. Pure. */
export function checkFlagWrite(id: string, knob: string, value: number): string | null {
  return value === 0 || value === 1 ? null : `${id}.${knob} is a flag: 0 (off) or 1 (on), got ${value}`;
}
