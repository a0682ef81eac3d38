// A forged run file for the markup-injection tests: an honest run whose records (and header and
// embedded scenario) carry HTML, DOT and quote break-outs in every string field and values of the
// wrong type in typed fields, with the hash chain recomputed so `verify` accepts it.
import { readFileSync } from "node:fs";
import { runAndCheck } from "../../sim/assert/check.js";
import { toRunFile } from "../../sim/export/run-file.js";
import { hashRecord } from "../../sim/log/chain.js";
import { GENESIS_HASH, type EventRecord, type JsonValue } from "../../sim/log/record.js";
import { loadSuite } from "../../sim/scenario/load.js";
import { repoPath } from "../helpers/scenarios.js";

/** What a page shows if an injected handler runs (the Chromium test looks for it). */
export const PWNED = "/pwned";

/** Break-outs for HTML text and attributes, SVG, DOT quoted strings and line-based formats. */
export const EVIL = [
  `<img src=x onerror="location.href='${PWNED}'">`,
  `"><script>location.href='${PWNED}'</script>`,
  `' onmouseover='alert(1)' x='`,
  `</title></text></svg><svg onload=alert(1)>`,
  `\\" ]; evil [label="x`,
  `<b>x</b>&amp;\n-> n0;`,
];

const evil = (i: number) => EVIL[i % EVIL.length];

/** `value` with every string made hostile (kept recognisable as a suffix), recursively. */
function poison(value: JsonValue, i: number): JsonValue {
  if (typeof value === "string") return `${value}${evil(i)}`;
  if (Array.isArray(value)) return value.map((v, k) => poison(v, i + k));
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v], n) => [k, poison(v, i + n)]));
  return value;
}

/** Recomputes `prev` and `hash` of every record in place; returns the head hash. */
export function rechain(log: EventRecord[]): string {
  let prev = GENESIS_HASH;
  for (const r of log) {
    r.prev = prev;
    r.hash = hashRecord(r);
    prev = r.hash;
  }
  return prev;
}

/**
 * The records of `log`, forged: strings in actor, target, onBehalfOf and data poisoned; on every
 * third record numbers in `data` replaced by a string or an object; a few extra records at the
 * end with a hostile `type` and object data. The chain is recomputed, so the result verifies.
 * Wrong types in the record's own fields (`t`, `causes`, `type`...) are refused by verify's shape
 * check (test/log/record-shape.test.ts), so here they hide only inside `data`, which is free-form.
 * `causes: true` adds markup to `causes` anyway, for tests of what verify refuses.
 */
export function forgeLog(honest: readonly EventRecord[], options: { causes?: boolean } = {}): EventRecord[] {
  const badCauses = options.causes ?? false;
  const log: EventRecord[] = honest.map((r) => structuredClone(r) as EventRecord);
  // Record #0 (run.started) and the last (run.ended) bind the header and the telemetry: a forger
  // who rewrites the whole file keeps them consistent (or verify names the header or telemetry).
  const ended = log.pop()!;
  log.forEach((r, i) => {
    if (i === 0) return;
    r.actor = `${r.actor}${evil(i)}`;
    if (r.target !== undefined) r.target = `${r.target}${evil(i + 1)}`;
    if (i % 5 === 0) r.onBehalfOf = `agent${evil(i + 2)}`;
    r.data = poison(r.data, i) as EventRecord["data"];
    if (i % 3 === 0) {
      for (const k of Object.keys(r.data)) if (typeof r.data[k] === "number") r.data[k] = i % 2 === 0 ? evil(i) : { [evil(i)]: evil(i + 1) };
      r.data[evil(i)] = evil(i + 3);
      if (badCauses) (r as unknown as { causes: unknown[] }).causes = [...r.causes, "<b>x</b>", evil(i)];
    }
  });
  for (let k = 0; k < EVIL.length; k++) {
    const seq = log.length;
    log.push({
      seq,
      t: honest[honest.length - 1].t,
      type: `fault.${evil(k)}`,
      actor: evil(k + 1),
      target: evil(k + 2),
      onBehalfOf: evil(k + 3),
      data: { effect: evil(k), from: evil(k + 1), to: { x: evil(k) }, knob: evil(k + 2), healthy: evil(k) as unknown as boolean },
      causes: (badCauses ? [0, "<b>x</b>", evil(k)] : [0]) as unknown as number[],
      prev: "",
      hash: "",
    });
  }
  log.push({ ...ended, seq: log.length });
  rechain(log);
  return log;
}

/**
 * A forged run file (text) of docs/examples/first-scenario.yaml's brownout variant: the embedded
 * scenario's description, the header's scenario file, and every record poisoned. Causes stay
 * seqs unless `causes: true` (verify then refuses the file: issue 13, finding 6).
 */
export function forgedRunFile(options: { causes?: boolean } = {}): string {
  const file = "docs/examples/first-scenario.yaml";
  const scenarioText = readFileSync(repoPath(file), "utf8").replace(/^description: .*$/m, `description: ${JSON.stringify(`A checkout ${EVIL.join(" ")}`)}`);
  const suite = loadSuite(scenarioText, file);
  const variant = suite.variants.find((v) => v.name === "brownout")!;
  const { run } = runAndCheck(variant);
  const log = forgeLog(run.log, options);
  return toRunFile({ scenario: run.scenario.name, variant: variant.name, seed: run.seed, finalHash: log[log.length - 1].hash, scenarioText, scenarioFile: `${file}${evil(0)}${evil(1)}` }, log, run.telemetry);
}

/** The honest run file of the same variant, for comparison. */
export function honestRunFile(): string {
  const file = "docs/examples/first-scenario.yaml";
  const scenarioText = readFileSync(repoPath(file), "utf8");
  const variant = loadSuite(scenarioText, file).variants.find((v) => v.name === "brownout")!;
  const { run } = runAndCheck(variant);
  return toRunFile({ scenario: run.scenario.name, variant: variant.name, seed: run.seed, finalHash: run.finalHash, scenarioText, scenarioFile: file }, run.log, run.telemetry);
}
