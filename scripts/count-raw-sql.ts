// npm run count:sql [-- REV]: raw SQL call sites in the product's code (lib, agents, app,
// components; tests excluded): Prisma's $queryRaw/$executeRaw (and their Unsafe forms), pg's
// .query( and the project's own helpers over it. The renovation issue's measure of how much SQL
// lives in TypeScript strings outside a typed store; REV counts at a commit (e.g. c784720).
import { spawnSync } from "node:child_process";

const PATTERN = String.raw`\$(query|execute)Raw(Unsafe)?\b|\.query(<[^>]*>)?\(|\b(queryRows|poolQuery|queryPooled)(<[^>]*>)?\(`;
const rev = process.argv[2];
const args = ["grep", "-c", "-E", PATTERN, ...(rev ? [rev] : []), "--", "lib", "agents", "app", "components", ":!*.test.ts", ":!lib/generated"];
const result = spawnSync("git", args, { encoding: "utf8" });
if (result.status !== 0 && result.status !== 1) {
  console.error(result.stderr);
  process.exit(2);
}
const rows = result.stdout
  .trim()
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const at = line.lastIndexOf(":");
    return { file: line.slice(0, at).replace(/^[^:]+:/, rev ? "" : "$&"), sites: Number(line.slice(at + 1)) };
  })
  .sort((a, b) => b.sites - a.sites);
const total = rows.reduce((sum, r) => sum + r.sites, 0);
for (const r of rows.slice(0, 15)) console.log(`${String(r.sites).padStart(4)}  ${r.file}`);
console.log(`raw SQL call sites${rev ? ` at ${rev}` : ""}: ${total} in ${rows.length} files`);
