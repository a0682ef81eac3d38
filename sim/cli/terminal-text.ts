// Text for a terminal: a run file from elsewhere can carry escape sequences in any string, and
// printed raw they would drive the reader's terminal (move the cursor, rewrite lines, set the
// window title). Pure.

/**
 * `text` with control characters other than line feed and tab (C0, DEL, C1; a carriage return
 * too, which could overwrite what was printed) shown as `\u001b`-style escapes. Pure.
 */
export function terminalText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
