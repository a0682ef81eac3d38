// The scenario YAML editor: a CodeMirror 6 view (loaded on demand) whose edits re-run the worker
// after a pause; the schema drives completion, hover docs and lint, a failed run's problems are
// shown at their line:col (diagnostics and a list that moves the caret there), and Share puts the
// edited text in the URL's fragment.
import type { AppState, Store } from "../state/store.js";
import type { LocatedProblem, ScenarioEditor } from "./editor-codemirror.js";
import { clearSharedFragment, ShareError, sharedText, shareInUrl } from "./editor-share.js";

/** Pause after the last keystroke before the edited text is re-run. */
const DEBOUNCE_MS = 600;

/** A diagnostic shown in the editor, at its 1-based line and column. */
export interface ShownDiagnostic {
  line: number;
  col: number;
  severity: string;
  /** "Crossfire" (the last run), "schema" or "YAML". */
  source: string;
  message: string;
}

/**
 * The editor's automation hook, set on the #editor element once CodeMirror is ready (then
 * `data-editor-ready="true"`): tests read the whole text (CodeMirror draws only the visible
 * lines), replace it as a user edit would, and list the diagnostics shown.
 */
export interface EditorHook {
  text(): string;
  edit(text: string): void;
  diagnostics(): ShownDiagnostic[];
}

/**
 * Mounts the editor into `root`. `run(text)` re-runs that YAML text. The text is reloaded from
 * the store only when the store's scenarioText changes to something the editor did not send
 * (another file, variant or seed re-runs the library text), never on cursor or selection changes.
 */
