// The version of the simulation's behaviour, logged in every run's first record. It changes
// when the same scenario and seed would give a different log (a model or engine change), not
// with every release, so a final hash stays comparable across releases that simulate alike.
// A run file written by another model version verifies (its chain is intact) but does not
// re-run to the same hash; saying which version wrote it makes that message exact.

/** Bump on purpose, with the README's note on changed hashes, when the model changes. */
export const ENGINE_VERSION = "crossfire-model/3";
