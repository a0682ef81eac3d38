// Play / pause / step / speed and the time cursor; keyboard: space plays or pauses, arrows step.
import { formatTime } from "../../sim/core/units.js";
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
    if (e.key === " ") {
      e.preventDefault();
      store.set({ playing: !store.get().playing });
    } else if (e.key === "ArrowRight" || e.key === "ArrowLeft") {
      e.preventDefault();
      stepEvent(store, e.key === "ArrowRight" ? +1 : -1);
    }
  });
  store.subscribe((s) => {
    const duration = s.run?.durationMs ?? 0;
    scrub.max = String(duration);
    scrub.value = String(s.cursorMs);
    // How much of the run exists yet, shown like a video's buffered range.
    const reached = reachedOf(s);
    scrub.dataset.reachedMs = String(reached);
    scrub.style.setProperty("--reached", `${duration > 0 ? (100 * reached) / duration : 0}%`);
    play.textContent = s.playing ? "Pause" : "Play";
    play.dataset.playing = String(s.playing);
    speed.value = String(s.speed / 60_000);
    clock.textContent = `${formatTime(s.cursorMs)} / ${formatTime(duration)}`;
    clock.dataset.cursorMs = String(s.cursorMs);
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
  if (!run) return;
  const log = run.log;
  let i = direction > 0 ? log.findIndex((r) => r.t > cursorMs && r.type !== "wake") : findLastIndex(log, (r) => r.t < cursorMs && r.type !== "wake");
  if (i < 0) i = direction > 0 ? log.length - 1 : 0;
  store.set({ cursorMs: log[i].t, selectedSeq: i, playing: false });
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i])) return i;
  return -1;
}
