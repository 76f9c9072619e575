// npm run count:sql [-- REV]: raw SQL call sites in the product's code (lib, agents, app,
// components; tests excluded): Prisma's $queryRaw/$executeRaw (and their Unsafe forms), pg's
// .query( and the project's own helpers over it, and the typed store's entry points for SQL text
// (`prepared`, `fixed`: the text and its row type are still written by hand where they are
// called). The store's own executor (lib/store) is not counted: it is where SQL text is meant to
// go. The renovation issue's measure of how much SQL lives in TypeScript strings outside a typed
// store; REV counts at a commit (e.g. c784720).
import { spawnSync } from "node:child_process";

const PATTERN = String.raw`\$(query|execute)Raw(Unsafe)?\b|\.query[<(]|\b(queryRows|poolQuery|queryPooled)[<(]|\b(prepared|fixed)(<[A-Za-z{]|\()`;
const rev = process.argv[2];
const args = [
  "grep",
  "-o",
  "-E",
  PATTERN,
  ...(rev ? [rev] : []),
  "--",
  "lib",
  "agents",
  "app",
  "components",
  ":!*.test.ts",
  ":!lib/generated",
  ":!lib/store",
];
const result = spawnSync("git", args, { encoding: "utf8" });
if (result.status !== 0 && result.status !== 1) {
  console.error(result.stderr);
  process.exit(2);
}
// -o prints one line per match (file:match, or rev:file:match), so two calls on one line count
// twice and the count does not depend on how the code is wrapped.
const perFile = new Map<string, number>();
for (const line of result.stdout.split("\n").filter(Boolean)) {
  const parts = line.split(":");
  const file = (rev ? parts[1] : parts[0]) ?? "";
  perFile.set(file, (perFile.get(file) ?? 0) + 1);
}
const rows = [...perFile]
  .map(([file, sites]) => ({ file, sites }))
  .sort((a, b) => b.sites - a.sites);
const total = rows.reduce((sum, r) => sum + r.sites, 0);
for (const r of rows.slice(0, 15)) console.log(`${String(r.sites).padStart(4)}  ${r.file}`);
console.log(`raw SQL call sites${rev ? ` at ${rev}` : ""}: ${total} in ${rows.length} files`);
