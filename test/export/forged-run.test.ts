// Markup injection (issue 13, finding 1): a run file whose records carry HTML, quotes and DOT
// break-outs in every string field, and strings or objects where numbers are expected, with its
// chain recomputed so it verifies. Every export must render all of it as text: the HTML report,
// parsed back with parse5, holds no element, attribute or script the generator did not write;
// DOT and ShiViz keep their structure.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { crossfire } from "../helpers/cli.js";
import { EVIL, forgedRunFile, honestRunFile } from "./forged-run.js";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

const dir = mkdtempSync(join(tmpdir(), "crossfire-forged-"));
writeFileSync(join(dir, "forged.ndjson"), forgedRunFile());
writeFileSync(join(dir, "forged-strings.ndjson"), forgedRunFile());
writeFileSync(join(dir, "forged-causes.ndjson"), forgedRunFile({ causes: true }));
writeFileSync(join(dir, "honest.ndjson"), honestRunFile());

function exported(file: string, ...args: string[]): string {
  const r = crossfire(["export", file, ...args], { cwd: dir });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

interface Markup {
  tags: Set<string>;
  attributes: Set<string>;
  elements: Element[];
  text: string;
}

/** Every element, attribute name (`tag@name`) and the concatenated text of `html`, as parse5 (the HTML spec's parser) sees it. */
function markup(html: string): Markup {
  const out: Markup = { tags: new Set(), attributes: new Set(), elements: [], text: "" };
  const walk = (node: Node) => {
    if (node.nodeName === "#text") out.text += (node as DefaultTreeAdapterMap["textNode"]).value;
    if ("tagName" in node) {
      out.elements.push(node);
      out.tags.add(node.tagName);
      for (const a of node.attrs) out.attributes.add(`${node.tagName}@${a.name}`);
    }
    const children = "content" in node ? [...node.childNodes, ...(node as DefaultTreeAdapterMap["template"]).content.childNodes] : "childNodes" in node ? node.childNodes : [];
    for (const c of children) walk(c);
  };
  walk(parse(html));
  return out;
}

describe("a forged run file with markup in every field", () => {
  it("verifies (so only escaping stands between it and the reader)", () => {
    const r = crossfire(["verify", "forged.ndjson"], { cwd: dir });
    expect(r.stdout).toContain("records verify");
    expect(r.code).toBe(0);
  });

  it("is refused by verify when markup is in a record's causes (a record of the wrong shape)", () => {
    const r = crossfire(["verify", "forged-causes.ndjson"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/names cause/);
    expect(crossfire(["export", "forged-causes.ndjson", "--format", "html", "--out", "r.html"], { cwd: dir }).code).toBe(2);
  });

  it("exports to an HTML report with no element, attribute or script the generator did not write", () => {
    const honest = markup(exported("honest.ndjson", "--format", "html"));
    const html = exported("forged.ndjson", "--format", "html");
    const forged = markup(html);
    expect([...forged.tags].filter((t) => !honest.tags.has(t))).toEqual([]);
    expect([...forged.attributes].filter((a) => !honest.attributes.has(a))).toEqual([]);
    for (const e of forged.elements) for (const a of e.attrs) expect(a.name).not.toMatch(/^on/i);
    expect(forged.tags.has("img")).toBe(false);
    expect(forged.tags.has("b") && !honest.tags.has("b")).toBe(false);
    // The same scripts as an honest report: the filter script, and the run's JSON data block.
    const scripts = (m: Markup) => m.elements.filter((e) => e.tagName === "script").map((e) => e.attrs.map((a) => `${a.name}=${a.value}`).join(" "));
    expect(scripts(forged)).toEqual(scripts(honest));
    const code = (m: Markup) => m.elements.filter((e) => e.tagName === "script" && e.attrs.length === 0).map((e) => (e.childNodes[0] as DefaultTreeAdapterMap["textNode"]).value);
    expect(code(forged)).toEqual(code(honest));
    // Links only to anchors in the page.
    for (const e of forged.elements) for (const a of e.attrs) if (a.name === "href") expect(a.value.startsWith("#")).toBe(true);
    // Defence in depth: the CSP runs only the report's own script, by hash.
    const csp = forged.elements.find((e) => e.tagName === "meta" && e.attrs.some((x) => x.name === "http-equiv" && x.value === "Content-Security-Policy"));
    const policy = new Map((csp?.attrs.find((x) => x.name === "content")?.value ?? "").split(";").map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(policy.get("default-src")).toEqual(["'none'"]);
    expect(policy.get("script-src")).toHaveLength(1);
    expect(policy.get("script-src")?.[0]).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'none'"]);
    // The hostile text is shown, as text.
    expect(forged.text).toContain(`<img src=x onerror="location.href='/pwned'">`);
    expect(forged.text).toContain("<b>x</b>");
  });

  /** The words of DOT outside quoted strings and comments (node ids as `n#`, clusters as `cluster_#`), and what else is left. */
  function dotWords(dot: string): { words: Set<string>; rest: string } {
    const skeleton = dot
      .split("\n")
      .filter((l) => !l.trimStart().startsWith("//"))
      .join("\n")
      .replace(/"(?:[^"\\\n]|\\.)*"/g, " ");
    const words = new Set([...skeleton.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => m[0].replace(/^(n|cluster_)\d+$/, "$1#")));
    return { words, rest: skeleton.replace(/[A-Za-z0-9_.]+/g, "") };
  }

  // The neighbourhood needs the causal graph, which refuses causes that are not seqs.
  it.each([
    ["forged.ndjson", [] as string[]],
    ["forged-strings.ndjson", ["--event", "5"]],
  ])("exports %s to DOT %j with only the generator's words outside quoted strings", (file, extra) => {
    const honest = dotWords(exported("honest.ndjson", "--format", "dot", ...extra));
    const dot = exported(file, "--format", "dot", ...extra);
    const forged = dotWords(dot);
    const known = new Set([...honest.words, "fillcolor", "penwidth", "fontcolor", "peripheries", "color"]);
    expect([...forged.words].filter((w) => !known.has(w))).toEqual([]);
    // Outside strings only DOT punctuation: no stray quote, angle bracket (an HTML label) or backslash.
    expect(forged.rest).toMatch(/^[\s[\]{}=,;\->]*$/);
    // Comments are single lines of the generator's: hostile text never starts a line.
    for (const line of dot.split("\n")) expect(EVIL.some((e) => line.trimStart().startsWith(e.slice(0, 6)))).toBe(false);
  });

  it("exports to a ShiViz log with one description line and one host line per event", () => {
    const log = exported("forged.ndjson", "--format", "shiviz").replace(/\n+$/, "");
    const lines = log.split("\n");
    expect(lines[1]).toBe("");
    const body = lines.slice(2);
    expect(body.length % 2).toBe(0);
    for (let i = 0; i < body.length; i += 2) {
      expect(body[i]).toMatch(/^#\d+ /);
      const m = /^(\S+) (\{.*\})$/.exec(body[i + 1]);
      expect(m).not.toBeNull();
      expect(typeof JSON.parse(m![2])).toBe("object");
    }
  });
});
