// Canonical JSON: object keys sorted, no whitespace, undefined members dropped, and non-finite
// numbers refused, so the same record always hashes to the same bytes in Node and browsers.

/** Serializes `value` canonically. Pure; throws on NaN, Infinity, functions, bigint or cycles. */
export function canonicalJson(value: unknown): string {
  return write(value, "$", new Set());
}

function write(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${path} is ${value}; only finite numbers can be logged`);
      return JSON.stringify(value);
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object": {
      if (value === null) return "null";
      if (seen.has(value)) throw new TypeError(`canonicalJson: ${path} refers back to itself`);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        out = `[${value.map((v, i) => (v === undefined ? "null" : write(v, `${path}[${i}]`, seen))).join(",")}]`;
      } else {
        const keys = Object.keys(value).sort();
        const parts: string[] = [];
        for (const k of keys) {
          const v = (value as Record<string, unknown>)[k];
          if (v === undefined) continue;
          parts.push(`${JSON.stringify(k)}:${write(v, `${path}.${k}`, seen)}`);
        }
        out = `{${parts.join(",")}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, which has no JSON form`);
  }
}
