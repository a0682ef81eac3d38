// The registry of component kinds' spec modules: the scenario schema's `componentSchema` union,
// the resolver's dispatch by `kind` and the ComponentSpec type are all built from this list.
// Adding a kind: its folder with a spec.ts, and one line below.
import type { KindSpec } from "../../scenario/kind-spec.js";
import { clientsKind } from "./clients/spec.js";
import { configConsumerKind } from "./config-consumer/spec.js";
import { dnsRecordKind } from "./dns-record/spec.js";
import { documentStoreKind } from "./document-store/spec.js";
import { leaseTableKind } from "./lease-table/spec.js";
import { loadBalancerKind } from "./load-balancer/spec.js";
import { serverKind } from "./server/spec.js";
import { shardsKind } from "./shards/spec.js";

/** Every component kind's spec module, in the order the file format lists them (and the JSON Schema's `oneOf` for components). */
export const KIND_SPECS = [
  serverKind,
  loadBalancerKind,
  documentStoreKind,
  dnsRecordKind,
  clientsKind,
  shardsKind,
  configConsumerKind,
  leaseTableKind,
] as const;

/** The resolved spec of any registered kind: the union of each module's resolver result. */
export type RegisteredComponentSpec = ReturnType<(typeof KIND_SPECS)[number]["resolve"]>;

/** `A | B` -> `A & B`. */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** Every kind's defaults tables in one object (`service`, `database`, `cpu`, `loadBalancer`, ...), for resolve.ts DEFAULTS. */
export const COMPONENT_DEFAULTS = Object.assign({}, ...KIND_SPECS.map((k) => k.defaults)) as UnionToIntersection<(typeof KIND_SPECS)[number]["defaults"]>;

/** Every `kind` value a component may have, in registry order. */
export const COMPONENT_KINDS: readonly RegisteredComponentSpec["kind"][] = KIND_SPECS.flatMap((k) => k.kinds);

const BY_KIND: ReadonlyMap<string, KindSpec> = new Map(KIND_SPECS.flatMap((k) => k.kinds.map((kind) => [kind, k as KindSpec] as const)));

/** The spec module defining component kind `kind`. Throws on an unregistered kind (the schema admits only registered ones). */
export function kindSpecOf(kind: string): KindSpec {
  const spec = BY_KIND.get(kind);
  if (!spec) throw new Error(`no spec module registered for component kind ${JSON.stringify(kind)} (sim/model/kinds/specs.ts)`);
  return spec;
}
