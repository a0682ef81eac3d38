// The scenario YAML editor: edits re-run the worker after a pause, and a bad scenario's problems
// are shown at their lines (gutter marks, line highlights, and a list that moves the caret there).
import type { AppState, Store } from "../state/store.js";

/** Pause after the last keystroke before the edited text is re-run. */
const DEBOUNCE_MS = 600;
/** Must match the CSS line-height of the textarea and the gutter, so marks line up with text. */
const LINE_HEIGHT_PX = 18;

interface ShownProblem {
  line: number;
  col: number;
  message: string;
}

/**
 * Mounts the editor into `root`. `run(text)` re-runs that YAML text. The text is reloaded from
 * the store only when the store's scenarioText changes to something the editor did not send
 * (another file, variant or seed re-runs the library text), never on cursor or selection changes.
 */
export function mountEditor(root: HTMLElement, store: Store, run: (text: string) => void): void {
  root.innerHTML = `<h2>Scenario editor</h2>
    <p class="ed-help" id="ed-help">YAML of the scenario being run; edits re-run after a pause. Tab inserts two spaces (Esc, then Tab, leaves the editor); Ctrl+Enter runs now.</p>
    <div class="ed-toolbar">
      <button type="button" class="ed-run" data-testid="editor-run">Run now</button>
      <button type="button" class="ed-revert" data-testid="editor-revert">Revert</button>
      <span class="ed-state" role="status" aria-live="polite"></span>
    </div>
    <div class="ed-frame">
      <div class="ed-gutter" aria-hidden="true"><div class="ed-gutter-inner"></div></div>
      <div class="ed-body">
        <div class="ed-marks" aria-hidden="true"></div>
        <textarea class="ed-text mono" data-testid="editor-text" spellcheck="false" wrap="off" autocapitalize="off" autocomplete="off"
          aria-label="Scenario YAML" aria-describedby="ed-help"></textarea>
      </div>
    </div>
    <ul class="ed-problems" aria-label="Scenario problems"></ul>`;
  const textarea = root.querySelector<HTMLTextAreaElement>(".ed-text")!;
  const gutter = root.querySelector<HTMLDivElement>(".ed-gutter-inner")!;
  const marks = root.querySelector<HTMLDivElement>(".ed-marks")!;
  const list = root.querySelector<HTMLUListElement>(".ed-problems")!;
  const stateLabel = root.querySelector<HTMLSpanElement>(".ed-state")!;

  let timer: ReturnType<typeof setTimeout> | undefined;
  /** The last text handed to `run` (so the store echoing it back does not reset the caret). */
  let sent: string | undefined;
  /** The text last loaded from the store, for Revert. */
  let loaded = "";
  let lineCount = 0;
  let escaped = false;

  const setState = (state: string, label: string) => {
    root.dataset.editorState = state;
    stateLabel.textContent = label;
  };

  const renderGutter = () => {
    const count = textarea.value.split("\n").length;
    if (count === lineCount) return;
    lineCount = count;
    const errorLines = new Set(Array.from(gutter.querySelectorAll<HTMLElement>("[data-error-line]"), (el) => el.dataset.line));
    const frag = document.createDocumentFragment();
    for (let i = 1; i <= count; i++) {
      const div = document.createElement("div");
      div.dataset.line = String(i);
      div.textContent = String(i);
      frag.appendChild(div);
    }
    gutter.replaceChildren(frag);
    // Keep the marks of the last run on the lines that still exist.
    for (const line of errorLines) markGutter(Number(line), gutterTitle.get(Number(line)) ?? "");
  };

  const gutterTitle = new Map<number, string>();
  const markGutter = (line: number, title: string) => {
    const el = gutter.querySelector<HTMLElement>(`[data-line="${line}"]`);
    if (!el) return;
    el.dataset.errorLine = String(line);
    el.title = title;
  };

  const syncScroll = () => {
    const y = textarea.scrollTop;
    gutter.style.transform = `translateY(${-y}px)`;
    marks.style.transform = `translate(${-textarea.scrollLeft}px, ${-y}px)`;
  };

  const runNow = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const text = textarea.value;
    const s = store.get();
    if (text === s.scenarioText && s.status !== "error" && s.status !== "idle") {
      setState(s.status === "running" ? "running" : "ok", s.status === "running" ? "Running…" : "Unchanged");
      return;
    }
    sent = text;
    setState("running", "Running…");
    run(text);
  };

  const schedule = () => {
    renderGutter();
    if (timer !== undefined) clearTimeout(timer);
    setState("pending", "Edited; re-running after a pause…");
    timer = setTimeout(runNow, DEBOUNCE_MS);
  };

  /** Moves the caret to line:col (1-based), scrolls it into view and focuses the textarea. */
  const goTo = (line: number, col: number) => {
    const lines = textarea.value.split("\n");
    const l = Math.min(Math.max(line, 1), lines.length);
    let offset = 0;
    for (let i = 0; i < l - 1; i++) offset += lines[i].length + 1;
    offset += Math.min(Math.max(col, 1), lines[l - 1].length + 1) - 1;
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const top = (l - 1) * LINE_HEIGHT_PX;
    if (top < textarea.scrollTop || top + LINE_HEIGHT_PX > textarea.scrollTop + textarea.clientHeight) {
      textarea.scrollTop = Math.max(0, top - textarea.clientHeight / 2);
    }
    syncScroll();
  };

  const renderProblems = (problems: ShownProblem[]) => {
    root.dataset.errors = String(problems.length);
    gutterTitle.clear();
    for (const el of Array.from(gutter.querySelectorAll<HTMLElement>("[data-error-line]"))) {
      delete el.dataset.errorLine;
      el.removeAttribute("title");
    }
    const bars = document.createDocumentFragment();
    const items = document.createDocumentFragment();
    for (const p of problems) {
      const li = document.createElement("li");
      li.className = "ed-problem";
      if (p.line > 0) {
        li.dataset.errorLine = String(p.line);
        li.dataset.errorCol = String(p.col);
        li.tabIndex = 0;
        li.setAttribute("role", "link");
        li.title = `Go to line ${p.line}, column ${p.col}`;
        const go = () => goTo(p.line, p.col);
        li.addEventListener("click", go);
        li.addEventListener("keydown", (e) => {
          if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            go();
          }
        });
        gutterTitle.set(p.line, [gutterTitle.get(p.line), p.message].filter(Boolean).join("\n"));
        markGutter(p.line, gutterTitle.get(p.line)!);
        const bar = document.createElement("div");
        bar.className = "ed-mark";
        bar.style.top = `${(p.line - 1) * LINE_HEIGHT_PX}px`;
        bars.appendChild(bar);
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
    marks.replaceChildren(bars);
    list.replaceChildren(items);
    list.hidden = problems.length === 0;
  };

  textarea.addEventListener("input", schedule);
  textarea.addEventListener("scroll", syncScroll);
  textarea.addEventListener("keydown", (e) => {
    if (e.key === "Escape") {
      escaped = true;
      return;
    }
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      runNow();
      return;
    }
    if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !escaped) {
      e.preventDefault();
      // execCommand keeps the browser's undo stack and fires `input`; setRangeText is the fallback.
      if (!document.execCommand("insertText", false, "  ")) {
        textarea.setRangeText("  ", textarea.selectionStart, textarea.selectionEnd, "end");
        schedule();
      }
    }
    escaped = false;
  });
  root.querySelector(".ed-run")!.addEventListener("click", runNow);
  root.querySelector(".ed-revert")!.addEventListener("click", () => {
    textarea.value = loaded;
    renderGutter();
    runNow();
  });

  store.subscribe((s: AppState, previous: AppState) => {
    const first = s === previous;
    if ((first || s.scenarioText !== previous.scenarioText) && s.scenarioText !== sent) {
      // A run the editor did not ask for (another file, variant or seed): show its text.
      loaded = s.scenarioText;
      sent = undefined;
      if (s.scenarioText !== textarea.value) {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        textarea.value = s.scenarioText;
        textarea.scrollTop = 0;
        renderGutter();
        syncScroll();
      }
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
