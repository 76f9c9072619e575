// npm run db:migrate: applies pending Prisma migrations to DATABASE_URL (or the embedded database).
import { openDatabase } from "../lib/db/local-database";
import { applyMigrations } from "../lib/db/migrations";

const db = await openDatabase();
try {
  const applied = await applyMigrations(db.url);
  console.log(applied.length ? `Applied ${applied.join(", ")}` : "Database is up to date.");
} finally {
  await db.stop();
}
