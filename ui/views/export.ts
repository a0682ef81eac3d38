// Export panel: downloads the run being shown as a run file (NDJSON, the CLI's `--out` format), an
// OTLP/JSON trace, the self-contained HTML report, and the timeline panel as SVG or PNG. The
// text formats come from the same pure sim/export modules the CLI uses, so a file saved here
// reads back with `crossfire` (verify, analyse, export) exactly like one the CLI wrote.
import { Telemetry } from "../../sim/engine/telemetry.js";
import { toHtmlReport } from "../../sim/export/html-report.js";
import { otlpEpochEndingAt, toOtlpJsonLines } from "../../sim/export/otlp.js";
import { toRunFile } from "../../sim/export/run-file.js";
import type { RunPayload } from "../model/payload.js";
import type { AppState, Store } from "../state/store.js";

const SVG_NS = "http://www.w3.org/2000/svg";

type Format = "run" | "otlp" | "html" | "svg" | "png";

const BUTTONS: { format: Format; label: string; title: string }[] = [
  { format: "run", label: "Run file", title: "NDJSON run file (header, hash-chained records, telemetry): `crossfire verify` and `crossfire analyse` read it" },
  { format: "otlp", label: "OTLP JSON", title: "The run as an OpenTelemetry trace (OTLP/JSON) for Jaeger, Tempo or a Collector" },
  { format: "html", label: "HTML report", title: "Self-contained HTML report: verdict, findings, timeline, lanes, event table" },
  { format: "svg", label: "Timeline SVG", title: "The timeline panel's charts as one SVG image" },
  { format: "png", label: "Timeline PNG", title: "The timeline panel's charts as a PNG image" },
];

export function mountExport(root: HTMLElement, store: Store): void {
  root.innerHTML = `<h2>Export</h2><div class="ex-buttons" role="group" aria-label="Download the run"></div><p class="ex-status" data-testid="export-status" aria-live="polite"></p>`;
  const group = root.querySelector<HTMLDivElement>(".ex-buttons")!;
  const status = root.querySelector<HTMLParagraphElement>(".ex-status")!;
  const buttons = BUTTONS.map(({ format, label, title }) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.title = title;
    button.dataset.export = format;
    button.dataset.testid = `export-${format}`;
    button.addEventListener("click", () => {
      const s = store.get();
      if (!s.run) return;
      status.textContent = "";
      status.dataset.state = "working";
      exportRun(format, s, s.run).then(
        (name) => {
          status.textContent = `Saved ${name}`;
          status.dataset.state = "done";
          status.dataset.file = name;
        },
        (e: unknown) => {
          status.textContent = `Export failed: ${(e as Error).message ?? String(e)}`;
          status.dataset.state = "error";
        },
      );
    });
    group.append(button);
    return button;
  });

  let shown: RunPayload | undefined;
  let first = true;
  store.subscribe((s) => {
    // Only the run matters here: cursor moves (every frame while playing) do nothing.
    const run = s.status === "done" ? s.run : undefined;
    if (run === shown && !first) return;
    first = false;
    shown = run;
    for (const b of buttons) b.disabled = run === undefined;
    root.dataset.ready = String(run !== undefined);
    if (run === undefined) status.textContent = s.status === "running" ? "Waiting for the run…" : "No run to export yet.";
    else status.textContent = "";
  });
}

/** Builds the file of `format` for `run` and downloads it; returns its name. */
async function exportRun(format: Format, s: AppState, run: RunPayload): Promise<string> {
  const base = baseName(run);
  switch (format) {
    case "run": {
      const text = toRunFile({ scenario: run.scenario, variant: run.variant, seed: run.seed, finalHash: run.finalHash, scenarioText: s.scenarioText, scenarioFile: s.scenarioFile }, run.log, telemetryOf(run));
      return download(new Blob([text], { type: "application/x-ndjson" }), `${base}.ndjson`);
    }
    case "otlp": {
      // Dated so the run ends now, as `crossfire export --format otlp` does: Tempo and Jaeger search recent time.
      const text = toOtlpJsonLines({ scenario: run.scenario, variant: run.variant, seed: run.seed, finalHash: run.finalHash, log: run.log, findings: run.findings }, { epochMs: otlpEpochEndingAt(run.log, Date.now()) });
      // One ExportTraceServiceRequest per line (each <= 1 MiB), as the Collector's file receiver reads them.
      return download(new Blob([text], { type: "application/x-ndjson" }), `${base}.otlp.jsonl`);
    }
    case "html": {
      const text = toHtmlReport({
        scenario: { name: run.scenario, description: run.description },
        variant: run.variant,
        seed: run.seed,
        finalHash: run.finalHash,
        log: run.log,
        telemetry: telemetryOf(run),
        findings: run.findings,
        expectations: run.expectations,
        scenarioComponents: run.components.map((c) => ({ id: c.id, kind: c.kind, dependsOn: c.calls.map((id) => ({ id })) })),
        scenarioFile: s.scenarioFile,
        scenarioText: s.scenarioText,
        // The incident summary the report opens with (the worker's, as the app's summary shows it).
        ...(run.story !== undefined ? { story: run.story } : {}),
      });
      return download(new Blob([text], { type: "text/html" }), `${base}.html`);
    }
    case "svg": {
      const { text } = timelineSvg(run);
      return download(new Blob([text], { type: "image/svg+xml" }), `${base}-timeline.svg`);
    }
    case "png": {
      const { text, width, height } = timelineSvg(run);
      return download(await svgToPng(text, width, height), `${base}-timeline.png`);
    }
  }
}

