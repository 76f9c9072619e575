import { describe, expect, it } from "vitest";
import { stableHash, stableStringify } from "./hash";

describe("stableStringify", () => {
  it("sorts keys at every depth, so key order never changes the hash", () => {
    expect(stableStringify({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: "x" } })).toBe(
      '{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
  });

  it("leaves out undefined members as JSON does, and tells different values apart", () => {
    expect(stableStringify({ a: undefined, b: null })).toBe('{"b":null}');
    expect(stableHash({ amount: 1 })).not.toBe(stableHash({ amount: "1" }));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
  });

  it("agrees with JSON.stringify on already-sorted JSON (hashes stored before the move still match)", () => {
    const value = { amount_cents: 8990, order_id: 1042, reason: "Customer reports: “broken”" };
    expect(stableStringify(value)).toBe(JSON.stringify(value));
  });
});
