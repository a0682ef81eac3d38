// Browser benchmark: DESIGN.md's budgets for the replay UI, measured in Debian's Chromium on the
// built app (Vite build + preview server, as test/helpers/app.ts does). A ~100 k-event run
// (bench/scenarios/ui-100k.yaml, injected through the scenario editor because the app only loads
// scenarios/ by name) is timed from submission to its first frame, split into the worker's part
// (simulation + transfer) and the main thread's (views); then pan and zoom on the causal canvas
// with ~10 k visible nodes (frames counted with requestAnimationFrame); then 20 scrubs.
// Reads the real clock; reports, never fails.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { build, preview, type PreviewServer } from "vite";
import { median, type BenchOptions, type BenchRow } from "./measure.js";

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FIRST_FRAME_BUDGET_MS = 1000;
const FPS_BUDGET = 50;
const SCRUB_BUDGET_MS = 50;
const VISIBLE_TARGET = 10_000;
const INTERACT_MS = 2000;
const SCRUBS = 20;

/** The repository root: the nearest folder above this file holding vite.config.ts. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "vite.config.ts"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("bench/ui: cannot find the repository root (vite.config.ts)");
    dir = up;
  }
  return dir;
}

interface FirstFrame {
  events: number;
  /** Submit (Ctrl+Enter) to the worker's first chunk arriving on the main thread: load + first slice of simulation. */
  workerMs: number;
  /** That chunk's handler: store.set and every view's synchronous render of the partial run. */
  handlerMs: number;
  /** Submit to the end of the second animation frame after the views drew the first chunk. */
  totalMs: number;
  /** Submit to the second frame after the complete run (findings included) is drawn. */
  completeMs: number;
  /** Main-thread time in reply handlers over the whole streamed run, and the longest one. */
  handledTotalMs: number;
  handledMaxMs: number;
  chunks: number;
  firstEvents: number;
  firstReachedMs: number;
  nodes: number;
}

// Installed before the app's scripts: timestamps the worker's postMessage and wraps the
// `onmessage` handler main.ts sets, to split worker time from view time without touching ui/.
const INIT_SCRIPT = `(() => {
  const B = (window.__bench = { posts: [], replies: [] });
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      let handler = null;
      Object.defineProperty(this, "onmessage", {
        get: () => handler,
        set: (h) => {
          handler = h;
          super.onmessage = (e) => {
            const t0 = performance.now();
            h.call(this, e);
            B.replies.push({ at: t0, handled: performance.now() - t0, type: e.data && e.data.type });
          };
        },
      });
    }
    postMessage(m, ...rest) {
      B.posts.push(performance.now());
      return super.postMessage(m, ...rest);
    }
  };
})();`;

/**
 * Submits `text` through the editor and times it: to the first frame showing the new run (its
 * first streamed chunk drawn by every view), and to the frame after the complete run is drawn.
 * Runs in the page.
 */
async function submitAndTime(text: string): Promise<{ submit: number; firstReply: number; first: number; done: number; handledFirst: number; handledTotal: number; handledMax: number; chunks: number; firstEvents: number; firstReachedMs: number; status: string; nodes: number; events: string }> {
  type Bench = { posts: number[]; replies: { at: number; handled: number; type: string }[] };
  const B = (window as unknown as { __bench: Bench }).__bench;
  const seen = B.replies.length;
  const status = document.querySelector<HTMLElement>("#status")!;
  const before = status.dataset.runId;
  const ta = document.querySelector<HTMLTextAreaElement>("#editor textarea")!;
  ta.value = text;
  const submit = performance.now();
  ta.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true, cancelable: true }));
  const raf = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
  const shown = () => status.dataset.status === "error" || (status.dataset.runId !== before && Number(document.querySelector<HTMLElement>("#causal")!.dataset.nodes ?? 0) > 0 && document.querySelector("#timeline svg") !== null);
  while (!shown()) await new Promise((r) => setTimeout(r, 1));
  const firstEvents = Number(status.dataset.events);
  const firstReachedMs = Number(status.dataset.reachedMs);
  await raf();
  const first = await raf();
  while (status.dataset.status !== "done" && status.dataset.status !== "error") await new Promise((r) => setTimeout(r, 5));
  await raf();
  const done = await raf();
  const mine = B.replies.slice(seen);
  const firstShown = mine.find((r) => r.type === "progress" || r.type === "result") ?? mine[0];
  return {
    submit,
    firstReply: firstShown?.at ?? first,
    first,
    done,
    handledFirst: firstShown?.handled ?? 0,
    handledTotal: mine.reduce((a, r) => a + r.handled, 0),
    handledMax: Math.max(0, ...mine.map((r) => r.handled)),
    chunks: mine.filter((r) => r.type === "progress").length,
    firstEvents,
    firstReachedMs,
    status: `${status.dataset.status ?? ""}: ${status.textContent ?? ""}`,
    nodes: Number(document.querySelector<HTMLElement>("#causal")!.dataset.nodes ?? 0),
    events: document.querySelector<HTMLElement>("#editor .ed-state")?.textContent ?? "",
  };
}

