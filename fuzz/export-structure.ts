// Structural checks of what the exports write, for the "run-files" fuzz target: the HTML report
// as parse5 (the HTML spec's parser) sees it, DOT outside its quoted strings, ShiViz lines and
// OTLP JSON lines. Each returns the problems found as sentences (empty when the structure is the
// generator's own), so hostile text from a run file shows up as a named break-out. Pure.
import { parse, type DefaultTreeAdapterMap } from "parse5";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

/** What an HTML document is made of: element names, `tag@attribute` pairs, and the elements themselves. */
export interface Markup {
  tags: Set<string>;
  attributes: Set<string>;
  elements: Element[];
}

/** Every element and attribute of `html`, as parse5 parses it (template contents included). Pure. */
export function markup(html: string): Markup {
  const out: Markup = { tags: new Set(), attributes: new Set(), elements: [] };
  const stack: Node[] = [parse(html)];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if ("tagName" in node) {
      out.elements.push(node);
      out.tags.add(node.tagName);
      for (const a of node.attrs) out.attributes.add(`${node.tagName}@${a.name}`);
    }
    const children = "content" in node ? [...node.childNodes, ...(node as DefaultTreeAdapterMap["template"]).content.childNodes] : "childNodes" in node ? node.childNodes : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out;
}

/** The text of an element's children (for script and style elements: their raw text). */
export function textOf(e: Element): string {
  return e.childNodes.map((c) => (c.nodeName === "#text" ? (c as DefaultTreeAdapterMap["textNode"]).value : "")).join("");
}

/** What honest reports are made of, to compare a forged one with. */
export interface ReportShape {
  tags: Set<string>;
  attributes: Set<string>;
  /** The executable script's text, the style element's text and the CSP, as honest reports have them. */
  scriptText: string;
  styleText: string;
  csp: string;
}

/** The shape of honest reports: the union of their tags and attributes, and their one script, style and CSP. Pure. */
export function reportShape(honestReports: readonly string[]): ReportShape {
  const shape: ReportShape = { tags: new Set(), attributes: new Set(), scriptText: "", styleText: "", csp: "" };
  for (const html of honestReports) {
    const m = markup(html);
    for (const t of m.tags) shape.tags.add(t);
    for (const a of m.attributes) shape.attributes.add(a);
    const script = m.elements.find((e) => e.tagName === "script" && e.attrs.length === 0);
    const style = m.elements.find((e) => e.tagName === "style");
    const csp = m.elements.find((e) => e.tagName === "meta" && e.attrs.some((a) => a.name === "http-equiv"));
    if (!script || !style || !csp) throw new Error("reportShape: an honest report has no script, style or CSP meta element; the report template changed, update fuzz/export-structure.ts");
    shape.scriptText = textOf(script);
    shape.styleText = textOf(style);
    shape.csp = csp.attrs.find((a) => a.name === "content")?.value ?? "";
  }
  return shape;
}

/**
 * Problems with a report's markup, compared with honest reports: elements or attributes they
 * never have, event-handler attributes, `javascript:` or off-page links, a script or style that
 * differs from the generator's, a JSON data block that does not parse or could close its element,
 * a different CSP. Pure.
 */
/** The inert JSON data blocks the HTML report writes (type application/json: never executed). */
const JSON_BLOCKS = new Set(["type=application/json id=crossfire-run", "type=application/json id=crossfire-series", "type=application/json id=crossfire-events"]);

