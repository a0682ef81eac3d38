// Play / pause / step / speed and the time cursor; keyboard: space plays or pauses, arrows step,
// Home and End move the cursor to the run's start and end.
import { formatTime } from "../../sim/core/units.js";
import { recordsUntil, type RunPayload } from "../model/payload.js";
import type { AppState, Store } from "../state/store.js";

const SPEEDS = [1, 4, 16, 64, 256] as const;

export function mountTransport(root: HTMLElement, store: Store): void {
  root.innerHTML = `<button id="play" data-testid="play" aria-label="Play">Play</button>
    <button id="step-back" aria-label="Step back one event">◀</button>
    <button id="step" data-testid="step" aria-label="Step forward one event">▶</button>
    <label>Speed <select id="speed" data-testid="speed">${SPEEDS.map((s) => `<option value="${s}">${s} min/s</option>`).join("")}</select></label>
    <input id="scrub" data-testid="scrub" type="range" min="0" max="0" step="1000" aria-label="Time cursor" style="flex:1" />
    <span id="clock" class="mono" data-testid="clock"></span>`;
  const play = root.querySelector<HTMLButtonElement>("#play")!;
  const scrub = root.querySelector<HTMLInputElement>("#scrub")!;
  const speed = root.querySelector<HTMLSelectElement>("#speed")!;
  const clock = root.querySelector<HTMLSpanElement>("#clock")!;
  play.addEventListener("click", () => store.set({ playing: !store.get().playing }));
  root.querySelector("#step")!.addEventListener("click", () => stepEvent(store, +1));
  root.querySelector("#step-back")!.addEventListener("click", () => stepEvent(store, -1));
  speed.addEventListener("change", () => store.set({ speed: Number(speed.value) * 60_000 }));
  // While a run streams, the cursor cannot pass the time simulated so far.
  scrub.addEventListener("input", () => store.set({ cursorMs: Math.min(Number(scrub.value), reachedOf(store.get())), playing: false }));
  document.addEventListener("keydown", (e) => {
    const target = e.target as HTMLElement;
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    // Space on a focused button presses that button (a panel's maximise, a finding), not Play.
    if (e.key === " " && target.closest("button, a[href], [role=button]")) return;
    if (e.key === " ") {
      e.preventDefault();
      store.set({ playing: !store.get().playing });
    } else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      stepEvent(store, e.key === "ArrowRight" ? +1 : -1);
    } else if ((e.key === "Home" || e.key === "End") && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Focus in a panel's own keyboard widget (a lane row, the causal canvas) still gets the
      // page's Home/End: none of them uses those keys.
      const s = store.get();
      if (!s.run) return;
      e.preventDefault();
      store.set({ cursorMs: e.key === "Home" ? 0 : reachedOf(s), playing: false });
    }
  });
  // Every property is written only when it changes: the store notifies on every change, and a
  // rewrite (even of the same text) costs style, layout or paint.
  let shown = { max: "", value: "", reached: "", playing: "", speed: "", clock: "" };
  store.subscribe((s) => {
    const duration = s.run?.durationMs ?? 0;
    // How much of the run exists yet, shown like a video's buffered range.
    const reached = reachedOf(s);
    const next = { max: String(duration), value: String(s.cursorMs), reached: String(reached), playing: String(s.playing), speed: String(s.speed / 60_000), clock: `${formatTime(s.cursorMs)} / ${formatTime(duration)}` };
    if (next.max !== shown.max) scrub.max = next.max;
    if (next.value !== shown.value || next.max !== shown.max) {
      scrub.value = next.value;
      clock.dataset.cursorMs = next.value;
    }
    if (next.reached !== shown.reached || next.max !== shown.max) {
      scrub.dataset.reachedMs = next.reached;
      scrub.style.setProperty("--reached", `${duration > 0 ? (100 * reached) / duration : 0}%`);
    }
    if (next.playing !== shown.playing) {
      play.textContent = s.playing ? "Pause" : "Play";
      // The name says what a press does, as the text does.
      play.setAttribute("aria-label", s.playing ? "Pause" : "Play");
      play.dataset.playing = next.playing;
    }
    if (next.speed !== shown.speed) speed.value = next.speed;
    if (next.clock !== shown.clock) clock.textContent = next.clock;
    shown = next;
  });
  // Playback advances the cursor by `speed` simulated ms per real second.
  let last = 0;
  const tick = (now: number) => {
    const s = store.get();
    if (s.playing && s.run && last > 0) {
      // Playback waits at the edge of a run still streaming in, and stops at the end of a complete one.
      const next = Math.min(reachedOf(s), Math.round(s.cursorMs + ((now - last) / 1000) * s.speed));
      // Waiting at the edge changes nothing: no store update, so no view redraws that frame.
      if (next !== s.cursorMs || next >= s.run.durationMs) store.set({ cursorMs: next, playing: next < s.run.durationMs });
    }
    last = now;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** The last simulated time the UI can show: the run's end, or how far a streaming run got. */
function reachedOf(s: AppState): number {
  if (!s.run) return 0;
  return s.run.complete ? s.run.durationMs : s.run.reachedMs;
}

/** Moves the cursor to the next (or previous) logged event that is not an engine wake. */
function stepEvent(store: Store, direction: 1 | -1): void {
  const { run, cursorMs } = store.get();
  if (!run || run.log.length === 0) return;
  const log = run.log;
  // Binary search to the cursor, then walk past wakes: O(log n) instead of a scan from the start.
  let i = -1;
  if (direction > 0) {
    for (let k = recordsUntil(log, cursorMs); k < log.length; k++) {
      if (log[k].type !== "wake") {
        i = k;
        break;
      }
    }
  } else {
    for (let k = firstAtOrAfter(log, cursorMs) - 1; k >= 0; k--) {
      if (log[k].type !== "wake") {
        i = k;
        break;
      }
    }
  }
  if (i < 0) i = direction > 0 ? log.length - 1 : 0;
  store.set({ cursorMs: log[i].t, selectedSeq: i, playing: false });
}

/** Index of the first record at or after `tMs` (records are in time order). */
function firstAtOrAfter(log: RunPayload["log"], tMs: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid].t < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
