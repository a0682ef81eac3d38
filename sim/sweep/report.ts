// A sweep's summary as terminal text: finding kinds and expectation failures per seed with
// their 95% Wilson intervals, the seeds that met the expectations and how the system fared on
// them (two facts, kept apart), and the command that replays the first failing seed.
import type { SeedResult } from "./run-seed.js";
import type { SeedShare, SweepSummary } from "./summarize.js";

/** What the report names besides the summary. */
export interface SweepReportMeta {
  scenario: string;
  /** The variant's name, or undefined for a file without variants. */
  variant?: string;
  fromSeed: number;
  scenarioSha256: string;
  /** The failing seed's result (the first one) and the command line that replays it. */
  firstFailing?: { result: SeedResult; reproduce: string };
}

const FAILING_SEEDS_SHOWN = 20;

/** The report's lines, without trailing newlines. Pure; no wall time, so it does not depend on how the sweep was run. */
export function sweepReportLines(summary: SweepSummary, meta: SweepReportMeta): string[] {
  const n = summary.seeds;
  const lines: string[] = [];
  const label = meta.variant === undefined ? meta.scenario : `${meta.scenario} [${meta.variant}]`;
  lines.push(`sweep ${label}  seeds ${meta.fromSeed}..${meta.fromSeed + n - 1} (${n})  scenario sha256 ${meta.scenarioSha256.slice(0, 16)}`);
  lines.push(`${summary.distinctFinalHashes} distinct final hash${summary.distinctFinalHashes === 1 ? "" : "es"} over ${n} seed${n === 1 ? "" : "s"}`);
  if (n > 1 && summary.distinctFinalHashes === 1) lines.push("  (every seed ran the same events: nothing in this scenario draws on its random streams, so more seeds add nothing)");

  lines.push("", "findings: seeds showing each kind, with the 95% Wilson interval");
  const seen = summary.findings.filter((f) => f.seeds.count > 0);
  const unseen = summary.findings.filter((f) => f.seeds.count === 0);
  const kindWidth = Math.max(0, ...seen.map((f) => f.kind.length));
  for (const f of seen) lines.push(`  ${f.kind.padEnd(kindWidth)}  ${shareText(f.seeds)}  ${f.total} finding${f.total === 1 ? "" : "s"}`);
  if (unseen.length > 0) {
    const none = unseen[0].seeds;
    lines.push(`  ${seen.length === 0 ? "none in any seed" : "not seen"}: ${unseen.map((f) => f.kind).join(", ")}  (0/${n}: ${intervalText(none)} each)`);
  }

  lines.push("", "expectations: seeds where each failed");
  if (summary.expectations.length === 0) lines.push("  (the variant has no expectations)");
  const countWidth = `${n}/${n}`.length;
  for (const e of summary.expectations) {
    lines.push(`  ${`${e.failedSeeds}/${n}`.padStart(countWidth)}  ${e.name}${e.firstFailingSeed !== undefined ? `  (first at seed ${e.firstFailingSeed})` : ""}`);
  }
  if (summary.incomplete > 0) lines.push(`  ${`${summary.incomplete}/${n}`.padStart(countWidth)}  runs stopped early (incomplete)`);

  lines.push("");
  // Two facts apart: how many seeds met the expectations, and how the system fared on them.
  lines.push(`expectations met on ${summary.passed.count}/${n} seeds  ${shareText(summary.passed, false).trimStart()}${systemsText(summary)}`);
  if (summary.failed > 0) {
    const shown = summary.failingSeeds.slice(0, FAILING_SEEDS_SHOWN).join(", ");
    const more = summary.failingSeeds.length - FAILING_SEEDS_SHOWN;
    lines.push(`expectations not met on seeds ${shown}${more > 0 ? `, ... ${more} more` : ""}`);
  }
  if (meta.firstFailing) {
    const { result, reproduce } = meta.firstFailing;
    const why = [...result.failedExpectations.map((name) => `"${name}" failed`), ...(result.incomplete !== undefined ? [result.incomplete] : [])];
    lines.push(`first failing seed ${result.seed}: ${why.join("; ")}`, `  reproduce: ${reproduce}`);
  }
  return lines;
}

/** "; system: outage on 41, degraded on 3, healthy on 156", or nothing when no seed said. */
function systemsText(summary: SweepSummary): string {
  const parts = (["outage", "degraded", "healthy"] as const).filter((k) => summary.systems[k] > 0).map((k) => `${k} on ${summary.systems[k]}`);
  return parts.length === 0 ? "" : `; system: ${parts.join(", ")}`;
}

function shareText(s: SeedShare, withCount = true): string {
  const percent = `${(s.rate * 100).toFixed(1)}%`.padStart(6);
  return `${withCount ? `${`${s.count}/${s.of}`.padStart(`${s.of}/${s.of}`.length)}  ` : ""}${percent}  ${intervalText(s)}`;
}

function intervalText(s: SeedShare): string {
  return `[${(s.ci95.low * 100).toFixed(1)}%, ${(s.ci95.high * 100).toFixed(1)}%]`;
}