/** Zooms the causal canvas (wheel about its centre) until at most `target` nodes are drawn. Runs in the page. */
async function zoomTo(target: number): Promise<{ nodes: number; zoom: string; steps: number }> {
  const root = document.querySelector<HTMLElement>("#causal")!;
  const canvas = root.querySelector<HTMLCanvasElement>(".causal-overlay")!;
  root.scrollIntoView();
  const raf = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
  const rect = canvas.getBoundingClientRect();
  let steps = 0;
  while (Number(root.dataset.nodes) > target && steps < 200) {
    canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: -60, clientX: rect.left + rect.width / 2, clientY: rect.top + rect.height / 2, bubbles: true, cancelable: true, view: window }));
    await raf();
    await raf();
    steps++;
  }
  return { nodes: Number(root.dataset.nodes), zoom: root.dataset.zoom ?? "", steps };
}

/** For `ms`, one input per animation frame ("idle": none, "zoom": wheel in/out, "pan": a drag back and forth); counts frames. Runs in the page. */
async function interact({ mode, ms }: { mode: "idle" | "zoom" | "pan"; ms: number }): Promise<{ frames: number; seconds: number; worstMs: number; p95Ms: number; nodesMin: number; nodesMax: number }> {
  const root = document.querySelector<HTMLElement>("#causal")!;
  const canvas = root.querySelector<HTMLCanvasElement>(".causal-overlay")!;
  const rect = canvas.getBoundingClientRect();
  const cx = rect.left + rect.width / 2;
  const cy = rect.top + rect.height / 2;
  const mouse = (type: string, x: number, target: EventTarget) =>
    target.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: cy, button: 0, buttons: type === "mouseup" ? 0 : 1, bubbles: true, cancelable: true, view: window }));
  if (mode === "pan") mouse("mousedown", cx, canvas);
  const gaps: number[] = [];
  let nodesMin = Infinity;
  let nodesMax = 0;
  let i = 0;
  let x = cx;
  const start = performance.now();
  let last = start;
  await new Promise<void>((resolve) => {
    const tick = (now: number) => {
      gaps.push(now - last);
      last = now;
      const n = Number(root.dataset.nodes);
      nodesMin = Math.min(nodesMin, n);
      nodesMax = Math.max(nodesMax, n);
      if (now - start >= ms) return resolve();
      if (mode === "zoom") canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: i % 2 === 0 ? -40 : 40, clientX: cx + ((i % 7) - 3) * 20, clientY: cy, bubbles: true, cancelable: true, view: window }));
      else if (mode === "pan") {
        x += Math.floor(i / 30) % 2 === 0 ? 6 : -6;
        mouse("mousemove", x, window);
      }
      i++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  if (mode === "pan") mouse("mouseup", x, window);
  const seconds = (last - start) / 1000;
  gaps.shift();
  const sorted = gaps.slice().sort((a, b) => a - b);
  return { frames: gaps.length, seconds, worstMs: sorted[sorted.length - 1] ?? 0, p95Ms: sorted[Math.floor(sorted.length * 0.95)] ?? 0, nodesMin, nodesMax };
}

/** Attribution without touching ui/: elements per panel, and the idle frame rate with each panel hidden in turn. Runs in the page. */
async function attribute(ms: number): Promise<Record<string, string>> {
  const raf = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
  const idleFps = async (): Promise<number> => {
    await raf();
    const start = await raf();
    let frames = 0;
    let now = start;
    while (now - start < ms) {
      now = await raf();
      frames++;
    }
    return frames / ((now - start) / 1000);
  };
  const out: Record<string, string> = { "all panels shown": `${(await idleFps()).toFixed(1)} fps idle, ${document.getElementsByTagName("*").length} elements` };
  const panels = Array.from(document.querySelectorAll<HTMLElement>("section[id]"));
  for (const p of panels) {
    const before = p.style.display;
    p.style.display = "none";
    out[`#${p.id} hidden`] = `${(await idleFps()).toFixed(1)} fps idle (${p.getElementsByTagName("*").length} elements)`;
    p.style.display = before;
  }
  return out;
}

