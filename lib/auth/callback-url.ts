// No server-only import: the sign-in form checks the path again in the browser before it
// navigates, so a future caller that forgets the server-side check is still safe.

const BASE = "http://countersign.invalid";
// A path the browser would read as another host: `//host` (scheme-relative) or `/\host`
// (browsers treat `\` as `/` in http(s) URLs).
const NETWORK_PATH = /^\/[/\\]/;

/**
 * Where to go after signing in: a path on this site only, or `/`.
 *
 * The value is resolved the way the browser will resolve it (WHATWG URL: tabs and newlines
 * dropped, `\` read as `/`, `.`/`..`/`%2e%2e` segments collapsed) and the *result* is checked:
 * `/..//evil.example` collapses to `//evil.example`, which `location.assign` would treat as
 * another host. The result must also resolve to itself once more, so nothing the browser does
 * on the second read can change where it leads.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || NETWORK_PATH.test(value)) return "/";
  const resolved = sameOriginPath(value);
  if (resolved === null || NETWORK_PATH.test(resolved)) return "/";
  return sameOriginPath(resolved) === resolved ? resolved : "/";
}

function sameOriginPath(value: string): string | null {
  try {
    const url = new URL(value, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}
