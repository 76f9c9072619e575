// The database the launcher scripts use: DATABASE_URL when set, otherwise the embedded
// PostgreSQL whose data lives under .data/ (demo mode).
import path from "node:path";
import { startEmbeddedPostgres, type LocalDatabase } from "./embedded-postgres";

export const DATA_DIR = process.env.COUNTERSIGN_DATA_DIR ?? ".data";
export const DEMO_PG_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 25432);

export async function openDatabase(): Promise<LocalDatabase & { embedded: boolean }> {
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, stop: async () => {}, embedded: false };
  }
  const db = await startEmbeddedPostgres({
    dataDir: path.join(DATA_DIR, "pg"),
    port: DEMO_PG_PORT,
    database: process.env.COUNTERSIGN_DB_NAME ?? "countersign",
  });
  return { ...db, embedded: true };
}
