// The run file: NDJSON with one header line (format, scenario, seed, final hash) followed by one
// line per hash-chained event record, so `verify` can re-check a saved run without re-running it.
import type { EventRecord } from "../log/record.js";
import { canonicalJson } from "../log/canonical-json.js";

/** Format tag of the header line. */
export const RUN_FILE_FORMAT = "crossfire-run/1";

/** The first line of a run file. */
export interface RunFileHeader {
  format: typeof RUN_FILE_FORMAT;
  scenario: string;
  seed: string | number;
  events: number;
  finalHash: string;
}

/** Serializes a run as NDJSON text (header + records, newline-terminated). Pure. */
export function toRunFile(header: Omit<RunFileHeader, "format">, log: readonly EventRecord[]): string {
  const lines = [canonicalJson({ format: RUN_FILE_FORMAT, ...header })];
  for (const r of log) lines.push(canonicalJson(r));
  return `${lines.join("\n")}\n`;
}

/** Parses run-file text. Throws an Error naming the line that is not valid JSON or lacks the header. Pure. */
export function parseRunFile(text: string, file = "<run>"): { header: RunFileHeader; log: EventRecord[] } {
  const lines = text.split("\n").filter((l, i, all) => l.length > 0 || i < all.length - 1);
  if (lines.length === 0 || lines[0].trim() === "") throw new Error(`${file}:1:1: expected a ${RUN_FILE_FORMAT} header line, found an empty file`);
  const parse = (line: string, n: number): unknown => {
    try {
      return JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${n}:1: expected one JSON object per line, found invalid JSON (${(e as Error).message})`);
    }
  };
  const header = parse(lines[0], 1) as RunFileHeader;
  if (!header || header.format !== RUN_FILE_FORMAT) {
    throw new Error(`${file}:1:1: expected a header with format "${RUN_FILE_FORMAT}", found ${JSON.stringify((header as { format?: unknown })?.format)}; hint: is this a run file written by \`crossfire run --out\`?`);
  }
  const log = lines.slice(1).map((l, i) => parse(l, i + 2) as EventRecord);
  return { header, log };
}