export function reportProblems(html: string, honest: ReportShape): string[] {
  const problems: string[] = [];
  const m = markup(html);
  const newTags = [...m.tags].filter((t) => !honest.tags.has(t));
  if (newTags.length > 0) problems.push(`elements honest reports never have: ${newTags.join(", ")}`);
  const newAttributes = [...m.attributes].filter((a) => !honest.attributes.has(a));
  if (newAttributes.length > 0) problems.push(`attributes honest reports never have: ${newAttributes.join(", ")}`);
  let scripts = 0;
  for (const e of m.elements) {
    for (const a of e.attrs) {
      if (/^on/i.test(a.name)) problems.push(`event handler attribute ${e.tagName}@${a.name}`);
      // Browsers ignore leading spaces and control characters, and tabs and line breaks anywhere,
      // in a URL's scheme. data-*, class and id are never read as URLs (the event table's
      // data-type holds the record's type, whatever text that is), so they may hold such text.
      const url = a.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
      const neverUrl = a.name.startsWith("data-") || a.name === "class" || a.name === "id";
      if (!neverUrl && url.startsWith("javascript:") || url.startsWith("data:") || url.startsWith("vbscript:")) problems.push(`${e.tagName}@${a.name} is a script URL: ${a.value.slice(0, 80)}`);
      if ((a.name === "href" || a.name === "xlink:href" || a.name === "src") && !a.value.startsWith("#")) problems.push(`${e.tagName}@${a.name} leaves the page: ${a.value.slice(0, 80)}`);
      if (a.name === "style" && /url\(|expression|@import|\\/i.test(a.value)) problems.push(`${e.tagName}@style loads or escapes: ${a.value.slice(0, 80)}`);
    }
    if (e.tagName === "script") {
      scripts++;
      const text = textOf(e);
      const attrs = e.attrs.map((a) => `${a.name}=${a.value}`).join(" ");
      if (e.attrs.length === 0) {
        if (text !== honest.scriptText) problems.push("the report's script is not the generator's");
      } else if (JSON_BLOCKS.has(attrs)) {
        // The report's inert data blocks: the run it embeds, the series its cursor reads and the records its selected-event panel shows.
        if (/<\/script|<!--|<script/i.test(text)) problems.push("the JSON data block holds text that can close or re-open a script element");
        try {
          const value = JSON.parse(text);
          if (value === null || typeof value !== "object") problems.push("the JSON data block is not an object or array");
        } catch (err) {
          problems.push(`the JSON data block does not parse: ${(err as Error).message}`);
        }
      } else {
        problems.push(`a script element the generator does not write: <script ${attrs.slice(0, 80)}>`);
      }
    }
    if (e.tagName === "style" && textOf(e) !== honest.styleText) problems.push("the report's style element is not the generator's");
    if (e.tagName === "meta" && e.attrs.some((a) => a.name === "http-equiv") && e.attrs.find((a) => a.name === "content")?.value !== honest.csp) problems.push("the report's CSP is not the generator's");
  }
  if (scripts > 1 + JSON_BLOCKS.size) problems.push(`${scripts} script elements (the generator writes ${1 + JSON_BLOCKS.size})`);
  return problems;
}

/** Words DOT output may have outside quoted strings (node ids normalized to `n#`, clusters to `cluster_#`). */
const DOT_WORDS = new Set([
  "digraph", "causal", "neighbourhood", "graph", "node", "edge", "subgraph", "rank", "same",
  "rankdir", "LR", "fontname", "fontsize", "labelloc", "t", "label", "shape", "box", "style", "color", "arrowsize",
  "fillcolor", "penwidth", "fontcolor", "peripheries", "tooltip", "n#", "cluster_#",
]);

/**
 * Problems with DOT text: words outside quoted strings and `//` comment lines that the generator
 * does not write, punctuation other than DOT's, unbalanced braces, edges to undeclared nodes. Pure.
 */
export function dotProblems(dot: string): string[] {
  const problems: string[] = [];
  const skeleton = dot
    .split("\n")
    .filter((l) => !l.trimStart().startsWith("//"))
    .join("\n")
    .replace(/"(?:[^"\\\n]|\\.)*"/g, " ");
  const words = [...skeleton.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0].replace(/^(n|cluster_)\d+$/, "$1#"));
  const stray = [...new Set(words.filter((w) => !DOT_WORDS.has(w)))];
  if (stray.length > 0) problems.push(`words outside quoted strings: ${stray.slice(0, 5).map((w) => JSON.stringify(w.slice(0, 40))).join(", ")}`);
  const rest = skeleton.replace(/[A-Za-z0-9_.]+/g, "");
  const odd = rest.replace(/[\s[\]{}=,;\->]/g, "");
  if (odd.length > 0) problems.push(`characters outside quoted strings: ${JSON.stringify(odd.slice(0, 40))}`);
  if ((rest.match(/\{/g) ?? []).length !== (rest.match(/\}/g) ?? []).length) problems.push("unbalanced braces");
  const declared = new Set([...dot.matchAll(/^\s*(n\d+) \[/gm)].map((m) => m[1]));
  for (const e of dot.matchAll(/^\s*(n\d+) -> (n\d+);$/gm)) {
    if (!declared.has(e[1]) || !declared.has(e[2])) {
      problems.push(`edge ${e[1]} -> ${e[2]} joins an undeclared node`);
      break;
    }
  }
  return problems;
}

/** Problems with a ShiViz log: line 1 the regex, line 2 empty, then pairs of `#seq ...` and `host {json clock}`. Pure. */
export function shivizProblems(log: string): string[] {
  const lines = log.replace(/\n+$/, "").split("\n");
  if (lines[1] !== undefined && lines[1] !== "") return ["line 2 is not empty"];
  const body = lines.slice(2);
  if (body.length % 2 !== 0) return [`${body.length} event lines, not pairs`];
  for (let i = 0; i < body.length; i += 2) {
    if (!/^#\d+ /.test(body[i])) return [`event line ${i + 3} does not start with #seq: ${JSON.stringify(body[i].slice(0, 60))}`];
    const m = /^(\S+) (\{.*\})$/.exec(body[i + 1]);
    if (!m) return [`host line ${i + 4} is not "host {clock}": ${JSON.stringify(body[i + 1].slice(0, 60))}`];
    try {
      JSON.parse(m[2]);
    } catch {
      return [`host line ${i + 4}'s clock is not JSON`];
    }
  }
  return [];
}

/** Problems with OTLP JSON lines: every non-empty line one JSON object. Pure. */
export function jsonLinesProblems(text: string): string[] {
  const lines = text.split("\n").filter((l) => l !== "");
  for (const [i, line] of lines.entries()) {
    try {
      const v = JSON.parse(line);
      if (v === null || typeof v !== "object") return [`line ${i + 1} is not a JSON object`];
    } catch (err) {
      return [`line ${i + 1} is not JSON: ${(err as Error).message}`];
    }
  }
  return [];
}

/** Problems with terminal text: control characters other than line feed and tab (escape sequences could drive the reader's terminal). Pure. */
export function terminalProblems(text: string): string[] {
  const m = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(text);
  return m ? [`control character U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} in terminal output near ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 10))}`] : [];
}
