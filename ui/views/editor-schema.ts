// The scenario JSON Schema in the editor: completion of keys and values, hover docs and lint,
// through codemirror-json-schema's YAML mode; plus YAML syntax errors, linted as the user types.
// Everything shown is built as text (descriptions come from our schema, keys from the editor).
import { autocompletion } from "@codemirror/autocomplete";
import { yaml, yamlLanguage } from "@codemirror/lang-yaml";
import { linter, type Diagnostic } from "@codemirror/lint";
import type { Extension } from "@codemirror/state";
import { hoverTooltip, type EditorView } from "@codemirror/view";
import { stateExtensions } from "codemirror-json-schema";
import { yamlCompletion, yamlSchemaHover, yamlSchemaLinter } from "codemirror-json-schema/yaml";
import { parseDocument } from "yaml";
import scenarioSchema from "../../schema/scenario.schema.json";

/** Pause after typing before the schema and YAML linters run (the schema check is the costly one). */
const LINT_DELAY_MS = 500;
/**
 * Longest text the schema linter checks. It runs on the main thread and takes seconds on a 36 kB
 * generated scenario (the library's largest is 15 kB); past this, the run's own located errors
 * (from the worker) still show.
 */
export const SCHEMA_LINT_MAX_CHARS = 24_000;

/** YAML, the scenario schema's completion, hover and lint, and YAML syntax diagnostics. */
export function scenarioSchemaSupport(): Extension[] {
  const schemaLint = yamlSchemaLinter();
  return [
    yaml(),
    stateExtensions(scenarioSchema as Parameters<typeof stateExtensions>[0]),
    yamlLanguage.data.of({ autocomplete: yamlCompletion() }),
    autocompletion({ activateOnTyping: true, icons: false }),
    hoverTooltip(yamlSchemaHover({ formatHover: hoverDom }), { hoverTime: 350 }),
    // The library renders messages through innerHTML; a diagnostic without renderMessage is shown as text.
    linter((view) => (view.state.doc.length > SCHEMA_LINT_MAX_CHARS ? [] : schemaLint(view).map(asText("schema"))), { delay: LINT_DELAY_MS }),
    linter(yamlSyntaxDiagnostics, { delay: LINT_DELAY_MS }),
  ];
}

/** Diagnostics for text that is not YAML (the loader would refuse it before any schema check). */
export function yamlSyntaxDiagnostics(view: Pick<EditorView, "state">): Diagnostic[] {
  const text = view.state.doc.toString();
  const doc = parseDocument(text, { prettyErrors: false });
  const length = text.length;
  return [...doc.errors, ...doc.warnings].map((e) => {
    const from = Math.min(e.pos[0], length);
    return { from, to: Math.min(Math.max(e.pos[1], from), length), severity: doc.errors.includes(e as never) ? "error" : "warning", source: "YAML", message: e.message.split("\n")[0] };
  });
}

/** A diagnostic shown as plain text with its source named. Pure. */
function asText(source: string) {
  return (d: Diagnostic): Diagnostic => ({ from: d.from, to: d.to, severity: d.severity, source, message: d.message });
}

/** The hover card: the schema's description and the expected type, as text. */
function hoverDom(texts: { message: string; typeInfo: string }): HTMLElement {
  const card = document.createElement("div");
  card.className = "ed-hover";
  card.dataset.testid = "editor-hover";
  if (texts.message) {
    const description = document.createElement("div");
    description.className = "ed-hover-description";
    description.textContent = texts.message;
    card.appendChild(description);
  }
  if (texts.typeInfo) {
    const type = document.createElement("code");
    type.className = "ed-hover-type";
    // The library appends "`format`: …" and "`pattern`: …" to the type without a separator.
    type.textContent = texts.typeInfo.replace(/`(format|pattern|enum)`:/g, " · $1:").replace(/`/g, "").trim();
    card.appendChild(type);
  }
  return card;
}
