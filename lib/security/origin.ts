// Cross-site request refusal (CSRF). A browser attaches the session cookie to any request to this
// site, whoever's page sends it; what another site's page cannot forge is the `Origin` header
// (nor, when a browser leaves Origin out, `Sec-Fetch-Site`). A state-changing request is refused
// unless its Origin names the host it was sent to (`X-Forwarded-Host`, else `Host`): the rule
// Next.js applies to server actions, so pages, actions and route handlers agree on what "this
// site" is, behind a proxy or not. A page on another site cannot choose the Host its victim's
// browser sends, and one that can (DNS rebinding) does not get this site's cookies.
// NEXTAUTH_URL is deliberately not a second accepted origin: a request Next.js would then refuse
// for a server action would pass here, and the two rules must not disagree.
// No server-only imports: proxy.ts uses this too.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Whether a request was sent by another site's page. A request with no browser signal at all (no
 * Origin, no Sec-Fetch-Site) is not: browsers send Origin on every POST, so that is a script, and
 * a script holding the session cookie is its owner, not a forged request. `Sec-Fetch-Site:
 * same-site` counts as cross-site: a sibling subdomain is another site's code. `urlHost` (the
 * request URL's host) stands in for a missing Host header, as in a Request built in-process.
 */
export function isCrossSite(headers: Headers, urlHost?: string): boolean {
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site");
    return site === "cross-site" || site === "same-site";
  }
  const requestHost = (headers.get("x-forwarded-host") ?? headers.get("host") ?? urlHost)
    ?.split(",")[0]
    ?.trim()
    .toLowerCase();
  return origin === "null" || !requestHost || hostOf(origin) !== requestHost;
}

export const CROSS_SITE_MESSAGE =
  "This request came from another site, so it was refused. Use Countersign itself, or send a personal access token.";
