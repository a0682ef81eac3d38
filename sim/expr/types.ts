// The static types of Crossfire's CEL checker and the environment an expression is compiled in:
// which components and groups it may read (a catalogue of names), and which other variables
// (`now`, `params`, `context`, later `command`/`event`) exist with which types. Pure data.

/** A static type of the checker: CEL's scalar types, lists and maps, and the simulator's references. */
export type ExprType =
  | { k: "bool" | "int" | "uint" | "double" | "string" | "bytes" | "null" | "dyn" | "type" }
  | { k: "list"; elem: ExprType }
  | { k: "map"; key: ExprType; value: ExprType }
  /** A record with fixed fields (params, context, later command/event); bound as a CEL map. */
  | { k: "object"; what: string; fields: Readonly<Record<string, ExprType>> }
  /** Part of a component's or group's name path, e.g. `cells.sum` on the way to `cells.sum.replicas`. */
  | { k: "ref"; entry: CatalogueEntry; prefix: string }
  /** The map `c` of every component and group by id. */
  | { k: "catalogue" };

/** Shorthands for the scalar types. */
export const T = {
  bool: { k: "bool" },
  int: { k: "int" },
  uint: { k: "uint" },
  double: { k: "double" },
  string: { k: "string" },
  bytes: { k: "bytes" },
  null: { k: "null" },
  dyn: { k: "dyn" },
  type: { k: "type" },
} as const satisfies Record<string, ExprType>;

/** One thing expressions read by id: a component or a group, with the (possibly dotted) names it has. Every name reads a double. */
export interface CatalogueEntry {
  kind: "component" | "group";
  id: string;
  /** e.g. `latencyMsP95`, `replicas`, `weight.web-a` (a knob with a dot), `sum.replicas`, `count`. */
  names: readonly string[];
  /** For a group: aggregate names some member lacks (`max.poolUtilization`) -> those members, for the checker's message. */
  lacking?: Readonly<Record<string, readonly string[]>>;
}

/** The environment of a compilation: the catalogue and the other variables. Compose with `withVariables`. */
export interface ExprEnv {
  catalogue: readonly CatalogueEntry[];
  /** Variables besides the catalogue, e.g. `now: double`, `params: object`. They shadow an id of the same name (read it as `c['now']`). */
  variables: Readonly<Record<string, ExprType>>;
}

/** An environment over `catalogue` with no other variables. Pure. */
export function exprEnv(catalogue: readonly CatalogueEntry[], variables: Record<string, ExprType> = {}): ExprEnv {
  return { catalogue, variables };
}

/** `env` with more variables (later ones win): how policies add `command` and expectations `event`. Pure. */
export function withVariables(env: ExprEnv, variables: Record<string, ExprType>): ExprEnv {
  return { catalogue: env.catalogue, variables: { ...env.variables, ...variables } };
}

/** The object type of a record of literal values (a statechart's params or context): numbers are doubles. Pure. */
export function recordType(what: string, values: Readonly<Record<string, number | string | boolean>>): ExprType {
  const fields: Record<string, ExprType> = {};
  for (const [key, v] of Object.entries(values)) fields[key] = typeof v === "number" ? T.double : typeof v === "string" ? T.string : T.bool;
  return { k: "object", what, fields };
}

/** The type as CEL writes it, e.g. `list(double)`. Pure. */
export function typeName(t: ExprType): string {
  switch (t.k) {
    case "list":
      return `list(${typeName(t.elem)})`;
    case "map":
      return `map(${typeName(t.key)}, ${typeName(t.value)})`;
    case "object":
      return t.what;
    case "ref":
      return t.prefix === "" ? `${t.entry.kind} ${t.entry.id}` : `${t.entry.id}.${t.prefix}`;
    case "catalogue":
      return "the map c of components and groups";
    default:
      return t.k;
  }
}
