// Files too large to read are refused by their size, with the limit and a hint, not misnamed
// ("not UTF-8") after Node failed to decode them; the same limit holds in the app.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FILE_BYTES_MAX, tooLargeProblem } from "../../sim/core/file-size.js";
import { crossfire } from "../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "crossfire-size-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("file size limit", () => {
  it("the CLI refuses a file over the limit with exit 2, its size and the limit", () => {
    const file = join(tmp, "huge.ndjson");
    // A sparse file: its size is over the limit without writing that many bytes.
    const fd = openSync(file, "w");
    writeSync(fd, "x", FILE_BYTES_MAX);
    closeSync(fd);
    for (const args of [["verify", file], ["validate", file]]) {
      const r = crossfire(args);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr, args[0]).toMatch(/MB/);
      expect(r.stderr, args[0]).not.toMatch(/UTF-8|internal error/);
    }
  }, 60_000);

  it("names the size and the limit", () => {
    expect(tooLargeProblem("run.ndjson", FILE_BYTES_MAX + 1)).toMatch(/run\.ndjson.*256 MB/);
    expect(tooLargeProblem("run.ndjson", FILE_BYTES_MAX)).toBeNull();
  });
});
