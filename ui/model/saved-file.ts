// Reads a file the user opens in the app, a run file (crossfire run --out, or the export panel)
// or an HTML report (crossfire export --format html), into what the app needs to show that run
// again: the scenario text, variant and seed to re-run, and the final hash the re-run must reach.
import { describeValue, InputError } from "../../sim/core/errors.js";
import { HTML_REPORT_RUN_FORMAT, HTML_REPORT_RUN_ID } from "../../sim/export/html-report.js";
import { RUN_FILE_FORMAT } from "../../sim/export/run-file.js";
import { readCheckedRunFile, type RunBounds } from "../../sim/export/run-file-check.js";

/** A run to re-run: `finalHash` is the hash the re-run must reproduce to be the same run. */
export interface SavedFile {
  kind: "run-file" | "html-report";
  scenarioText: string;
  /** The scenario's path as it was run, or the opened file's name when the file does not say. */
  scenarioFile: string;
  variant?: string;
  seed: string | number;
  finalHash: string;
  /** Where a bounded run stopped (`--max-events`), so the re-run stops at the same place. */
  bounds?: RunBounds;
}

const HASH = /^[0-9a-f]{64}$/;
const DATA_BLOCK = new RegExp(`<script\\b[^>]*\\bid=["']${HTML_REPORT_RUN_ID}["'][^>]*>([\\s\\S]*?)</script>`, "i");

/**
 * Reads `text` (the file's contents; `name` names it in errors). A run file's hash chain is
 * verified and must end at its header's final hash; a report's embedded run is checked for shape
 * only (it has no records): either way the caller re-runs the scenario and compares final hashes.
 * Throws InputError saying what was expected. Pure.
 */
export function readSavedFile(text: string, name: string): SavedFile {
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("{")) return readRunFile(text, name);
  if (start.startsWith("<")) return readHtmlReport(text, name);
  throw new InputError(name, `a Crossfire run file (${RUN_FILE_FORMAT}, from \`crossfire run --out\`) or HTML report (from \`crossfire export --format html\`)`, start === "" ? "an empty file" : `text starting ${JSON.stringify(start.slice(0, 40))}`);
}

function readRunFile(text: string, name: string): SavedFile {
  // The chain, and the header and telemetry it binds; the caller then re-runs and compares final hashes.
  const { run, check } = readCheckedRunFile(text, name);
  const { header } = run;
  return { kind: "run-file", scenarioText: header.scenarioText, scenarioFile: header.scenarioFile ?? name, variant: header.variant, seed: header.seed, finalHash: header.finalHash, ...(check.bounds ? { bounds: check.bounds } : {}) };
}

function readHtmlReport(text: string, name: string): SavedFile {
  const block = DATA_BLOCK.exec(text);
  if (!block) {
    if (/<title>Crossfire report:/.test(text)) {
      throw new InputError(name, `a Crossfire HTML report with its run embedded (<script id="${HTML_REPORT_RUN_ID}">)`, "a report without it (written before reports embedded their run, or without the scenario text)", "export the report again with this version, or open the run file (`crossfire run <scenario> --out <file>`)");
    }
    throw new InputError(name, "a Crossfire run file or HTML report", "an HTML page that is not a Crossfire report", "open the file written by `crossfire export --format html` or `crossfire run --out`");
  }
  const where = `${name} (#${HTML_REPORT_RUN_ID})`;
  let data: unknown;
  try {
    data = JSON.parse(block[1]);
  } catch (e) {
    throw new InputError(where, "the report's run as JSON", `invalid JSON (${(e as Error).message})`, "the file was changed after it was written");
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new InputError(where, "the report's run as a JSON object", describeValue(data));
  const run = data as Record<string, unknown>;
  const field = (key: string, expected: string, ok: (v: unknown) => boolean) => {
    if (!ok(run[key])) throw new InputError(`${where}.${key}`, expected, describeValue(run[key]), "the file was changed after it was written");
  };
  if (run.format !== HTML_REPORT_RUN_FORMAT) {
    throw new InputError(`${where}.format`, JSON.stringify(HTML_REPORT_RUN_FORMAT), describeValue(run.format), "a report from another version of Crossfire: open its run file instead");
  }
  field("scenarioText", "the scenario file's text", (v) => typeof v === "string" && v.trim() !== "");
  field("finalHash", "a SHA-256 hash (64 lowercase hex digits)", (v) => typeof v === "string" && HASH.test(v));
  field("seed", "a seed (a string or a whole number)", (v) => (typeof v === "string" && v !== "") || Number.isSafeInteger(v));
  field("variant", "a variant name (or no variant)", (v) => v === undefined || typeof v === "string");
  field("scenarioFile", "the scenario file's path (or none)", (v) => v === undefined || typeof v === "string");
  field("bounds", "where a bounded run stopped ({maxEvents} or {maxTimeMs}), or nothing", isBounds);
  return {
    kind: "html-report",
    scenarioText: run.scenarioText as string,
    scenarioFile: (run.scenarioFile as string | undefined) ?? name,
    variant: run.variant as string | undefined,
    seed: run.seed as string | number,
    finalHash: run.finalHash as string,
    ...(run.bounds !== undefined ? { bounds: run.bounds as RunBounds } : {}),
  };
}

function isBounds(v: unknown): boolean {
  if (v === undefined) return true;
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const { maxEvents, maxTimeMs, ...rest } = v as Record<string, unknown>;
  return Object.keys(rest).length === 0 && (maxEvents === undefined || (Number.isSafeInteger(maxEvents) && (maxEvents as number) > 0)) && (maxTimeMs === undefined || (Number.isSafeInteger(maxTimeMs) && (maxTimeMs as number) >= 0));
}
