// The HTML report of one checked run, from a live run or an opened run file: the one place the CLI
// turns a run view into toHtmlReport's input (`export --format html` and `test --reports`).
import type { Finding, RunView } from "../detect/finding.js";
import type { ExpectationResult } from "../assert/expectation.js";
import { toHtmlReport } from "../export/html-report.js";

export interface ReportMeta {
  variant?: string;
  seed: string | number;
  finalHash: string;
  scenarioFile: string;
  scenarioText?: string;
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
  });
}
