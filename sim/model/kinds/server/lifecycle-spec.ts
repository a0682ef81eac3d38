// The file format of a server's capacity lifecycle (opt-in): boot and warm-up of added replicas,
// draining of removed ones, and the provisioner whose jobs create them. Pure data.
import { z } from "zod";
import { duration, id } from "../../../scenario/fields.js";
import type { Path, ResolveTools } from "../../../scenario/resolve-tools.js";

/** Longest boot, warm-up or drain (a day): far beyond any real replica, far from overflow. */
export const LIFECYCLE_MS_MAX = 24 * 3_600_000;

/** The lifecycle fields of a service or database, spread into its schema. */
export const lifecycleFields = {
  startup: z.strictObject({
    boot: duration.optional().describe("How long an added replica boots (serves nothing) after it exists, a duration of at most 1 day. Default `0s`."),
    warmUp: duration.optional().describe("After booting, how long a replica warms up: its capacity grows linearly from 0 to full over this time. At most 1 day. Default `0s`."),
  }).optional().describe("Capacity lifecycle (docs/model.md#capacity-that-arrives-late-or-never): the `replicas` knob becomes the desired count, and a replica added by a scale-up boots, then warms up, before it is ready. Default: replicas serve at once."),
  drain: duration.optional().describe("How long a replica removed by a scale-in drains: it takes no new requests at once and costs until drained. At most 1 day. Default `0s` (gone at once)."),
  provisioner: id.optional().describe("The id of a provisioner component: each replica added is a job there (queued under its job limit and API quota, and failing after its jobTimeout), and boots only when its job finishes. Default: none (replicas exist at once)."),
};

/** A server's capacity lifecycle, resolved. Absent when the file sets none of its fields. */
export interface LifecycleSpec {
  bootMs: number;
  warmUpMs: number;
  drainMs: number;
  /** Provisioner component id; absent = a replica exists as soon as it is asked for. */
  provisioner?: string;
}

/** What the lifecycle resolver reads of a server as written. */
export interface LifecycleFile {
  startup?: { boot?: string; warmUp?: string };
  drain?: string;
  provisioner?: string;
}

/** The lifecycle of server `c` (undefined when it sets none of the fields); durations in [0, 1 day]. */
export function resolveLifecycle(c: LifecycleFile, path: Path, t: Pick<ResolveTools, "ms" | "problems">): LifecycleSpec | undefined {
  if (c.startup === undefined && c.drain === undefined && c.provisioner === undefined) return undefined;
  const bounded = (text: string | undefined, at: Path): number => {
    if (text === undefined) return 0;
    const before = t.problems.length;
    const v = t.ms(text, at);
    if (t.problems.length === before && (v < 0 || v > LIFECYCLE_MS_MAX)) t.problems.push({ path: at, expected: "a duration of at most 1 day", found: JSON.stringify(text) });
    return Math.min(LIFECYCLE_MS_MAX, Math.max(0, v));
  };
  return {
    bootMs: bounded(c.startup?.boot, [...path, "startup", "boot"]),
    warmUpMs: bounded(c.startup?.warmUp, [...path, "startup", "warmUp"]),
    drainMs: bounded(c.drain, [...path, "drain"]),
    ...(c.provisioner !== undefined ? { provisioner: c.provisioner } : {}),
  };
}
