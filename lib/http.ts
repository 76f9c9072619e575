import { AppError } from "@/lib/errors";
import { assertStorable } from "@/lib/validation/text";

/** Larger than any decision, reply or filter a person or script sends; small enough to parse at once. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

const TOO_LARGE = `The body is too large (at most ${MAX_JSON_BODY_BYTES / 1024} KiB)`;

/**
 * The body's bytes, refused with 413 as soon as they pass the limit: the declared
 * Content-Length is checked first, and the streamed size too (a body may be chunked, or lie).
 */
async function readLimited(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BODY_BYTES) throw new AppError("payload_too_large", TOO_LARGE);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JSON_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw new AppError("payload_too_large", TOO_LARGE);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * A route handler's JSON object body. JSON only: a cross-site HTML form cannot send
 * `application/json` without the browser asking first, so a session cookie alone can't be
 * ridden by another site's form. At most 64 KiB (413 beyond), and refused when any string in it
 * could not be stored (a NUL byte, broken Unicode).
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")?.startsWith("application/json"))
    throw new AppError("invalid_input", "Send the body as application/json");
  const text = new TextDecoder().decode(await readLimited(request));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "The body must be JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new AppError("invalid_input", "The body must be a JSON object");
  assertStorable(body, "body");
  return body as Record<string, unknown>;
}
