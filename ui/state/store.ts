// The UI's state in one place: the run being shown, the time cursor, playback, the selection.
// Views subscribe and re-render from it; nothing else holds state, so every view shows the same
// moment and the same selection.
import type { RunPayload } from "../model/payload.js";

export interface AppState {
  status: "idle" | "running" | "done" | "error";
  error?: string;
  /** Problems of a scenario that did not load, with line:col (shown inline in the editor). */
  problems?: { line: number; col: number; message: string }[];
  run?: RunPayload;
  /** Which library file and variant are shown, and the seed override (mirrored in the URL). */
  scenarioFile: string;
  /** The text of the scenario being run: the library file's, or the editor's after an edit. */
  scenarioText: string;
  variant?: string;
  seed?: string;
  /** Simulated time the whole UI shows, in ms. */
  cursorMs: number;
  playing: boolean;
  /** Simulated ms per real second. */
  speed: number;
  /** The event whose record and causes are shown. */
  selectedSeq: number | null;
  /** Index into run.findings of the selected finding. */
  selectedFinding: number | null;
  /** Seqs drawn highlighted (a finding's witnesses and root causes). */
  highlighted: ReadonlySet<number>;
  /** Event table filters. */
  filter: { actor: string; type: string; target: string; text: string };
  /** The time range every time panel shows (drag-to-zoom); null or absent: the whole run. */
  timeWindow?: TimeWindow | null;
}

/** A range of simulated time, in ms. */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export type Listener = (state: AppState, previous: AppState) => void;

export class Store {
  private state: AppState;
  private readonly listeners = new Set<Listener>();

  constructor(initial: AppState) {
    this.state = initial;
  }

  get(): AppState {
    return this.state;
  }

  /** Merges `patch` and notifies every listener once. */
  set(patch: Partial<AppState>): void {
    const previous = this.state;
    this.state = { ...previous, ...patch };
    for (const listener of this.listeners) listener(this.state, previous);
  }

  /** Calls `listener` on every change (and once now); returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state, this.state);
    return () => this.listeners.delete(listener);
  }
}

/** Selects a finding: highlights its witnesses and root causes and moves the cursor to its start. */
export function selectFinding(store: Store, index: number | null): void {
  const run = store.get().run;
  if (!run || index === null) {
    store.set({ selectedFinding: null, highlighted: new Set() });
    return;
  }
  const f = run.findings[index];
  store.set({ selectedFinding: index, highlighted: new Set([...f.witnesses, ...f.rootCauses]), cursorMs: f.from, selectedSeq: f.rootCauses[0] ?? f.witnesses[0] ?? null, playing: false });
}

/** Selects an event and moves the cursor to it. */
export function selectEvent(store: Store, seq: number | null): void {
  const run = store.get().run;
  if (!run || seq === null) {
    store.set({ selectedSeq: null });
    return;
  }
  store.set({ selectedSeq: seq, cursorMs: run.log[seq].t, playing: false });
}
