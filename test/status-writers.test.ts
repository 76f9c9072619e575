// One writer per state change (ARCHITECTURE.md, "The data layer"): `runs.status`,
// `tool_calls.status` and `approvals.status` change only in their state machine's module, which
// also builds the fragments the one-statement fast paths (a step, the claim, the move to running,
// a decision) splice in. This scans the product's code for any other update of those columns, in
// SQL text or through Prisma.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Where each status column may change. */
const WRITERS = {
  runs: "lib/runtime/transitions.ts",
  tool_calls: "lib/runtime/transitions.ts",
  approvals: "lib/approvals/transitions.ts",
} as const;
const PRISMA_MODELS = { run: "runs", toolCall: "tool_calls", approval: "approvals" } as const;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (name === "generated" || name === "node_modules") return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return sources(rel);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [rel] : [];
  });
}

/** The text from `open` (an opening bracket) to its matching close. */
function balanced(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if ("({[".includes(text[i]!)) depth++;
    if (")}]".includes(text[i]!) && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}

/** The tables whose status column `text` updates, with where. */
export function statusWrites(text: string): Array<{ table: string; at: string }> {
  const found: Array<{ table: string; at: string }> = [];
  // SQL: `update <table> [alias] set ...` up to where the set list ends.
  const updates =
    /\bupdate\s+(runs|tool_calls|approvals)\b(?:\s+(?!set\b)\w+)?\s+set\b([\s\S]*?)(?=\bwhere\b|\bfrom\b|\breturning\b|`|$)/gi;
  for (const m of text.matchAll(updates))
    if (/(^|[\s,(])status\s*=/i.test(m[2]!))
      found.push({ table: m[1]!.toLowerCase(), at: m[0].slice(0, 80) });
  // Prisma: `.run.update(...)`, `.toolCall.updateMany(...)`, `.approval.upsert(...)` whose data sets status.
  const calls = /\.(run|toolCall|approval)\.(update|updateMany|upsert)\s*\(/g;
  for (const m of text.matchAll(calls)) {
    const args = balanced(text, m.index + m[0].length - 1);
    for (const d of args.matchAll(/\b(data|update):\s*\{/g)) {
      const data = balanced(args, d.index + d[0].length - 1);
      if (
        /[\s,{]status\s*:/.test(
          data.replace(/\{[\s\S]*?\}/g, (inner, at: number) => (at === 0 ? inner : "")),
        )
      )
        found.push({
          table: PRISMA_MODELS[m[1] as keyof typeof PRISMA_MODELS],
          at: args.slice(0, 80),
        });
    }
  }
  return found;
}

describe("status writers", () => {
  it("finds the writes it looks for", () => {
    expect(statusWrites("update runs r set status = 'running' where r.id = $1")).toHaveLength(1);
    expect(statusWrites("update tool_calls\n set result = $2, status = $3 where")).toHaveLength(1);
    expect(
      statusWrites("update approvals set claimed_by_id = null where status = 'pending'"),
    ).toEqual([]);
    expect(
      statusWrites(
        "tx.run.update({ where: { id, status: 'running' }, data: { ...extra, status: to } })",
      ),
    ).toHaveLength(1);
    expect(
      statusWrites("tx.toolCall.updateMany({ where: { status: 'pending' }, data: { result: 1 } })"),
    ).toEqual([]);
  });

  it("finds none outside each column's state machine module", () => {
    const strays = ["lib", "agents", "app", "components", "scripts"].flatMap((dir) =>
      sources(dir).flatMap((file) =>
        statusWrites(readFileSync(path.join(ROOT, file), "utf8"))
          .filter((w) => WRITERS[w.table as keyof typeof WRITERS] !== file)
          .map((w) => `${file}: ${w.table}.status in ${w.at.replace(/\s+/g, " ")}`),
      ),
    );
    expect(strays).toEqual([]);
  });
});
