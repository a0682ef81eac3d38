// JUnit XML for CI systems: a <testsuite> per scenario variant, a <testcase> per expectation
// (failures carry observed vs expected; a vacuous pass is <skipped> with why), and a suite with an <error> for a file that did not
// load. A suite's name carries the verdict in words and the system's state ("dynamodb-dns-race
// [blind]: outage reproduced as expected (16/16); system: outage, ..."), so a CI page says what a
// pass means; its testcases keep the bare `scenario [variant]` as classname. Built with fast-xml-parser's XMLBuilder so escaping is not ours to get wrong; characters
// XML 1.0 forbids (which no escaping can carry) are replaced by a visible `\uXXXX`. Pure.
import { XMLBuilder } from "fast-xml-parser";
import type { ExpectationResult } from "../assert/expectation.js";

export interface JUnitSuite {
  /** `scenario [variant]`. */
  name: string;
  file: string;
  /** Seconds of wall time, as JUnit readers expect. */
  seconds: number;
  cases: ExpectationResult[];
  /** Set when the scenario could not be loaded or run: reported as an errored testcase. */
  error?: { message: string; detail: string };
  /** Set when the run stopped before its duration. */
  incomplete?: string;
  properties?: Record<string, string>;
  /** The verdict in words (sim/story): "outage reproduced as expected (16/16)". */
  verdict?: string;
  /** The system's state in a few words: "outage, worst availability 0% (front)". */
  system?: string;
}

/** The suite's name as CI shows it: `scenario [variant]`, then the verdict and system words when known. Pure. */
export function suiteTitle(s: Pick<JUnitSuite, "name" | "verdict" | "system">): string {
  const words = [s.verdict, s.system === undefined ? undefined : `system: ${s.system}`].filter((w) => w !== undefined);
  return words.length === 0 ? s.name : `${s.name}: ${words.join("; ")}`;
}

/** The JUnit XML document for `suites`. Pure. */
export function toJUnitXml(suites: readonly JUnitSuite[]): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true });
  const total = (f: (s: JUnitSuite) => number) => suites.reduce((n, s) => n + f(s), 0);
  const failuresOf = (s: JUnitSuite) => s.cases.filter((c) => !c.passed).length + (s.incomplete ? 1 : 0);
  const skippedOf = (s: JUnitSuite) => s.cases.filter((c) => c.passed && c.vacuous !== undefined).length;
  const testsOf = (s: JUnitSuite) => (s.error ? 1 : s.cases.length + (s.incomplete ? 1 : 0));
  const doc = {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    testsuites: {
      "@_name": "crossfire",
      "@_tests": total(testsOf),
      "@_failures": total(failuresOf),
      "@_errors": suites.filter((s) => s.error).length,
      "@_skipped": total(skippedOf),
      "@_time": total((s) => s.seconds).toFixed(3),
      testsuite: suites.map((s) => ({
        "@_name": suiteTitle(s),
        "@_file": s.file,
        "@_tests": testsOf(s),
        "@_failures": failuresOf(s),
        "@_errors": s.error ? 1 : 0,
        "@_skipped": skippedOf(s),
        "@_time": s.seconds.toFixed(3),
        ...(s.properties ? { properties: { property: Object.entries(s.properties).map(([name, value]) => ({ "@_name": name, "@_value": value })) } } : {}),
        testcase: s.error
          ? [{ "@_name": "load and run", "@_classname": s.name, "@_file": s.file, error: { "@_message": s.error.message, "#text": s.error.detail } }]
          : [
              ...s.cases.map((c) => ({
                "@_name": c.name,
                "@_classname": s.name,
                "@_file": s.file,
                ...(c.line > 0 ? { "@_line": c.line } : {}),
                // A vacuous pass is reported as skipped: CI shows it apart from real passes without failing the build.
                ...(c.passed && c.vacuous !== undefined ? { skipped: { "@_message": `passed (vacuous: ${c.vacuous})` }, "system-out": `${s.file}:${c.line}:${c.col}: ${c.name}\npassed (vacuous: ${c.vacuous})\nexpected: ${c.expected}\nobserved: ${c.observed}` } : {}),
                ...(c.passed ? {} : { failure: { "@_message": `expected ${c.expected}; observed ${c.observed}`, "@_type": c.kind, "#text": `${s.file}:${c.line}:${c.col}: ${c.name}\nexpected: ${c.expected}\nobserved: ${c.observed}` } }),
              })),
              ...(s.incomplete ? [{ "@_name": "run reached its duration", "@_classname": s.name, "@_file": s.file, failure: { "@_message": s.incomplete, "@_type": "incomplete" } }] : []),
            ],
      })),
    },
  };
  return builder.build(xmlSafeTree(doc)) as string;
}

/**
 * Whether code point `cp` may appear in an XML 1.0 document (the `Char` production: tab, line
 * feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF). Pure.
 */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * `text` with every character XML 1.0 forbids (C0 controls other than tab and line breaks, lone
 * surrogates, U+FFFE, U+FFFF) written as a visible `\uXXXX`, so a name stays readable and a
 * strict parser (libxml2, Java's) accepts the document. Unchanged when there is none. Pure.
 */
export function xmlSafeText(text: string): string {
  let out = "";
  // for...of walks code points; a lone surrogate comes out as a one-unit string.
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += isXmlChar(cp) ? ch : `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  }
  return out;
}

/** `value` with xmlSafeText applied to every string in it (attribute values and text alike). Pure. */
function xmlSafeTree(value: unknown): unknown {
  if (typeof value === "string") return xmlSafeText(value);
  if (Array.isArray(value)) return value.map(xmlSafeTree);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, xmlSafeTree(v)]));
  return value;
}
