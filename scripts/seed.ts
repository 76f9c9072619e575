// npm run db:seed: the demo shop and demo accounts (demo mode only; idempotent).
// npm run db:seed -- --week: also a week of run history for /ops (prisma/seed-week.ts; once).
import { openDatabase } from "../lib/db/local-database";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";
import { seedWeekOfHistory } from "../prisma/seed-week";

const database = await openDatabase();
try {
  await applyMigrations(database.url);
  const client = clientFor(database.url);
  await seedDemoData(client);
  console.log("Seeded the demo shop and demo accounts.");
  if (process.argv.includes("--week")) {
    console.log(
      (await seedWeekOfHistory(client))
        ? "Seeded a week of run history for /ops."
        : "The week of run history was already there.",
    );
  }
  await client.$disconnect();
} finally {
  await database.stop();
}
