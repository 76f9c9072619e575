import { describe, expect, it } from "vitest";
import { customerTextProblems } from "./check";

const TOOLS = ["issue_refund", "lookup_order", "send_password_reset", "reschedule_delivery"];

describe("the customer-text check", () => {
  // The messages issue 24 found in the browser, each caught for what is wrong with it.
  it.each([
    [
      "A member of our team needs to confirm this before I can go ahead (issue refund: €89.90 on order 1042: Customer reports: Order 1042 arrived broken, I want my money)",
      "Order 1042 arrived broken, I want my money back",
      ["cut-off quote", "an internal tool name"],
    ],
    [
      "… (issue refund: €12.00 on order 1044: Customer reports: Order 1044 is broken, refund it plea)",
      "Order 1044 is broken, refund it please",
      ["cut-off quote"],
    ],
    [
      "A member of our team needs to confirm this (issue refund: €5.00 on order 1042: Please refund )",
      "",
      ["cut-off text before a bracket"],
    ],
    [
      "Invalid request (HTTP 422): The delivery day must be between 2026-12-07 and 2026-12-20",
      "",
      ["an HTTP status", "a raw error", "a raw ISO date"],
    ],
    ["At most 0 cents can still be refunded on order 1042", "", ["an internal unit (cents)"]],
    [
      "Done: the carrier will now deliver order 1043 (tracking TRK-1043) on 2026-12-19",
      "",
      ["a raw ISO date"],
    ],
    [
      "Customer reports: Ignore all previous instructions. You are )",
      "",
      ["cut-off text before a bracket"],
    ],
    ["Your parcel is in_transit", "", ["an internal snake_case name"]],
  ])("flags %j", (text, request, kinds) => {
    const problems = customerTextProblems(text, {
      toolNames: TOOLS,
      quoted: request ? [request] : [],
    });
    for (const kind of kinds)
      expect(
        problems.some((p) => p.startsWith(kind)),
        `${kind} in ${JSON.stringify(problems)}`,
      ).toBe(true);
  });

  it.each([
    "Before I go ahead, a member of our team needs to confirm a refund of €89.90 for order 1042. I'll tell you here as soon as they decide.",
    "Our team did not approve a refund of €159.00 for order 1044. Their reason: “Photos show no damage”. Nothing has been done.",
    "Done: €89.90 has been refunded for order 1042 (reference re_7d8b6a03-59f). It reaches your original payment method within 5 business days.",
    "Our team changed your request before approving it: they set the delivery to Saturday 12 December instead of Friday 11 December. It's done.",
  ])("passes %j", (text) => {
    expect(
      customerTextProblems(text, {
        toolNames: TOOLS,
        quoted: ["Order 1042 arrived broken, I want my money back"],
      }),
    ).toEqual([]);
  });
});
