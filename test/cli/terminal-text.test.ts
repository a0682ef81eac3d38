// terminalText: what the CLI prints from a run file cannot drive the reader's terminal.
import { describe, expect, it } from "vitest";
import { terminalText } from "../../sim/cli/terminal-text.js";

describe("terminalText", () => {
  it("shows escape sequences, carriage returns and C1 controls as \\u escapes, keeping line feeds and tabs", () => {
    expect(terminalText("a\u001b[2J\u001b]0;title\u0007b\rc\u009bd\n\te")).toBe("a\\u001b[2J\\u001b]0;title\\u0007b\\u000dc\\u009bd\n\te");
  });

  it("leaves ordinary text, markup and non-Latin text alone", () => {
    const text = `#3 00:02:00 cost: web.replicas 8 -> 6 <b>"x"</b> 𝔘 👩‍👩‍👧`;
    expect(terminalText(text)).toBe(text);
  });
});
