// Puts the loader's defaults into the generated JSON Schema as `default` keywords, so editors can
// offer them. The defaults stay where the resolvers read them (DEFAULTS in resolve.ts, gathered
// from each kind's spec module, and DETECTOR_DEFAULTS); this says where each table's fields sit
// in the schema, and repeats the few literals resolvers apply inline (naming the resolver). Pure.
import { formatDuration } from "../core/units.js";
import { DETECTOR_DEFAULTS } from "../detect/index.js";
import { DEFAULTS } from "./resolve.js";
import { GROUP_COORDINATION_DEFAULTS } from "./resolve-coordination-group.js";
import { VETO_DEFAULTS } from "./resolve-veto.js";

type Json = Record<string, unknown>;

/** A default placed in the schema: where it comes from (`service.replicas`), the JSON pointer of the property and its value. */
export interface PlacedDefault {
  source: string;
  pointer: string;
  value: unknown;
}

/** The result of withDefaults: the schema, what was placed, and the table fields that are not file fields. */
export interface SchemaDefaults {
  schema: Json;
  placed: PlacedDefault[];
  /** `table.field` of DEFAULTS entries with no property of that name where the table applies. */
  unplaced: string[];
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A JSON pointer token (RFC 6901). Pure. */
function token(key: string | number): string {
  return String(key).replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The `kind` (or `effect`) values a union branch admits: its `const` or its `enum`. */
function tagsOf(branch: Json, field: string): string[] {
  const tag = (branch.properties as Json | undefined)?.[field];
  if (!isObject(tag)) return [];
  if (typeof tag.const === "string") return [tag.const];
  return Array.isArray(tag.enum) ? tag.enum.filter((v): v is string => typeof v === "string") : [];
}

/** The branches of the union at `pointer` (`oneOf` or `anyOf`) with their pointers. */
function branches(root: Json, pointer: string): { branch: Json; pointer: string }[] {
  const union = at(root, pointer);
  if (!isObject(union)) return [];
  const keyword = Array.isArray(union.oneOf) ? "oneOf" : Array.isArray(union.anyOf) ? "anyOf" : undefined;
  if (!keyword) return [];
  return (union[keyword] as unknown[]).flatMap((b, i) => (isObject(b) ? [{ branch: b, pointer: `${pointer}/${keyword}/${i}` }] : []));
}

/** The value at a JSON pointer, or undefined. */
function at(root: Json, pointer: string): unknown {
  let node: unknown = root;
  for (const part of pointer.split("/").slice(1)) {
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Json)[part.replaceAll("~1", "/").replaceAll("~0", "~")];
  }
  return node;
}

/**
 * Splits each branch of the union at `pointer` whose `kind` admits several values into one
 * branch per value, so each can carry its own defaults (a service and a database share one zod
 * object but not their defaults). Accepts exactly what the union accepted. Mutates `root`.
 */
function splitByKind(root: Json, pointer: string): void {
  const union = at(root, pointer) as Json;
  const keyword = Array.isArray(union.oneOf) ? "oneOf" : "anyOf";
  union[keyword] = (union[keyword] as Json[]).flatMap((branch) => {
    const kinds = tagsOf(branch, "kind");
    if (kinds.length < 2) return [branch];
    const properties = branch.properties as Json;
    return kinds.map((kind) => {
      const { enum: _all, ...tag } = properties.kind as Json;
      return { ...structuredClone(branch), properties: { ...structuredClone(properties), kind: { ...tag, const: kind } } };
    });
  });
}

/**
 * `schema` (as z.toJSONSchema writes the scenario file) with a `default` on every property whose
 * default the loader applies from a defaults table: top-level `step`, each component and agent
 * kind's table on its branch (service and database split into a branch each), `cpu` on services
 * and databases, `health` on every component's health block, `diurnal` and `ramp` on those patterns, the
 * coordination lease TTL and staged-rollout stages, the fault defaults, the detector thresholds,
 * and the few defaults resolvers write inline (`noise`, `callsPerRequest`, `jitter`, ...). Variants are left alone: a field a variant leaves out keeps the base file's value,
 * not the default. Pure (works on a copy).
 */
export function withDefaults(input: Json): SchemaDefaults {
  const schema = structuredClone(input);
  const placed: PlacedDefault[] = [];
  const unplaced: string[] = [];
  const COMPONENTS = "/properties/components/items";
  const AGENTS = "/properties/agents/items";
  splitByKind(schema, COMPONENTS);

  /** Sets `default` on each `table` field that `objectPointer`'s object has; records the others as unplaced under `name`. */
  const place = (objectPointer: string, table: Readonly<Record<string, unknown>>, name: string, rename: (field: string) => string = (f) => f): void => {
    const object = at(schema, objectPointer);
    const properties = isObject(object) && isObject(object.properties) ? object.properties : {};
    for (const [field, value] of Object.entries(table)) {
      const key = rename(field);
      const property = properties[key];
      if (!isObject(property)) {
        unplaced.push(`${name}.${field}`);
        continue;
      }
      property.default = structuredClone(value);
      placed.push({ source: `${name}.${field}`, pointer: `${objectPointer}/properties/${token(key)}`, value });
    }
  };
  const tables = DEFAULTS as unknown as Readonly<Record<string, Readonly<Record<string, unknown>>>>;

  place("", { step: DEFAULTS.step }, "scenario");
  for (const { branch, pointer } of branches(schema, COMPONENTS)) {
    for (const kind of tagsOf(branch, "kind")) {
      if (tables[kind]) place(pointer, tables[kind], kind);
      if (kind === "service" || kind === "database") place(pointer, DEFAULTS.cpu, "cpu");
      if (kind === "service" || kind === "database") place(`${pointer}/properties/pool`, DEFAULTS.pool, "pool");
      if (kind === "service" || kind === "database") place(`${pointer}/properties/restart`, DEFAULTS.restart, "restart");
      if (kind === "service" || kind === "database") place(`${pointer}/properties/coldStart`, DEFAULTS.coldStart, "coldStart");
      if (kind === "clients") place(`${pointer}/properties/circuitBreaker`, DEFAULTS.circuitBreaker, "circuitBreaker");
      if (kind === "provisioner") place(`${pointer}/properties/apiQuota`, DEFAULTS.provisionerQuota, "provisionerQuota");
    }
    place(`${pointer}/properties/health`, DEFAULTS.health, "health");
  }
  for (const { branch, pointer } of branches(schema, AGENTS)) {
    for (const kind of tagsOf(branch, "kind")) if (tables[kind]) place(pointer, tables[kind], kind);
  }
  for (const { branch, pointer } of branches(schema, "/properties/workload/items/properties/pattern")) {
    if (tagsOf(branch, "kind").includes("diurnal")) place(pointer, DEFAULTS.diurnal, "diurnal");
    if (tagsOf(branch, "kind").includes("ramp")) place(pointer, DEFAULTS.ramp, "ramp");
  }
  place("/properties/coordination/properties/lease", { leaseTtl: DEFAULTS.coordination.leaseTtl }, "coordination", () => "ttl");
  place("/properties/coordination/properties/stagedRollout", DEFAULTS.stagedRollout, "stagedRollout");
  for (const { branch, pointer } of branches(schema, "/properties/faults/items")) {
    if (tagsOf(branch, "effect").includes("errors")) place(pointer, { errorsRate: DEFAULTS.faults.errorsRate }, "faults", () => "rate");
    if (tagsOf(branch, "effect").includes("crash")) place(pointer, { crashShare: DEFAULTS.faults.crashShare }, "faults", () => "share");
    else if (tagsOf(branch, "effect").includes("agentCrash")) place(pointer, { resume: DEFAULTS.faults.resume }, "faults");
    // Leaks (hosts) grow at a constant rate and partitions cut or not: neither ramps.
    else if (!tagsOf(branch, "effect").includes("leak") && !tagsOf(branch, "effect").includes("partition")) place(pointer, { rampShape: DEFAULTS.faults.rampShape }, "faults");
  }
  // Defaults the resolvers write inline (`?? false`) rather than in a table; each names its resolver.
  const onKind = (union: string, kind: string, relative: string, table: Readonly<Record<string, unknown>>, name: string) => {
    for (const { branch, pointer } of branches(schema, union)) if (tagsOf(branch, "kind").includes(kind)) place(`${pointer}${relative}`, table, name);
  };
  place("/properties/workload/items", { noise: 0 }, "resolve.ts workload");
  for (const { branch, pointer } of branches(schema, COMPONENTS)) {
    if (tagsOf(branch, "kind").length > 0 && at(schema, `${pointer}/properties/dependsOn`) !== undefined) {
      for (const dep of branches(schema, `${pointer}/properties/dependsOn/items`)) if (isObject(dep.branch.properties)) place(dep.pointer, { callsPerRequest: 1 }, "fields.ts resolveDependencies");
    }
  }
  onKind(COMPONENTS, "loadBalancer", "", { healthChecks: false }, "loadBalancer spec.ts");
  onKind(COMPONENTS, "documentStore", "/properties/documents/items", { version: 1, schema: "v1" }, "documentStore spec.ts");
  onKind(COMPONENTS, "dnsRecord", "", { plan: 1 }, "dnsRecord spec.ts");
  onKind(COMPONENTS, "clients", "", { backoff: "immediate", jitter: false }, "clients spec.ts");
  onKind(COMPONENTS, "configConsumer", "", { version: "latest", failover: false }, "configConsumer spec.ts");
  onKind(AGENTS, "enactor", "", { protectReferenced: false, fencing: false }, "resolve.ts enactor");
  onKind(AGENTS, "distributor", "", { keepLastGood: false }, "resolve-config.ts distributor");
  place("/properties/coordination", { idempotency: false, intents: false }, "resolve.ts coordination");
  place("/properties/coordination/properties/compareAndSet", { requireVersion: false }, "resolve.ts coordination");
  place("/properties/coordination/properties/velocity/items", { direction: "both" }, "resolve.ts coordination");
  place("/properties/coordination/properties/velocity/items", { onExceed: GROUP_COORDINATION_DEFAULTS.onExceed }, "resolve-coordination-group.ts");
  place("/properties/coordination/properties/failStatic/items", { action: GROUP_COORDINATION_DEFAULTS.action, recheck: GROUP_COORDINATION_DEFAULTS.recheck, holdMax: GROUP_COORDINATION_DEFAULTS.holdMax }, "resolve-coordination-group.ts");
  place("/properties/coordination/properties/veto/items", { action: VETO_DEFAULTS.action, recheck: VETO_DEFAULTS.recheck, holdMax: VETO_DEFAULTS.holdMax }, "resolve-veto.ts");
  // Detector options are resolved values (`thrashWindowMs: 3600000`); the file writes `thrashWindow: 1h`.
  const detectors = Object.fromEntries(Object.entries(DETECTOR_DEFAULTS).map(([k, v]) => [k, k.endsWith("Ms") ? formatDuration(v) : v]));
  place("/properties/detectors", detectors, "detectors", (k) => (k.endsWith("Ms") ? k.slice(0, -2) : k));
  return { schema, placed, unplaced };
}
