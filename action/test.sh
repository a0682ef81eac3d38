#!/usr/bin/env bash
# The Action's test step: `crossfire test` on $INPUT_PATHS with the JUnit file, the HTML reports
# and the Markdown summary ($GITHUB_STEP_SUMMARY); its exit code goes to $GITHUB_OUTPUT
# (exit-code, passed). The step itself succeeds so the upload step runs; the action's last step
# fails the job when a scenario failed.
set -uo pipefail
read -r -a paths <<< "${INPUT_PATHS:-scenarios}"
args=(test "${paths[@]}" --junit "${INPUT_JUNIT:-crossfire-junit.xml}" --reports "${INPUT_REPORTS:-crossfire-reports}")
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then args+=(--summary "$GITHUB_STEP_SUMMARY"); fi
if [ -n "${INPUT_MAX_EVENTS:-}" ]; then args+=(--max-events "$INPUT_MAX_EVENTS"); fi
crossfire "${args[@]}"
code=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  echo "exit-code=$code" >> "$GITHUB_OUTPUT"
  if [ "$code" = 0 ]; then echo "passed=true" >> "$GITHUB_OUTPUT"; else echo "passed=false" >> "$GITHUB_OUTPUT"; fi
fi
exit 0
