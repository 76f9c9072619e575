import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeIssues } from "@/lib/errors";
import { assertStorable, findUnsafeText, MAX_INPUT_DEPTH, safeText, textProblem } from "./text";

const LONE_HIGH = fc.integer({ min: 0xd800, max: 0xdbff }).map((c) => String.fromCharCode(c));
const LONE_LOW = fc.integer({ min: 0xdc00, max: 0xdfff }).map((c) => String.fromCharCode(c));
// Text without NUL, made of whole code points (so every surrogate is paired).
const storable = fc.string({ unit: "grapheme" }).filter((s) => !s.includes("\u0000"));

describe("text the database can store", () => {
  it("accepts any well-formed text without NUL, emoji and all", () => {
    fc.assert(
      fc.property(
        storable,
        (s) => textProblem(s) === null && findUnsafeText({ [s]: [s] }) === null,
      ),
    );
  });

  it("refuses a NUL anywhere in a string", () => {
    fc.assert(
      fc.property(
        storable,
        storable,
        (a, b) => textProblem(`${a}\u0000${b}`)?.includes("NUL") === true,
      ),
    );
  });

  it("refuses a lone surrogate anywhere, but not a pair", () => {
    fc.assert(
      fc.property(
        storable,
        fc.oneof(LONE_HIGH, LONE_LOW),
        storable,
        (a, lone, b) => textProblem(`${a}${lone}x${b}`)?.includes("surrogate") === true,
      ),
    );
    expect(textProblem("a\uD83D\uDE00b")).toBeNull();
    expect(textProblem("\uDE00\uD83D")).not.toBeNull(); // reversed pair: both halves alone
  });

  it("finds the bad string wherever it is, keys included, and names the field", () => {
    expect(findUnsafeText({ a: [1, { b: "x\u0000" }] })).toEqual({
      path: "input.a.1.b",
      problem: expect.stringContaining("NUL"),
    });
    expect(findUnsafeText({ ["k\uD800"]: 1 })?.problem).toMatch(/field name/);
    expect(() => assertStorable({ reason: "no\u0000" })).toThrow(/^reason: contains a NUL/);
  });

  it("walks deep input without recursion, refusing what is nested absurdly deep", () => {
    let deep: unknown = "leaf";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnsafeText(deep)?.problem).toMatch(/nested more than/);
    let fine: unknown = "leaf";
    for (let i = 0; i < MAX_INPUT_DEPTH; i++) fine = { a: fine };
    expect(findUnsafeText(fine)).toBeNull();
  });

  it("gives schemas a message that names the field", () => {
    const schema = z.object({ reason: safeText().trim().min(3) });
    const parsed = schema.safeParse({ reason: "abc\u0000" });
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error!)).toBe(
      "reason: contains a NUL character (U+0000), which cannot be stored; remove it and try again",
    );
    expect(schema.parse({ reason: "  fine  " })).toEqual({ reason: "fine" });
  });
});
