import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./callback-url";

// Pieces an attacker combines to disguise another host as a path.
const PIECES = [
  "/",
  "\\",
  ".",
  "..",
  "%2e",
  "%2E",
  "%2e%2e",
  ".%2e",
  "%2f",
  "%5c",
  "%09",
  "\t",
  "\n",
  "\r",
  " ",
  "\u0000",
  "@",
  ":",
  "?",
  "#",
  "evil.example",
  "a",
  "b",
  "//",
  "/\\",
  "http:",
  "javascript:",
];
const craftedPath = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 12 })
  .map((parts) => `/${parts.join("")}`);
const anyString = fc.oneof(
  craftedPath,
  fc.string(),
  fc.string({ unit: "binary" }).map((s) => `/${s}`),
);
const origins = fc.constantFrom(
  "http://localhost:3000",
  "https://countersign.example.com",
  "https://[::1]:8443",
  "http://10.0.0.7",
);

function leadsTo(path: string, origin: string) {
  return new URL(path, `${origin}/signin?callbackUrl=x`).origin;
}

describe("the sign-in callback path", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/inbox?status=pending#top")).toBe("/inbox?status=pending#top");
    expect(safeCallbackPath("/runs/42")).toBe("/runs/42");
    expect(safeCallbackPath("/a/../inbox")).toBe("/inbox");
  });

  it("refuses other sites, however the address is disguised, and anything that is not one string", () => {
    const hostile = [
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "https://evil.example/inbox",
      "javascript:alert(1)",
      "inbox",
      // Dot segments that collapse into `//evil.example` only after resolution (issue 7).
      "/..//evil.example",
      "/.//evil.example",
      "/a/..//evil.example",
      "/%2e%2e//evil.example",
      "/%2E%2E//evil.example",
      "/.%2e//evil.example",
      "/..\\/evil.example",
      "/../\\evil.example",
      "/\t..//evil.example",
    ];
    for (const value of hostile) expect(safeCallbackPath(value), JSON.stringify(value)).toBe("/");
    expect(safeCallbackPath(["/inbox", "/admin"])).toBe("/");
    expect(safeCallbackPath(undefined)).toBe("/");
  });

  it("always returns a single leading slash not followed by / or \\ (property)", () => {
    fc.assert(
      fc.property(anyString, (value) => {
        const out = safeCallbackPath(value);
        expect(out.startsWith("/")).toBe(true);
        expect(out[1] === "/" || out[1] === "\\").toBe(false);
      }),
      { numRuns: 5000 },
    );
  });

  it("always leads to the origin it is resolved against, whatever that origin (property)", () => {
    fc.assert(
      fc.property(anyString, origins, (value, origin) => {
        const out = safeCallbackPath(value);
        expect(leadsTo(out, origin)).toBe(new URL(origin).origin);
        // Resolving it again (a second redirect, a reload) changes nothing.
        expect(safeCallbackPath(out)).toBe(out);
      }),
      { numRuns: 5000 },
    );
  });
});
