// npm run db:migration:new -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql from
// the difference between the schema and the one the migrations end at (the snapshot beside them),
// then makes the current schema the new snapshot (offline).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "../lib/db/local-database";
import {
  diffSchemaAgainstSnapshot,
  MIGRATIONS_DIR,
  SCHEMA_PATH,
  SNAPSHOT_PATH,
} from "../lib/db/migrations";

const name = (process.argv[2] ?? "")
  .toLowerCase()
  .replace(/[^a-z0-9]+/g, "_")
  .replace(/^_|_$/g, "");
if (!name) {
  console.error("usage: npm run db:migration:new -- <name>");
  process.exit(2);
}
const db = await openDatabase();
const sql = await diffSchemaAgainstSnapshot(db.url).finally(() => db.stop());
if (!sql.replace(/--.*$/gm, "").trim() || /^-- This is an empty migration/.test(sql.trim())) {
  console.log("The schema matches the migrations' snapshot: nothing to write.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, "migration.sql"), sql);
copyFileSync(SCHEMA_PATH, SNAPSHOT_PATH);
console.log(
  `Wrote ${path.relative(process.cwd(), dir)}/migration.sql and updated ${path.relative(process.cwd(), SNAPSHOT_PATH)}`,
);
