// The file format of the `loadBalancer` kind: its YAML fields, its resolved spec and the resolver
// applying its defaults (equal weights) and checking that weights name its targets. Pure data.
import { z } from "zod";
import { componentId, duration, health, id, type HealthSpec } from "../../../scenario/fields.js";
import type { KindSpec } from "../../../scenario/kind-spec.js";
import { hintFor } from "../../../scenario/problems.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Defaults of a load balancer (gathered into resolve.ts DEFAULTS through the registry). */
export const LOAD_BALANCER_DEFAULTS = {
  loadBalancer: { baseLatency: "1ms", costPerHour: 0.05 },
} as const;

/** A `loadBalancer` component as written. */
export const loadBalancerSchema = z.strictObject({
  id: componentId,
  kind: z.literal("loadBalancer").describe("Splits its load over the in-service targets in proportion to their weights (knobs `weight.<target>`)."),
  targets: z.array(id).min(1).describe("Ids of the services, databases or config consumers it sends load to."),
  weights: z.record(z.string(), z.number().min(0).max(100)).optional().describe("Initial weight per target id, 0-100 (knobs `weight.<target>`). Default: equal weights, 100 / number of targets, for every target not listed."),
  /** Targets can be taken out of service and returned (knobs `inService.<target>`). */
  healthChecks: z.boolean().optional().describe("Adds knobs `inService.<target>` (1 in service, 0 out; every target starts in service) through which health checks take targets out and return them; a `healthChecker` agent needs it. Default false."),
  baseLatency: duration.optional().describe("Latency the balancer adds to every request, a duration. Default `1ms`."),
  costPerHour: z.number().nonnegative().optional().describe("Cost of the balancer in dollars per hour (signal `costPerHour`). Default 0.05."),
  health,
}).describe("A load balancer splitting load over targets by weight (docs/model.md).");

/** A load balancer as written (before units are parsed and defaults applied). */
export type LoadBalancerFile = z.infer<typeof loadBalancerSchema>;

/** A load balancer splitting its load over targets in proportion to weights (knobs `weight.<target>`). */
export interface LoadBalancerSpec {
  id: string;
  kind: "loadBalancer";
  targets: string[];
  /** Initial weight per target, 0..100. */
  weights: Record<string, number>;
  /** With health checks the balancer has knobs `inService.<target>` (0/1, initially 1); absent = false. */
  healthChecks?: boolean;
  baseLatencyMs: number;
  costPerHour: number;
  health: HealthSpec;
}

/** Resolves a load balancer: a weight for every target (equal shares by default); a weight naming no target is a problem. */
export function resolveLoadBalancer(c: LoadBalancerFile, path: Path, t: ResolveTools): LoadBalancerSpec {
  const weights: Record<string, number> = {};
  for (const target of c.targets) weights[target] = c.weights?.[target] ?? 100 / c.targets.length;
  for (const key of Object.keys(c.weights ?? {})) {
    if (!c.targets.includes(key)) t.problems.push({ path: [...path, "weights", key], expected: `a weight for one of the targets (${c.targets.join(", ")})`, found: JSON.stringify(key), hint: hintFor(key, c.targets) });
  }
  return { id: c.id, kind: "loadBalancer", targets: [...c.targets], weights, ...(c.healthChecks ? { healthChecks: true } : {}), baseLatencyMs: t.ms(c.baseLatency ?? LOAD_BALANCER_DEFAULTS.loadBalancer.baseLatency, [...path, "baseLatency"]), costPerHour: c.costPerHour ?? LOAD_BALANCER_DEFAULTS.loadBalancer.costPerHour, health: t.health(c.health, [...path, "health"]) };
}

/** The spec module of `loadBalancer`: its targets must be services, databases or config consumers. */
export const loadBalancerKind: KindSpec<typeof loadBalancerSchema, LoadBalancerSpec, typeof LOAD_BALANCER_DEFAULTS> = {
  kinds: ["loadBalancer"],
  schema: loadBalancerSchema,
  defaults: LOAD_BALANCER_DEFAULTS,
  resolve: resolveLoadBalancer,
  references: (s, path, reference) => s.targets.forEach((target, j) => reference(target, [...path, "targets", j], ["service", "database", "configConsumer"])),
  downstream: (s) => s.targets,
};
