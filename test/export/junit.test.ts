// JUnit XML stays well-formed whatever an expectation is called: every character XML 1.0 forbids
// becomes a visible `\uXXXX`, everywhere the writer puts a string, and the rest of a name comes
// back unchanged. (xmllint is not on this machine: fast-xml-parser's validator plus an explicit
// scan for forbidden code points stand in for a strict parser.)
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { ExpectationResult } from "../../sim/assert/expectation.js";
import { isXmlChar, toJUnitXml, xmlSafeText, type JUnitSuite } from "../../sim/export/junit.js";

/** Code points of `text` that XML 1.0 forbids, as hex. Pure. */
function forbiddenIn(text: string): string[] {
  return [...text].map((ch) => ch.codePointAt(0)!).filter((cp) => !isXmlChar(cp)).map((cp) => cp.toString(16));
}

function result(name: string, message: string, passed = false): ExpectationResult {
  return { name, kind: "event", passed, observed: message, expected: `not ${message}`, line: 3, col: 5, witnesses: [] };
}

function suite(name: string, message: string): JUnitSuite {
  return { name: `s ${name}`, file: `f${name}.yaml`, seconds: 0.5, cases: [result(name, message), result(name, message, true)], incomplete: message, properties: { [`p${name.replace(/[^A-Za-z]/g, "")}`]: name, seed: message } };
}

/** `text` as an XML parser reads it back: line ends normalized to `\n` (XML 1.0 section 2.11). Pure. */
function asRead(text: string): string {
  return xmlSafeText(text).replace(/\r\n?/g, "\n");
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", trimValues: false, parseTagValue: false, parseAttributeValue: false, isArray: (n) => ["testsuite", "testcase", "property"].includes(n) });

/** Any UTF-16 text: BMP units including lone surrogates, U+FFFE/U+FFFF and C0 controls, and astral code points. */
const anyText = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 12 }).map((units) => String.fromCharCode(...units)),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.array(fc.constantFrom("\u0001", "\u001b", "\u0000", "\uFFFE", "\uFFFF", "\uD800", "\uDFFF", "\u{1F600}", "&", "<", "]]>", '"', "'", "\t", "a"), { maxLength: 8 }).map((parts) => parts.join("")),
);

describe("xmlSafeText", () => {
  it("writes forbidden characters as visible escapes and leaves the rest alone", () => {
    expect(xmlSafeText("a\u0001b\u001b[31m\uFFFE\uD800z")).toBe("a\\u0001b\\u001B[31m\\uFFFE\\uD800z");
    expect(xmlSafeText("tab\tline\nemoji \u{1F600} & <x>")).toBe("tab\tline\nemoji \u{1F600} & <x>");
  });
});

describe("toJUnitXml with arbitrary names and messages", () => {
  it("is well-formed XML without forbidden characters, and the names survive readably", () => {
    fc.assert(
      fc.property(anyText, anyText, (name, message) => {
        const xml = toJUnitXml([suite(name, message), { name, file: name, seconds: 0, cases: [], error: { message, detail: name } }]);
        expect(forbiddenIn(xml)).toEqual([]);
        expect(XMLValidator.validate(xml)).toBe(true);
        const doc = parser.parse(xml);
        const [first, errored] = doc.testsuites.testsuite;
        expect(first.name).toBe(`s ${asRead(name)}`);
        expect(first.testcase[0].name).toBe(asRead(name));
        expect(first.testcase[0].failure.message).toBe(`expected not ${asRead(message)}; observed ${asRead(message)}`);
        expect(first.properties.property.find((p: { name: string }) => p.name === "seed").value).toBe(asRead(message));
        expect(errored.testcase[0].error.message).toBe(asRead(message));
        // What a reader sees is the original once the visible escapes are read back.
        const unescaped = xmlSafeText(name).replace(/\\u([0-9A-F]{4,6})/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
        if (!name.includes("\\u")) expect(unescaped).toBe(name);
      }),
      { numRuns: 300, seed: 14 },
    );
  });
});

describe("toJUnitXml with the story's words", () => {
  it("names a suite with its verdict words and system state, keeps the bare name as the cases' classname, and stays valid", () => {
    const words: JUnitSuite = { name: "ddb [blind]", file: "ddb.yaml", seconds: 1, cases: [result("lost update", "x", true)], verdict: "outage reproduced as expected (1/1)", system: "outage, worst availability 2.6% (front) <&>" };
    const xml = toJUnitXml([words, { ...words, name: "plain", verdict: undefined, system: undefined }]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const [first, plain] = parser.parse(xml).testsuites.testsuite;
    expect(first.name).toBe("ddb [blind]: outage reproduced as expected (1/1); system: outage, worst availability 2.6% (front) <&>");
    expect(first.testcase[0].classname).toBe("ddb [blind]");
    expect(plain.name).toBe("plain");
  });
});
