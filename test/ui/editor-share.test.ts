// Share-by-URL encoding: a scenario survives the round trip through the fragment, and a corrupt,
// cut, non-UTF-8 or oversized payload is refused with a message (never decompressed without bound).
import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { decodeScenario, encodeScenario, fromBase64Url, SHARE_MAX_BYTES, ShareError, sharePayload, toBase64Url } from "../../ui/views/editor-share.js";

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

describe("sharing a scenario in the URL fragment", () => {
  it("round-trips text, including non-ASCII, as base64url", async () => {
    const text = "name: café-→\ndescription: |\n  ünïcödé 🚀\nduration: 1h\n".repeat(50);
    const payload = await encodeScenario(text);
    expect(payload).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(payload.length).toBeLessThan(text.length);
    expect(await decodeScenario(payload)).toBe(text);
    expect(sharePayload(`#s=${payload}`)).toBe(payload);
    expect(sharePayload("#other")).toBeNull();
  });

  it("matches Node's base64url and raw deflate", async () => {
    const bytes = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    expect(toBase64Url(bytes)).toBe(b64url(bytes));
    expect(Array.from(fromBase64Url(b64url(bytes)))).toEqual(Array.from(bytes));
    expect(await decodeScenario(b64url(deflateRawSync(Buffer.from("seed: 7\n"))))).toBe("seed: 7\n");
  });

  it("refuses a payload that is not base64url, is cut, or is not deflate", async () => {
    await expect(decodeScenario("abc$def")).rejects.toThrow(/not valid base64url/);
    const payload = await encodeScenario("name: x\n".repeat(200));
    await expect(decodeScenario(payload.slice(0, payload.length - 6))).rejects.toThrow(ShareError);
    await expect(decodeScenario(b64url(new TextEncoder().encode("plain text, not deflate")))).rejects.toThrow(/corrupt or truncated/);
  });

  it("refuses bytes that are not UTF-8", async () => {
    await expect(decodeScenario(b64url(deflateRawSync(Buffer.from([0x6e, 0xff, 0xfe]))))).rejects.toThrow(/not UTF-8/);
  });

  it("stops decompressing past the size bound (a small payload cannot expand without limit)", async () => {
    const bomb = b64url(deflateRawSync(Buffer.alloc(SHARE_MAX_BYTES + 1, "a")));
    expect(bomb.length).toBeLessThan(5_000);
    await expect(decodeScenario(bomb)).rejects.toThrow(/expands past 1,000,000 bytes/);
    await expect(encodeScenario("a".repeat(SHARE_MAX_BYTES + 1))).rejects.toThrow(/at most 1,000,000/);
    expect(await decodeScenario(b64url(deflateRawSync(Buffer.alloc(SHARE_MAX_BYTES, "a"))))).toHaveLength(SHARE_MAX_BYTES);
  });
});
