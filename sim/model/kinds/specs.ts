// The component kinds' spec modules, read from the one registry (./registry.ts): the scenario
// schema's `componentSchema` union, the resolver's dispatch by `kind` and the ComponentSpec type
// are all built from them.
import type { KindSpec } from "../../scenario/kind-spec.js";
import { KINDS } from "./registry.js";

/** Every component kind's spec module, in registry order (the JSON Schema's `oneOf` for components). */
type SpecsOf<T extends readonly { spec: unknown }[]> = { readonly [K in keyof T]: T[K] extends { spec: infer S } ? S : never };
export const KIND_SPECS = KINDS.map((k) => k.spec) as unknown as SpecsOf<typeof KINDS>;

/** The resolved spec of any registered kind: the union of each module's resolver result. */
export type RegisteredComponentSpec = ReturnType<(typeof KINDS)[number]["spec"]["resolve"]>;

/** `A | B` -> `A & B`. */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every kind's defaults tables in one object (`service`, `database`, `cpu`, `loadBalancer`, ...), for resolve.ts DEFAULTS. */
export const COMPONENT_DEFAULTS = Object.assign({}, ...KIND_SPECS.map((k) => k.defaults)) as UnionToIntersection<(typeof KINDS)[number]["spec"]["defaults"]>;

/** Every `kind` value a component may have, in registry order. */
export const COMPONENT_KINDS: readonly RegisteredComponentSpec["kind"][] = KIND_SPECS.flatMap((k) => k.kinds);

const BY_KIND: ReadonlyMap<string, KindSpec> = new Map(KIND_SPECS.flatMap((k) => k.kinds.map((kind) => [kind, k as KindSpec] as const)));

/** The spec module defining component kind `kind`. Throws on an unregistered kind (the schema admits only registered ones). */
export function kindSpecOf(kind: string): KindSpec {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`no spec module registered for component kind ${JSON.stringify(kind)} (sim/model/kinds/specs.ts)`);
  return spec;
}
