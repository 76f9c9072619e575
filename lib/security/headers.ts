// The security headers every response carries, built per request by proxy.ts. Kept free of
// server-only imports: the proxy bundle is not a React Server Components bundle.

/** 128 random bits, base64: unguessable, and new for every response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/** Served over HTTPS, by the configured public URL; the only input we trust for it (see docs/security.md). */
export function servedOverHttps(configuredUrl = process.env.NEXTAUTH_URL): boolean {
  return configuredUrl?.startsWith("https://") ?? false;
}

/**
 * A strict policy: scripts run only with this response's nonce (Next.js reads it from the request's
 * CSP header and puts it on its own scripts; 'strict-dynamic' lets those load the page's chunks),
 * styles only from this site or with the nonce, nothing framed, no plugins, no <base> rewrites,
 * forms posted only here. Development adds what React's dev tooling needs (eval, inline styles).
 */
export function contentSecurityPolicy(nonce: string, { dev = false, https = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${dev ? "'unsafe-inline'" : `'nonce-${nonce}'`}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The headers besides CSP, identical on every response. */
export function staticSecurityHeaders({ https = false } = {}): Record<string, string> {
  return {
    // Old browsers that ignore frame-ancestors.
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    // URLs hold approval and run ids: another site learns nothing from a link followed out of here.
    "referrer-policy": "same-origin",
    "permissions-policy":
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()",
    "cross-origin-opener-policy": "same-origin",
    // Two years, as the HSTS preload list asks; only ever sent when the app is served over HTTPS.
    ...(https && { "strict-transport-security": "max-age=63072000; includeSubDomains" }),
  };
}
