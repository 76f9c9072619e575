// npm run db:seed: the demo shop and demo accounts (demo mode only; idempotent).
import { openDatabase } from "../lib/db/local-database";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";

const database = await openDatabase();
try {
  await applyMigrations(database.url);
  const client = clientFor(database.url);
  await seedDemoData(client);
  await client.$disconnect();
  console.log("Seeded the demo shop and demo accounts.");
} finally {
  await database.stop();
}
