import { describe, expect, it } from "vitest";
import { describeWithPolicy, gatewayPolicy, isDestructive } from "./policy";

describe("gatewayPolicy", () => {
  it("lets only a tool that declares itself read-only run on its own", () => {
    expect(gatewayPolicy({ readOnlyHint: true }, undefined)).toBe("auto");
    expect(gatewayPolicy(undefined, undefined)).toBe("require_approval");
    expect(gatewayPolicy({}, undefined)).toBe("require_approval");
    expect(gatewayPolicy({ destructiveHint: true }, undefined)).toBe("require_approval");
    expect(gatewayPolicy({ destructiveHint: false }, undefined)).toBe("require_approval");
    expect(gatewayPolicy({ readOnlyHint: false, idempotentHint: true }, undefined)).toBe(
      "require_approval",
    );
  });

  it("follows the admin's policy over the annotations, and ignores a value that is not one", () => {
    expect(gatewayPolicy({ readOnlyHint: true }, "require_approval")).toBe("require_approval");
    expect(gatewayPolicy({ readOnlyHint: true }, "deny")).toBe("deny");
    expect(gatewayPolicy({ destructiveHint: true }, "auto")).toBe("auto");
    expect(gatewayPolicy({ readOnlyHint: true }, "always")).toBe("auto");
    expect(gatewayPolicy(undefined, 1)).toBe("require_approval");
  });
});

describe("isDestructive", () => {
  it("reads the MCP defaults: destructive unless read-only or destructiveHint: false", () => {
    expect(isDestructive(undefined)).toBe(true);
    expect(isDestructive({})).toBe(true);
    expect(isDestructive({ destructiveHint: true })).toBe(true);
    expect(isDestructive({ destructiveHint: false })).toBe(false);
    expect(isDestructive({ readOnlyHint: true, destructiveHint: true })).toBe(false);
  });
});

describe("describeWithPolicy", () => {
  it("tells the model when a call waits or is refused", () => {
    expect(describeWithPolicy("Reads a file", "auto")).toBe("Reads a file");
    expect(describeWithPolicy("Deletes a file", "require_approval")).toMatch(
      /^\[Countersign: each call waits for a human's approval\] Deletes a file$/,
    );
    expect(describeWithPolicy(undefined, "deny")).toBe(
      "[Countersign: calls are refused by policy]",
    );
  });
});