/** Sets the scrub input to `times` one by one; per scrub, the synchronous part and the time to the second frame after. Runs in the page. */
async function scrub(times: number[]): Promise<{ syncMs: number[]; frameMs: number[] }> {
  const input = document.querySelector<HTMLInputElement>("[data-testid=scrub]")!;
  const raf = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
  const syncMs: number[] = [];
  const frameMs: number[] = [];
  for (const t of times) {
    await raf();
    const t0 = performance.now();
    input.value = String(t);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    syncMs.push(performance.now() - t0);
    await raf();
    frameMs.push((await raf()) - t0);
  }
  return { syncMs, frameMs };
}

function row(name: string, measured: number, unit: string, budget: number, lowerIsBetter: boolean, samples: number[], details: BenchRow["details"]): BenchRow {
  return {
    name,
    measured,
    baseline: null,
    unit,
    ratio: measured / budget,
    target: `${lowerIsBetter ? "<=" : ">="} ${budget} ${unit}`,
    pass: lowerIsBetter ? measured <= budget : measured >= budget,
    samples: { measured: samples, baseline: null },
    details,
  };
}

const round = (v: number, d = 1): number => Number(v.toFixed(d));

/** Runs the UI benchmark; [] (with a skip line on stderr) when Chromium is missing. Not pure: builds, serves, launches a browser. */
export async function runUiBench(options: BenchOptions): Promise<BenchRow[]> {
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`ui: SKIP — no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH)`);
    return [];
  }
  const root = repoRoot();
  const scenarioText = readFileSync(join(root, "bench/scenarios/ui-100k.yaml"), "utf8");
  const outDir = mkdtempSync(join(tmpdir(), "crossfire-bench-ui-"));
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    const config = join(root, "vite.config.ts");
    await build({ configFile: config, logLevel: "error", build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile: config, logLevel: "error", build: { outDir }, preview: { port: 0, host: "127.0.0.1" } });
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    const page: Page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(INIT_SCRIPT);
    await page.goto(server.resolvedUrls!.local[0]);
    await page.waitForSelector('#status[data-status="done"]', { timeout: 60_000 });
    page.setDefaultTimeout(600_000);

    // (a) First frame: warm-ups and repetitions each submit a slightly different text (a comment),
    // since the editor does not re-run unchanged text.
    const firsts: FirstFrame[] = [];
    for (let i = 0; i < options.warmups + options.repetitions; i++) {
      const r = await page.evaluate(submitAndTime, `${scenarioText}\n# run ${i}\n`);
      if (!r.status.startsWith("done")) throw new Error(`ui-100k did not run: status ${r.status}: ${errors.join("; ")}`);
      const events = Number(/Ran (\d+) events/.exec(r.events)?.[1] ?? 0);
      if (i >= options.warmups)
        firsts.push({ events, workerMs: r.firstReply - r.submit, handlerMs: r.handledFirst, totalMs: r.first - r.submit, completeMs: r.done - r.submit, handledTotalMs: r.handledTotal, handledMaxMs: r.handledMax, chunks: r.chunks, firstEvents: r.firstEvents, firstReachedMs: r.firstReachedMs, nodes: r.nodes });
    }
    const events = firsts[0].events;

    // (b) Pan and zoom with ~10 k nodes on screen.
    const zoomed = await page.evaluate(zoomTo, VISIBLE_TARGET);
    const idle = await page.evaluate(interact, { mode: "idle", ms: 1000 } as const);
    const zoom = await page.evaluate(interact, { mode: "zoom", ms: INTERACT_MS } as const);
    const pan = await page.evaluate(interact, { mode: "pan", ms: INTERACT_MS } as const);
    const fps = (r: { frames: number; seconds: number }) => r.frames / r.seconds;

    // (c) Scrubbing to 20 times spread over the run (a fixed xorshift, not Math.random).
    const duration = Number(await page.getAttribute("[data-testid=scrub]", "max"));
    let x = 0x9e3779b9;
    const times = Array.from({ length: SCRUBS }, () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return Math.round((((x >>> 0) / 2 ** 32) * duration) / 1000) * 1000;
    });
    // Let the causal view's sharp redraw after the pan (~100 ms after a gesture settles, 15-45 ms
    // of raster) happen before timing scrubs: it belongs to the gesture, not to scrubbing.
    await page.waitForTimeout(500);
    const scrubbed = await page.evaluate(scrub, times);
    const attribution = await page.evaluate(attribute, 1500);
    // Which view dominates: the same interactions with the agent lanes' SVG (a node per command) hidden.
    await page.evaluate(() => void (document.getElementById("lanes")!.style.display = "none"));
    const zoomNoLanes = await page.evaluate(interact, { mode: "zoom", ms: 1000 } as const);
    const panNoLanes = await page.evaluate(interact, { mode: "pan", ms: 1000 } as const);
    const scrubNoLanes = await page.evaluate(scrub, times);
    await page.evaluate(() => void (document.getElementById("lanes")!.style.display = ""));
    if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);

    const totals = firsts.map((f) => f.totalMs);
    const completes = firsts.map((f) => f.completeMs);
    const firstFrame = median(totals);
    const scrubMax = Math.max(...scrubbed.frameMs);
    return [
      row(`ui first frame, ${Math.round(events / 1000)} k-event run (submit to first streamed chunk drawn)`, firstFrame, "ms", FIRST_FRAME_BUDGET_MS, true, totals, {
        events,
        "worker: submit to first chunk on the main thread, median ms": round(median(firsts.map((f) => f.workerMs))),
        "main thread: first chunk's handler (store + views), median ms": round(median(firsts.map((f) => f.handlerMs))),
        "first chunk: events / simulated time": `${firsts[0].firstEvents} / ${Math.round(firsts[0].firstReachedMs / 1000)} s`,
        runs: firsts.length,
      }),
      {
        name: `ui complete run on screen, ${Math.round(events / 1000)} k events (submit to frame)`,
        measured: median(completes),
        baseline: null,
        unit: "ms",
        ratio: null,
        target: "reported (no budget)",
        pass: true,
        samples: { measured: completes, baseline: null },
        details: {
        "streamed chunks, median": median(firsts.map((f) => f.chunks)),
        "main thread in reply handlers over the run, median ms": round(median(firsts.map((f) => f.handledTotalMs))),
        "longest single handler (a blocked frame), median ms": round(median(firsts.map((f) => f.handledMaxMs))),
        "causal nodes drawn at identity zoom": firsts[0].nodes,
        },
      },
      row(`ui zoom fps, ~${Math.round(median([zoom.nodesMin, zoom.nodesMax]) / 1000)} k visible nodes`, fps(zoom), "fps", FPS_BUDGET, false, [fps(zoom)], {
        "visible nodes min..max": `${zoom.nodesMin}..${zoom.nodesMax}`,
        "frame interval p95 / worst ms": `${round(zoom.p95Ms)} / ${round(zoom.worstMs)}`,
        "idle frame rate (no input), fps": round(fps(idle)),
        "wheel steps to reach the target": zoomed.steps,
        "zoom (k) at start": zoomed.zoom,
        "diagnostic: zoom fps with #lanes hidden": round(fps(zoomNoLanes)),
      }),
      row(`ui pan fps, ~${Math.round(median([pan.nodesMin, pan.nodesMax]) / 1000)} k visible nodes`, fps(pan), "fps", FPS_BUDGET, false, [fps(pan)], {
        "visible nodes min..max": `${pan.nodesMin}..${pan.nodesMax}`,
        "frame interval p95 / worst ms": `${round(pan.p95Ms)} / ${round(pan.worstMs)}`,
        "diagnostic: pan fps with #lanes hidden": round(fps(panNoLanes)),
      }),
      row(`ui scrub, ${SCRUBS} random times (input to 2nd frame, max)`, scrubMax, "ms", SCRUB_BUDGET_MS, true, scrubbed.frameMs.map((v) => round(v)), {
        "median ms (input to 2nd frame)": round(median(scrubbed.frameMs)),
        "each scrub in order, ms": scrubbed.frameMs.map((v) => Math.round(v)).join(" "),
        "synchronous part (store + views) median / max ms": `${round(median(scrubbed.syncMs))} / ${round(Math.max(...scrubbed.syncMs))}`,
        "median verdict": median(scrubbed.frameMs) <= SCRUB_BUDGET_MS ? "PASS" : "MISS",
        "diagnostic: median / max ms with #lanes hidden": `${round(median(scrubNoLanes.frameMs))} / ${round(Math.max(...scrubNoLanes.frameMs))}`,
        ...Object.fromEntries(Object.entries(attribution).map(([k, v]) => [`attribution: ${k}`, v])),
      }),
    ];
  } finally {
    await browser?.close();
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  }
}
