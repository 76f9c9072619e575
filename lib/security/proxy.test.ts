import { afterEach, describe, expect, it, vi } from "vitest";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";
import { isCrossSite } from "./origin";

const BASE = "http://localhost:3000";
const request = (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
  new NextRequest(`${BASE}${path}`, {
    method: init.method ?? "GET",
    headers: { host: "localhost:3000", ...init.headers },
  });

afterEach(() => vi.unstubAllEnvs());

describe("proxy: security headers", () => {
  it("puts a fresh nonce in a strict CSP on every response, and hands it to the renderer", () => {
    const first = proxy(request("/inbox"));
    const second = proxy(request("/api/health"));
    const csp = first.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(second.headers.get("content-security-policy")).not.toContain(nonce);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    // NextResponse.next passes the overridden request headers to the renderer this way.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(csp);
    expect(first.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    for (const response of [first, second]) {
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("permissions-policy")).toMatch(/camera=\(\)/);
    }
  });

  it("sends HSTS and upgrade-insecure-requests only when the public URL is https", () => {
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
    expect(proxy(request("/chat")).headers.get("strict-transport-security")).toBeNull();
    vi.stubEnv("NEXTAUTH_URL", "https://countersign.example");
    const response = proxy(request("/chat"));
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8}/);
    expect(response.headers.get("content-security-policy")).toMatch(/upgrade-insecure-requests/);
  });
});

describe("proxy: requests Next.js would answer with a 500", () => {
  it("answers a malformed percent-escape in the path with 400 (JSON under /api), headers included", async () => {
    for (const path of ["/inbox/%E0%A4%A", "/api/v1/approvals/%zz", "/runs/%"]) {
      const response = proxy(request(path));
      expect(response.status).toBe(400);
      expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors/);
    }
    expect(await proxy(request("/api/v1/approvals/%zz")).json()).toMatchObject({
      error: { code: "invalid_input" },
    });
    expect(proxy(request("/inbox/%E2%9C%93")).status).toBe(200); // a valid escape goes through
  });

  it("refuses a cross-site server action (403) and one over 1 MB (413); a same-site one goes through", () => {
    const action = (headers: Record<string, string>) =>
      proxy(request("/chat", { method: "POST", headers: { "next-action": "abc", ...headers } }));
    expect(action({ origin: "https://evil.example", "content-length": "10" }).status).toBe(403);
    expect(action({ origin: BASE, "content-length": String(1024 * 1024 + 1) }).status).toBe(413);
    expect(action({ origin: BASE }).status).toBe(411);
    expect(action({ origin: BASE, "content-length": "10" }).status).toBe(200);
  });

  it("leaves route handlers' own POSTs to guardedRoute", () => {
    expect(
      proxy(
        request("/api/approvals/x/claim", {
          method: "POST",
          headers: { origin: "https://evil.example" },
        }),
      ).status,
    ).toBe(200);
  });
});

describe("cross-site detection", () => {
  const h = (headers: Record<string, string>) => new Headers({ host: "app.example", ...headers });
  it("accepts this host's own origin, and scripts that send no browser signal", () => {
    expect(isCrossSite(h({ origin: "https://app.example" }))).toBe(false);
    expect(isCrossSite(h({}))).toBe(false);
    expect(isCrossSite(h({ "sec-fetch-site": "same-origin" }))).toBe(false);
    expect(
      isCrossSite(h({ origin: "https://app.example", "x-forwarded-host": "app.example" })),
    ).toBe(false);
  });
  it("refuses another origin, a null origin, another port, and Sec-Fetch-Site cross-site or same-site", () => {
    const refused: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "null" },
      { origin: "https://app.example:8443" },
      { origin: "https://app.example.evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "not a url" },
    ];
    for (const headers of refused) {
      expect(isCrossSite(h(headers)), JSON.stringify(headers)).toBe(true);
    }
  });
});
