import { NextResponse, type NextRequest } from "next/server";
import {
  contentSecurityPolicy,
  newNonce,
  servedOverHttps,
  staticSecurityHeaders,
} from "@/lib/security/headers";
import { CROSS_SITE_MESSAGE, isCrossSite, isStateChanging } from "@/lib/security/origin";

// The edge of every request: security headers (a fresh CSP nonce each time) on every response,
// and a clear 4xx, never a 500, for requests Next.js itself would fail on. This is not where
// anything is authorised: pages, actions and route handlers check the session themselves
// (lib/auth/guards.ts), and Next.js checks a server action's Origin on its own too; here a
// refusal only gets its right status.

/** Next.js's own limit for server action bodies (experimental.serverActions.bodySizeLimit). */
const ACTION_BODY_LIMIT_BYTES = 1024 * 1024;

function decodesCleanly(pathname: string): boolean {
  try {
    for (const segment of pathname.split("/")) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

/** A refusal in the shape the caller reads: JSON under /api, plain text for pages and actions. */
function refuse(request: NextRequest, status: number, code: string, message: string): NextResponse {
  return request.nextUrl.pathname.startsWith("/api/")
    ? NextResponse.json({ error: { code, message } }, { status })
    : new NextResponse(message, {
        status,
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
}

/** What Next.js would answer with a 500, answered here with the status it means. */
function earlyRefusal(request: NextRequest): NextResponse | null {
  // Raw, still-encoded path: decoding a malformed escape (/inbox/%E0%A4%A) throws inside Next.
  if (!decodesCleanly(new URL(request.url).pathname))
    return refuse(
      request,
      400,
      "invalid_input",
      "This address contains a malformed percent-escape (%).",
    );
  // Pages take POSTs only as server actions. Next refuses a cross-site action and a body over its
  // limit, but with a 500; route handlers under /api refuse for themselves (guardedRoute).
  if (request.nextUrl.pathname.startsWith("/api/") || !isStateChanging(request.method)) return null;
  if (isCrossSite(request.headers, request.nextUrl.host))
    return refuse(request, 403, "forbidden", CROSS_SITE_MESSAGE);
  const length = request.headers.get("content-length");
  // Browsers always declare the length of an action's body; a body of unknown length could only
  // be measured by Next.js, which answers an oversized one with a 500.
  if (length === null && request.headers.has("next-action"))
    return refuse(request, 411, "invalid_input", "Send the request with a Content-Length.");
  if (Number(length) > ACTION_BODY_LIMIT_BYTES)
    return refuse(request, 413, "payload_too_large", "The request is too large (at most 1 MB).");
  return null;
}

export function proxy(request: NextRequest): NextResponse {
  const https = servedOverHttps();
  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  let response = earlyRefusal(request);
  if (!response) {
    // Next.js reads the nonce from the request's CSP header and puts it on the scripts it renders.
    const forwarded = new Headers(request.headers);
    forwarded.set("content-security-policy", csp);
    forwarded.set("x-nonce", nonce);
    response = NextResponse.next({ request: { headers: forwarded } });
  }
  response.headers.set("content-security-policy", csp);
  for (const [name, value] of Object.entries(staticSecurityHeaders({ https })))
    response.headers.set(name, value);
  return response;
}
