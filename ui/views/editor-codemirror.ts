// The CodeMirror 6 view of the scenario editor (loaded on demand by editor.ts, so the app's first
// frame does not wait for it): YAML with the schema's completion, hover and lint, undo history,
// search, line numbers, bracket matching, and the last run's located problems as diagnostics.
import { closeBrackets, closeBracketsKeymap, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { forEachDiagnostic, lintGutter, lintKeymap, linter, type Diagnostic } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorSelection, EditorState, Prec, StateEffect, StateField, type Text } from "@codemirror/state";
import { drawSelection, EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, ViewPlugin } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { scenarioSchemaSupport } from "./editor-schema.js";

/** A problem of the last run, at its 1-based line and column of the text that was run. */
export interface LocatedProblem {
  line: number;
  col: number;
  message: string;
}

/** What editor.ts drives; the view itself stays inside this module. */
export interface ScenarioEditor {
  text(): string;
  /** Replaces the whole text with a scenario loaded by the app (not reported as an edit). */
  setText(text: string): void;
  /** Replaces the whole text as a user edit would (reported through onEdit; undoable). */
  edit(text: string): void;
  /** Shows the run's problems as diagnostics (kept at their text while the user edits). */
  setProblems(problems: LocatedProblem[]): void;
  /** Moves the caret to line:col (1-based), scrolls it into view and focuses the editor. */
  goTo(line: number, col: number): void;
  focus(): void;
}

export interface ScenarioEditorOptions {
  doc: string;
  /** Called after every change of the text by the user (not by setText). */
  onEdit: () => void;
  /** Ctrl/Cmd-Enter. */
  onRun: () => void;
  /** Called with every diagnostic shown (schema, YAML and run problems) when they change. */
  onDiagnostics: (diagnostics: { line: number; col: number; severity: string; source: string; message: string }[]) => void;
  contentAttributes: Record<string, string>;
}

const setRunProblems = StateEffect.define<LocatedProblem[]>();

/** The run's problems as document ranges, mapped through edits so they stay on their text. */
const runProblems = StateField.define<Diagnostic[]>({
  create: () => [],
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setRunProblems)) return e.value.map((p) => problemDiagnostic(tr.state.doc, p));
    if (!tr.docChanged || value.length === 0) return value;
    return value.map((d) => {
      const from = tr.changes.mapPos(d.from, 1);
      return { ...d, from, to: Math.max(from, tr.changes.mapPos(d.to, -1)) };
    });
  },
});

/** A run problem's range: from line:col to the end of the word there (a key or a value). Pure. */
export function problemDiagnostic(doc: Text, p: LocatedProblem): Diagnostic {
  const line = doc.line(Math.min(Math.max(p.line, 1), doc.lines));
  const from = line.from + Math.min(Math.max(p.col, 1) - 1, line.length);
  const rest = doc.sliceString(from, line.to);
  const word = /^[^\s:,\]}]*/.exec(rest)![0].length;
  const to = word > 0 ? from + word : line.to;
  return { from, to, severity: "error", source: "Crossfire", message: p.message };
}

/** Colours from the app's variables, so the editor follows the page (fonts and sizes as before). */
const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "12px", color: "var(--fg)", backgroundColor: "var(--bg)" },
  ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", lineHeight: "18px" },
  ".cm-gutters": { backgroundColor: "var(--panel)", color: "var(--muted)", borderRight: "1px solid var(--line)" },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "-2px" },
});

/** Creates the editor in `parent`. */
export function createScenarioEditor(parent: HTMLElement, options: ScenarioEditorOptions): ScenarioEditor {
  let fromApp = false;
  const reportDiagnostics = ViewPlugin.define(() => {
    let last = "";
    return {
      update(update) {
        const list: { line: number; col: number; severity: string; source: string; message: string }[] = [];
        forEachDiagnostic(update.state, (d, from) => {
          const line = update.state.doc.lineAt(from);
          list.push({ line: line.number, col: from - line.from + 1, severity: d.severity, source: d.source ?? "", message: d.message });
        });
        const key = JSON.stringify(list);
        if (key !== last) {
          last = key;
          options.onDiagnostics(list);
        }
      },
    };
  });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => (options.onRun(), true), preventDefault: true }])),
        lineNumbers(),
        foldGutter(),
        lintGutter(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightSelectionMatches(),
        search({ top: true }),
        syntaxHighlighting(classHighlighter),
        EditorState.tabSize.of(2),
        scenarioSchemaSupport(),
        runProblems,
        linter((v) => v.state.field(runProblems), { needsRefresh: (u) => u.startState.field(runProblems) !== u.state.field(runProblems), delay: 0 }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap, indentWithTab]),
        EditorView.contentAttributes.of(options.contentAttributes),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !fromApp) options.onEdit();
        }),
        reportDiagnostics,
        theme,
      ],
    }),
  });
  // CodeMirror makes its scroller focusable (tabindex -1, so clicks on it keep focus in the editor):
  // name it, so assistive technology does not meet a nameless focus target around the textbox.
  view.scrollDOM.setAttribute("role", "group");
  view.scrollDOM.setAttribute("aria-label", "Scenario YAML editor");
  return {
    text: () => view.state.doc.toString(),
    setText(text) {
      if (text === view.state.doc.toString()) return;
      fromApp = true;
      try {
        // No scrollIntoView: that would also scroll the page to the editor whenever a run loads.
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, selection: EditorSelection.cursor(0) });
      } finally {
        fromApp = false;
      }
      view.scrollDOM.scrollTop = 0;
    },
    edit(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input.replace" });
    },
    setProblems(problems) {
      // Every new set re-runs all linters (the schema's is not cheap): skip clearing what is clear.
      if (problems.length === 0 && view.state.field(runProblems).length === 0) return;
      view.dispatch({ effects: setRunProblems.of(problems) });
    },
    goTo(line, col) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(line, 1), doc.lines));
      const pos = l.from + Math.min(Math.max(col, 1) - 1, l.length);
      view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: "center" }) });
      view.focus();
    },
    focus: () => view.focus(),
  };
}