/** `<scenario>-<variant>-seed<seed>`, safe as a file name. */
export function baseName(run: Pick<RunPayload, "scenario" | "variant" | "seed">): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9._-]+/g, "_");
  return [safe(run.scenario), ...(run.variant ? [safe(run.variant)] : []), `seed${safe(String(run.seed))}`].join("-");
}

/** A Telemetry (what the sim/export modules read) holding a copy of the payload's samples. */
function telemetryOf(run: RunPayload): Telemetry {
  const p = run.telemetry;
  const t = new Telemetry(p.componentIds, p.signalNames, p.count);
  t.times.set(p.times.subarray(0, p.count));
  t.values.set(p.values.subarray(0, p.count * t.width));
  t.count = p.count;
  return t;
}

/** Saves `blob` as `name` through a temporary `<a download>`; returns `name`. */
function download(blob: Blob, name: string): string {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

// Presentation properties copied from the live elements' computed styles into the clones, so the
// image looks like the panel without the page's stylesheet (classes and CSS variables).
const STYLE_PROPERTIES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "stroke-linejoin", "opacity", "font-family", "font-size", "font-weight", "visibility"];
const TITLE_HEIGHT = 18;
const GAP = 6;

/** The `#timeline` SVG charts serialized into one SVG document, stacked top to bottom. */
function timelineSvg(run: RunPayload): { text: string; width: number; height: number } {
  const sources = Array.from(document.querySelectorAll<SVGSVGElement>("#timeline svg")).filter((svg) => svg.ownerSVGElement === null && svg.getBoundingClientRect().width > 0);
  if (sources.length === 0) throw new Error("the timeline panel shows no chart");
  const out = document.createElementNS(SVG_NS, "svg");
  out.setAttribute("xmlns", SVG_NS);
  const background = document.createElementNS(SVG_NS, "rect");
  out.append(background);
  const heading = document.createElementNS(SVG_NS, "text");
  heading.setAttribute("x", "4");
  heading.setAttribute("y", "14");
  heading.setAttribute("style", "font: 600 13px system-ui, sans-serif; fill: #1b1f24");
  heading.textContent = `${run.scenario}${run.variant ? ` [${run.variant}]` : ""} · seed ${run.seed} · hash ${run.finalHash.slice(0, 12)}`;
  out.append(heading);
  let y = TITLE_HEIGHT + GAP;
  // Legend: the colour of each component drawn (the panel shows it in HTML, outside the SVGs).
  const colours = new Map<string, string>();
  for (const line of Array.from(document.querySelectorAll<SVGPolylineElement>("#timeline polyline[data-component]"))) {
    const id = line.getAttribute("data-component")!;
    if (!colours.has(id)) colours.set(id, getComputedStyle(line).stroke);
  }
  if (colours.size > 0) {
    let x = 52;
    for (const [id, colour] of colours) {
      const swatch = document.createElementNS(SVG_NS, "rect");
      for (const [k, v] of Object.entries({ x, y: y + 2, width: 10, height: 10, rx: 2, fill: colour })) swatch.setAttribute(k, String(v));
      const label = document.createElementNS(SVG_NS, "text");
      label.setAttribute("x", String(x + 14));
      label.setAttribute("y", String(y + 11));
      label.setAttribute("style", "font: 12px system-ui, sans-serif; fill: #1b1f24");
      label.textContent = id;
      out.append(swatch, label);
      x += 14 + 8 * id.length + 16;
    }
    y += TITLE_HEIGHT;
  }
  let width = 0;
  for (const source of sources) {
    const box = source.getBoundingClientRect();
    const w = Math.ceil(Number(source.getAttribute("width")) || box.width);
    const h = Math.ceil(Number(source.getAttribute("height")) || box.height);
    const label = source.closest("figure")?.querySelector(".tl-title")?.textContent ?? "";
    if (label) {
      const text = document.createElementNS(SVG_NS, "text");
      text.setAttribute("x", "52");
      text.setAttribute("y", String(y + 12));
      text.setAttribute("style", "font: 600 12px system-ui, sans-serif; fill: #1b1f24");
      text.textContent = label;
      out.append(text);
      y += TITLE_HEIGHT;
    }
    const g = document.createElementNS(SVG_NS, "g");
    g.setAttribute("transform", `translate(0,${y})`);
    const figure = source.closest("figure");
    if (figure?.dataset.signal) g.setAttribute("data-signal", figure.dataset.signal);
    // The chart's own styles go on its group (the children inline only what differs).
    const own = getComputedStyle(source);
    g.setAttribute("style", inlineStyle(own));
    for (const child of Array.from(source.childNodes)) g.append(styledClone(child, own));
    const cursor = cursorLine(source);
    if (cursor) g.append(cursor);
    out.append(g);
    y += h + GAP;
    width = Math.max(width, w);
  }
  const height = Math.ceil(y);
  out.setAttribute("width", String(width));
  out.setAttribute("height", String(height));
  out.setAttribute("viewBox", `0 0 ${width} ${height}`);
  background.setAttribute("width", String(width));
  background.setAttribute("height", String(height));
  background.setAttribute("fill", "#ffffff");
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(out)}\n`;
  return { text, width, height };
}

/**
 * The timeline's cursor over `chart` as an SVG line: the panel draws it as a div on its own
 * compositor layer (ui/views/timeline.ts), outside the SVG. Undefined when there is none.
 */
function cursorLine(chart: SVGSVGElement): SVGLineElement | undefined {
  const mark = chart.parentElement?.querySelector<HTMLElement>(":scope > .tl-cursor");
  const x = Number(/translateX\((-?[\d.]+)px\)/.exec(mark?.style.transform ?? "")?.[1]);
  if (!mark || !Number.isFinite(x)) return undefined;
  const top = parseFloat(mark.style.top) || 0;
  const line = document.createElementNS(SVG_NS, "line");
  for (const [k, v] of Object.entries({ x1: x, x2: x, y1: top, y2: top + (parseFloat(mark.style.height) || 0) })) line.setAttribute(k, String(v));
  line.setAttribute("style", `stroke:${getComputedStyle(mark).backgroundColor};stroke-width:2`);
  return line;
}

/**
 * A deep clone of `node` with computed presentation styles inlined (only those that differ from
 * the parent's, as they are inherited; `opacity` only when not 1) and interactive attributes dropped.
 */
function styledClone(node: Node, parent?: CSSStyleDeclaration): Node {
  const clone = node.cloneNode(false);
  let computed = parent;
  if (node instanceof Element && clone instanceof Element) {
    for (const attr of ["tabindex", "role", "class"]) clone.removeAttribute(attr);
    computed = getComputedStyle(node);
    clone.setAttribute("style", inlineStyle(computed, parent));
    if (clone.getAttribute("style") === "") clone.removeAttribute("style");
  }
  for (const child of Array.from(node.childNodes)) clone.appendChild(styledClone(child, computed));
  return clone;
}

function inlineStyle(computed: CSSStyleDeclaration, parent?: CSSStyleDeclaration): string {
  return STYLE_PROPERTIES.map((p) => [p, computed.getPropertyValue(p)] as const)
    .filter(([p, v]) => v !== "" && (p === "opacity" ? v !== "1" : parent === undefined || parent.getPropertyValue(p) !== v))
    .map(([p, v]) => `${p}:${v}`)
    .join(";");
}

/** Draws SVG text onto a canvas (white background) and encodes it as PNG. */
async function svgToPng(svgText: string, width: number, height: number): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.width = width;
    image.height = height;
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("the timeline SVG did not load as an image"));
      image.src = url;
    });
    const scale = Math.min(2, window.devicePixelRatio || 1);
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2D canvas context");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.scale(scale, scale);
    ctx.drawImage(image, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("the canvas gave no PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
