import { AppError } from "@/lib/errors";

/**
 * A route handler's JSON object body. JSON only: a cross-site HTML form cannot send
 * `application/json` without the browser asking first, so a session cookie alone can't be
 * ridden by another site's form.
 */
export async function readJsonObject(request: Request): Promise<Record<string, unknown>> {
  if (!request.headers.get("content-type")?.startsWith("application/json")) throw new AppError("invalid_input", "Send the body as application/json");
  const body: unknown = await request.json().catch(() => {
    throw new AppError("invalid_input", "The body must be JSON");
  });
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("invalid_input", "The body must be a JSON object");
  return body as Record<string, unknown>;
}