export function mountEditor(root: HTMLElement, store: Store, run: (text: string) => void): void {
  root.innerHTML = `<h2>Scenario editor</h2>
    <p class="ed-help" id="ed-help">YAML of the scenario being run; edits re-run after a pause, Ctrl+Enter runs now. Ctrl+Space completes keys and values from the schema, hovering a key shows its documentation, Ctrl+F searches, Ctrl+Z undoes. Tab indents (Esc, then Tab, leaves the editor). Share puts the edited scenario in the page's link.</p>
    <div class="ed-toolbar">
      <button type="button" class="ed-run" data-testid="editor-run">Run now</button>
      <button type="button" class="ed-revert" data-testid="editor-revert">Revert</button>
      <button type="button" class="ed-share" data-testid="editor-share" title="Put the edited scenario in the page's link (it stays in the link's fragment, never sent to a server) and copy the link">Share</button>
      <span class="ed-state" role="status" aria-live="polite"></span>
    </div>
    <div class="ed-frame"><p class="ed-loading">Loading the editor…</p></div>
    <ul class="ed-problems" aria-label="Scenario problems"></ul>`;
  const frame = root.querySelector<HTMLDivElement>(".ed-frame")!;
  const list = root.querySelector<HTMLUListElement>(".ed-problems")!;
  const stateLabel = root.querySelector<HTMLSpanElement>(".ed-state")!;

  let editor: ScenarioEditor | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The last text handed to `run` (so the store echoing it back does not reset the caret). */
  let sent: string | undefined;
  /** The text last loaded from the store, for Revert and for the editor's first text. */
  let loaded = "";
  let problems: ShownProblem[] = [];
  let diagnostics: ShownDiagnostic[] = [];

  const setState = (state: string, label: string) => {
    root.dataset.editorState = state;
    stateLabel.textContent = label;
  };
  const textNow = () => editor?.text() ?? loaded;

  /** Keeps the link's fragment on the text being run: the edited text, or none for a reverted one. */
  const followInUrl = (text: string) => {
    if (text === loaded && sharedText() !== loaded) {
      clearSharedFragment();
      return;
    }
    shareInUrl(text).catch(() => clearSharedFragment());
  };

  const runNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const text = textNow();
    const s = store.get();
    if (text === s.scenarioText && s.status !== "error" && s.status !== "idle") {
      setState(s.status === "running" ? "running" : "ok", s.status === "running" ? "Running…" : "Unchanged");
      return;
    }
    sent = text;
    setState("running", "Running…");
    run(text);
    followInUrl(text);
  };

  const schedule = () => {
    if (timer !== undefined) clearTimeout(timer);
    setState("pending", "Edited; re-running after a pause…");
    timer = setTimeout(runNow, DEBOUNCE_MS);
  };

  const share = async () => {
    try {
      const url = await shareInUrl(textNow());
      let copied = false;
      try {
        await navigator.clipboard.writeText(url);
        copied = true;
      } catch {
        // No clipboard permission (or no secure context): the link is in the address bar.
      }
      root.dataset.shared = String(url.length);
      setState(root.dataset.editorState ?? "ok", `${copied ? "Link copied" : "Link is in the address bar"} (${url.length.toLocaleString("en")} characters)`);
    } catch (e) {
      setState("error", `Cannot share: ${e instanceof ShareError ? e.message : String(e)}`);
    }
  };

  const renderProblems = (shown: ShownProblem[]) => {
    problems = shown;
    root.dataset.errors = String(shown.length);
    editor?.setProblems(shown.filter((p) => p.line > 0) as LocatedProblem[]);
    const items = document.createDocumentFragment();
    for (const p of shown) {
      const li = document.createElement("li");
      li.className = "ed-problem";
      if (p.line > 0) {
        li.dataset.errorLine = String(p.line);
        li.dataset.errorCol = String(p.col);
        li.tabIndex = 0;
        li.setAttribute("role", "link");
        li.title = `Go to line ${p.line}, column ${p.col}`;
        const go = () => editor?.goTo(p.line, p.col);
        li.addEventListener("click", go);
        li.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            go();
          }
        });
      }
      const where = document.createElement("span");
      where.className = "ed-where mono";
      where.textContent = p.line > 0 ? `line ${p.line}:${p.col}` : "scenario";
      const text = document.createElement("span");
      text.className = "ed-message";
      text.textContent = p.message;
      li.append(where, " ", text);
      items.appendChild(li);
    }
    list.replaceChildren(items);
    list.hidden = shown.length === 0;
  };

  root.querySelector(".ed-run")!.addEventListener("click", runNow);
  root.querySelector(".ed-revert")!.addEventListener("click", () => {
    editor?.edit(loaded);
    runNow();
  });
  root.querySelector(".ed-share")!.addEventListener("click", () => void share());

  // CodeMirror and the schema are a separate chunk: the first frame of the app does not wait for them.
  import("./editor-codemirror.js").then(
    ({ createScenarioEditor }) => {
      frame.replaceChildren();
      editor = createScenarioEditor(frame, {
        doc: loaded,
        onEdit: schedule,
        onRun: runNow,
        onDiagnostics: (shown) => {
          diagnostics = shown;
          root.dataset.diagnostics = String(shown.length);
        },
        contentAttributes: { "aria-label": "Scenario YAML", "aria-describedby": "ed-help", "data-testid": "editor-text" },
      });
      renderProblems(problems);
      const hook: EditorHook = { text: () => editor!.text(), edit: (text) => editor!.edit(text), diagnostics: () => diagnostics };
      (root as HTMLElement & { crossfireEditor?: EditorHook }).crossfireEditor = hook;
      root.dataset.editorReady = "true";
    },
    (e: Error) => {
      frame.textContent = `The editor could not be loaded: ${e.message}`;
      setState("error", "Editor not loaded");
    },
  );

  store.subscribe((s: AppState, previous: AppState) => {
    const first = s === previous;
    if ((first || s.scenarioText !== previous.scenarioText) && s.scenarioText !== sent) {
      // A run the editor did not ask for (another file, variant or seed, a saved run, a shared link): show its text.
      loaded = s.scenarioText;
      sent = undefined;
      if (s.scenarioText !== "" && s.scenarioText !== sharedText()) clearSharedFragment();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      editor?.setText(s.scenarioText);
    }
    if (root.dataset.scenarioFile !== s.scenarioFile) root.dataset.scenarioFile = s.scenarioFile;
    if (!first && s.status === previous.status && s.problems === previous.problems && s.error === previous.error) return;
    if (s.status === "error") {
      renderProblems(problemsOf(s));
      if (timer === undefined) setState("error", `${root.dataset.errors} problem${root.dataset.errors === "1" ? "" : "s"}`);
    } else if (s.status === "done") {
      renderProblems([]);
      if (timer === undefined) setState("ok", s.run ? `Ran ${s.run.log.length} events` : "");
    } else if (s.status === "running") {
      if (timer === undefined) setState("running", "Running…");
    } else {
      renderProblems([]);
      setState("idle", "");
    }
  });
}

interface ShownProblem {
  line: number;
  col: number;
  message: string;
}

/**
 * The problems to show for an errored state. The store's messages are `expected; found`, and the
 * hint and YAML path are only in the formatted error text (`file:line:col: path: …\n  hint: …`),
 * so they are recovered from there by line:col. Pure.
 */
export function problemsOf(s: Pick<AppState, "problems" | "error">): ShownProblem[] {
  const problems = s.problems ?? [];
  if (problems.length === 0) return s.error ? [{ line: 0, col: 0, message: s.error }] : [];
  const errorLines = (s.error ?? "").split("\n");
  return problems.map((p) => {
    let message = /; found /.test(p.message) && !p.message.startsWith("expected") ? `expected ${p.message}` : p.message;
    const at = errorLines.findIndex((l) => l.includes(`:${p.line}:${p.col}: `));
    if (at >= 0 && p.line > 0) {
      const path = /^.*?:\d+:\d+: (.*?): expected /.exec(errorLines[at])?.[1];
      if (path && !message.includes(path)) message = `${path}: ${message}`;
      const hint = /^\s+hint: (.*)$/.exec(errorLines[at + 1] ?? "")?.[1];
      if (hint && !message.includes(hint)) message = `${message} (hint: ${hint})`;
    }
    return { line: p.line, col: p.col, message };
  });
}
