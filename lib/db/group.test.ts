import { describe, expect, it } from "vitest";
import { grouped } from "./group";

/** A runner that records its groups and answers when told to. */
function recorder(fail?: (items: string[]) => boolean) {
  const groups: string[][] = [];
  const release: Array<() => void> = [];
  const run = async (items: string[]) => {
    groups.push(items);
    await new Promise<void>((resolve) => release.push(resolve));
    if (fail?.(items)) throw new Error(`failed: ${items.join(",")}`);
    return items.map((item) => `${item}!`);
  };
  const releaseAll = async () => {
    while (release.length) release.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { groups, run, releaseAll };
}

describe("grouped", () => {
  it("runs a lone item at once, and everything that arrived meanwhile as the next group", async () => {
    const r = recorder();
    const go = grouped(r.run, { max: 10 });
    const first = go("a");
    expect(r.groups).toEqual([["a"]]);
    const rest = ["b", "c", "d"].map(go);
    expect(r.groups).toHaveLength(1); // b, c and d wait for a's group
    await r.releaseAll();
    expect(r.groups).toEqual([["a"], ["b", "c", "d"]]);
    await r.releaseAll();
    expect(await Promise.all([first, ...rest])).toEqual(["a!", "b!", "c!", "d!"]);
  });

  it("keeps a group within max, and items with one key in different groups", async () => {
    const r = recorder();
    const go = grouped(r.run, { max: 2, key: (item) => item.slice(0, 1) });
    const all = [go("x0"), go("a1"), go("a2"), go("b1"), go("c1")];
    for (let i = 0; i < 5; i++) await r.releaseAll();
    expect(r.groups).toEqual([["x0"], ["a1", "b1"], ["a2", "c1"]]);
    expect(await Promise.all(all)).toEqual(["x0!", "a1!", "a2!", "b1!", "c1!"]);
  });

  it("reports a failure to its own caller only: a failed group's items go again alone", async () => {
    const r = recorder((items) => items.includes("bad"));
    const go = grouped(r.run, { max: 10 });
    const first = go("a");
    const waiting = [go("b"), go("bad"), go("c")].map((p) =>
      p.then(
        (v) => ({ ok: v }),
        (e: Error) => ({ error: e.message }),
      ),
    );
    for (let i = 0; i < 5; i++) await r.releaseAll();
    expect(await first).toBe("a!");
    expect(await Promise.all(waiting)).toEqual([
      { ok: "b!" },
      { error: "failed: bad" },
      { ok: "c!" },
    ]);
    expect(r.groups).toEqual([["a"], ["b", "bad", "c"], ["b"], ["bad"], ["c"]]);
  });
});
