import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback-url";

describe("the sign-in callback path", () => {
  it("keeps paths on this site", () => {
    expect(safeCallbackPath("/inbox?status=pending#top")).toBe("/inbox?status=pending#top");
    expect(safeCallbackPath("/runs/42")).toBe("/runs/42");
  });

  it("refuses other sites, however the address is disguised, and anything that is not one string", () => {
    for (const hostile of ["//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/inbox", "javascript:alert(1)", "inbox"]) {
      expect(safeCallbackPath(hostile)).toBe("/");
    }
    expect(safeCallbackPath(["/inbox", "/admin"])).toBe("/");
    expect(safeCallbackPath(undefined)).toBe("/");
  });
});
