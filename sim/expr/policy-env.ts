// The CEL environments of coordination vetoes (`command`) and expectation predicates (`event`):
// the one place their catalogue of components is built, so policies and expectations read the
// same names agents do. Pure.
import { scenarioCatalogue } from "./catalogue.js";
import { exprEnv, T, type CatalogueEntry, type ExprEnv, type ExprType } from "./types.js";
import type { ComponentSpec } from "../scenario/types.js";
import type { GroupSpec } from "../scenario/resolve-groups.js";

/** What a veto may read by id: every component and group, as agents' expressions do. Pure. */
export function policyCatalogue(components: readonly ComponentSpec[], groups: readonly GroupSpec[] | undefined): CatalogueEntry[] {
  return scenarioCatalogue(components, groups);
}

/** The type of `command` in a veto: the command being decided (numbers are doubles). */
export const COMMAND_TYPE: ExprType = { k: "object", what: "command", fields: { actor: T.string, target: T.string, knob: T.string, value: T.double, current: T.double, delta: T.double } };

/** The environment of a veto's `when`: the catalogue, `now` (seconds) and `command`. Pure. */
export function vetoEnv(catalogue: readonly CatalogueEntry[]): ExprEnv {
  return exprEnv(catalogue, { now: T.double, command: COMMAND_TYPE });
}

/** The type of `event` in an expectation's `where`: one log record; `data` is a map of its data. */
export const EVENT_TYPE: ExprType = { k: "object", what: "event", fields: { t: T.double, type: T.string, actor: T.string, target: T.string, seq: T.double, data: { k: "map", key: T.string, value: T.dyn } } };

/** The environment of an expectation's `where`: `event` only (a predicate over one record, evaluated after the run). Pure. */
export function eventEnv(): ExprEnv {
  return exprEnv([], { event: EVENT_TYPE });
}
