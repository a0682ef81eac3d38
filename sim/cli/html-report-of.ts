// The HTML report of one checked run, from a live run or an opened run file: the one place the CLI
// turns a run view into toHtmlReport's input (`export --format html` and `test --reports`), with
// the incident summary (sim/story) the report opens with.
import type { Finding, RunView } from "../detect/finding.js";
import type { ExpectationResult } from "../assert/expectation.js";
import { incompleteFromLog } from "../assert/verdict.js";
import { toHtmlReport } from "../export/html-report.js";
import { storyOfRun } from "../story/of-run.js";

export interface ReportMeta {
  variant?: string;
  seed: string | number;
  finalHash: string;
  scenarioFile: string;
  scenarioText?: string;
  /** The scenario file's own description when the variant replaces it (ScenarioVariant.fileDescription): the summary keeps the file's facts and choices. */
  fileDescription?: string;
}

export function htmlReportOf(view: RunView, meta: ReportMeta, findings: readonly Finding[], expectations: readonly ExpectationResult[] | undefined): string {
  return toHtmlReport({
    scenario: { name: view.scenario.name, description: view.scenario.description },
    variant: meta.variant,
    seed: meta.seed,
    finalHash: meta.finalHash,
    log: view.log,
    telemetry: view.telemetry,
    findings,
    expectations,
    scenarioComponents: view.scenario.components.map((c) => ({ id: c.id, kind: c.kind, dependsOn: "dependsOn" in c ? (c.dependsOn as { id: string }[]) : undefined })),
    scenarioFile: meta.scenarioFile,
    scenarioText: meta.scenarioText,
    story: storyOfRun({ scenario: view.scenario, fileDescription: meta.fileDescription }, view, { findings, expectations: expectations ?? [], incomplete: incompleteFromLog(view.log) }),
  });
}
