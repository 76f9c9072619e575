/**
 * Where to go after signing in: a path on this site only. Resolved the way the browser will
 * resolve it, so `/\evil.com` or a path with a tab (which browsers read as `//evil.com`) cannot
 * send a signed-in user to another site.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/")) return "/";
  const base = "http://countersign.invalid";
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
