// Sharing an edited scenario by URL: the text, deflate-compressed and base64url-encoded, lives in
// the fragment (`#s=…`), which browsers never send to a server. What a link decodes to is
// untrusted text: callers only ever run it through the normal validated path and show it as text.

/** The fragment's prefix for a shared scenario. */
export const SHARE_PREFIX = "#s=";
/** Largest scenario text a link may carry, in bytes of UTF-8, both ways (a bound on decompression). */
export const SHARE_MAX_BYTES = 1_000_000;
/** Largest encoded fragment accepted: deflate never grows text by more than a few bytes per 16 KiB. */
const MAX_ENCODED_CHARS = Math.ceil((SHARE_MAX_BYTES * 1.01 + 64) / 3) * 4;

/** A link that cannot be decoded (corrupt, truncated or too large); the message is for people. */
export class ShareError extends Error {}

/** The text currently carried by the page's fragment (decoded at start or encoded by Share). */
let fragmentText: string | undefined;

/** The scenario text the URL's fragment carries now, if this page put it there or opened it. */
export function sharedText(): string | undefined {
  return fragmentText;
}

/** Compresses `text` into the fragment's payload (without the prefix). Throws ShareError when it is too large. */
export async function encodeScenario(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > SHARE_MAX_BYTES) throw new ShareError(`the scenario is ${bytes.length.toLocaleString("en")} bytes; a link carries at most ${SHARE_MAX_BYTES.toLocaleString("en")}`);
  const compressed = await collect(new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate-raw")), Infinity);
  return toBase64Url(compressed);
}

/**
 * Decompresses a fragment payload back to the scenario text. Reads at most SHARE_MAX_BYTES of
 * output (a small corrupt or hostile payload cannot expand without bound) and refuses bytes that
 * are not UTF-8. Throws ShareError with a message saying what is wrong.
 */
export async function decodeScenario(payload: string): Promise<string> {
  if (payload.length > MAX_ENCODED_CHARS) throw new ShareError(`the link's scenario is ${payload.length.toLocaleString("en")} characters long; at most ${MAX_ENCODED_CHARS.toLocaleString("en")} are read`);
  const compressed = fromBase64Url(payload);
  let bytes: Uint8Array;
  try {
    bytes = await collect(new Blob([compressed]).stream().pipeThrough(new DecompressionStream("deflate-raw")), SHARE_MAX_BYTES);
  } catch (e) {
    if (e instanceof ShareError) throw e;
    throw new ShareError("the link's scenario is corrupt or truncated (it does not decompress); ask for the link again");
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ShareError("the link's scenario is not UTF-8 text");
  }
}

/** The payload of a `#s=` fragment, or null when `hash` carries no shared scenario. Pure. */
export function sharePayload(hash: string): string | null {
  return hash.startsWith(SHARE_PREFIX) ? hash.slice(SHARE_PREFIX.length) : null;
}

/** Puts `text` in the page's fragment (replacing the history entry); returns the page's new URL. */
export async function shareInUrl(text: string): Promise<string> {
  const payload = await encodeScenario(text);
  const url = new URL(location.href);
  url.hash = `${SHARE_PREFIX.slice(1)}${payload}`;
  history.replaceState(history.state, "", url);
  fragmentText = text;
  return url.href;
}

/** Removes a shared scenario from the fragment (another scenario is shown now). */
export function clearSharedFragment(): void {
  fragmentText = undefined;
  if (sharePayload(location.hash) === null) return;
  const url = new URL(location.href);
  url.hash = "";
  history.replaceState(history.state, "", url);
}

/**
 * The app's start hook: when the URL's fragment carries a shared scenario, decodes it and calls
 * `run(text)`, or `fail(message)` for a link that cannot be read. Returns whether there was one.
 */
export function openSharedFragment(hash: string, run: (text: string) => void, fail: (message: string) => void): boolean {
  const payload = sharePayload(hash);
  if (payload === null) return false;
  decodeScenario(payload).then(
    (text) => {
      fragmentText = text;
      run(text);
    },
    (e: Error) => fail(`The shared link's scenario could not be opened: ${e instanceof ShareError ? e.message : String(e)}.`),
  );
  return true;
}

/** Reads a byte stream into one array, failing with ShareError past `limit` bytes. */
async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ShareError(`the link's scenario expands past ${limit.toLocaleString("en")} bytes; it is not read`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** base64url without padding (RFC 4648 §5), safe in a fragment as is. Pure. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of a base64url string; throws ShareError on any other character. Pure. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new ShareError("the link's scenario is not valid base64url (was the link cut or changed?)");
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
