// Units of a host's resources as scenario files write them: memory in bytes with binary (`512Mi`,
// `16Gi`) or decimal (`500M`) suffixes, CPU in cores or millicores (`4`, `4000m`), file
// descriptors and threads as counts, and leak rates as an amount per time unit (`10Mi/s`, `5/s`).
// Pure; parsers throw InputError (the loader reports it at the field's line).
import { InputError, describeValue } from "../../../core/errors.js";
import { HOST_AMOUNT_MAX } from "../../../scenario/budgets.js";

/** The resources a host limits. */
export const HOST_RESOURCES = ["cpu", "memory", "fileDescriptors", "threads"] as const;
export type HostResource = (typeof HOST_RESOURCES)[number];

/** Resources a leak fault can leak (CPU is not held, so it cannot leak). */
export const LEAKABLE_RESOURCES = ["memory", "fileDescriptors", "threads"] as const;
export type LeakableResource = (typeof LEAKABLE_RESOURCES)[number];

const MEMORY_UNITS: Record<string, number> = { "": 1, B: 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };
const MEMORY = /^\s*(\d+(?:\.\d+)?)\s*(B|Ki|Mi|Gi|Ti|Pi|k|K|M|G|T|P)?\s*$/;
const CPU = /^\s*(\d+(?:\.\d+)?)\s*(m?)\s*$/;
const COUNT = /^\s*(\d+(?:\.\d+)?)\s*$/;
const PER_TIME_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

const EXAMPLE: Record<HostResource, string> = { cpu: "`4000m` or `4` (cores)", memory: "`512Mi`, `16Gi` or a number of bytes", fileDescriptors: "a whole number such as `65536`", threads: "a whole number such as `4096`" };

/** The unit a resource is held in after parsing: millicores, bytes, or a count. */
export const RESOURCE_UNIT: Record<HostResource, string> = { cpu: "millicores", memory: "bytes", fileDescriptors: "file descriptors", threads: "threads" };

/**
 * Parses an amount of `resource` (`16Gi`, `4000m`, `65536`, or a plain number: bytes, cores,
 * count) into its unit (bytes, millicores, count). Pure; throws InputError for text that is not
 * such an amount, a negative or non-finite number, or one above HOST_AMOUNT_MAX.
 */
export function parseAmount(resource: HostResource, value: unknown, path: string = resource): number {
  let amount: number;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new InputError(path, `an amount of ${resource} (${EXAMPLE[resource]})`, describeValue(value));
    amount = resource === "cpu" ? value * 1000 : value;
  } else if (typeof value === "string") {
    amount = parseText(resource, value, path);
  } else {
    throw new InputError(path, `an amount of ${resource} (${EXAMPLE[resource]})`, describeValue(value));
  }
  if (amount > HOST_AMOUNT_MAX) throw new InputError(path, `at most ${HOST_AMOUNT_MAX.toExponential(0)} ${RESOURCE_UNIT[resource]}`, describeValue(value), "no host has more; the usage sums must stay finite");
  return amount;
}

function parseText(resource: HostResource, text: string, path: string): number {
  if (resource === "memory") {
    const m = MEMORY.exec(text);
    if (!m) throw new InputError(path, `an amount of memory (${EXAMPLE.memory})`, JSON.stringify(text), "units: Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000)");
    return Number(m[1]) * MEMORY_UNITS[m[2] ?? ""];
  }
  if (resource === "cpu") {
    const m = CPU.exec(text);
    if (!m) throw new InputError(path, `an amount of CPU (${EXAMPLE.cpu})`, JSON.stringify(text), "write millicores with `m` (`500m`) or cores without a unit (`0.5`)");
    return m[2] === "m" ? Number(m[1]) : Number(m[1]) * 1000;
  }
  const m = COUNT.exec(text);
  if (!m) throw new InputError(path, `a number of ${RESOURCE_UNIT[resource]} (${EXAMPLE[resource]})`, JSON.stringify(text));
  return Number(m[1]);
}

/**
 * Parses a leak rate of `resource` (`10Mi/s`, `5/s`, `300/m`, or a plain number per second) into
 * its unit per second. Pure; throws InputError.
 */
export function parseResourceRate(resource: LeakableResource, value: unknown, path = "rate"): number {
  if (typeof value === "number") return parseAmount(resource, value, path);
  if (typeof value !== "string") throw new InputError(path, `a rate of ${resource} such as ${resource === "memory" ? "`10Mi/s`" : "`5/s`"}`, describeValue(value));
  const slash = value.lastIndexOf("/");
  const per = slash < 0 ? "" : value.slice(slash + 1).trim();
  if (slash < 0 || PER_TIME_MS[per] === undefined) {
    throw new InputError(path, `a rate of ${resource} such as ${resource === "memory" ? "`10Mi/s`" : "`5/s`"}`, JSON.stringify(value), "write <amount>/<ms|s|m|h>");
  }
  const rate = (parseAmount(resource, value.slice(0, slash), path) * 1000) / PER_TIME_MS[per];
  if (rate > HOST_AMOUNT_MAX) throw new InputError(path, `at most ${HOST_AMOUNT_MAX.toExponential(0)} ${RESOURCE_UNIT[resource]} per second`, JSON.stringify(value));
  return rate;
}
