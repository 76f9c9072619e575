// A scratch database for a benchmark: a fresh database on the embedded PostgreSQL under dataDir,
// or on DATABASE_URL's server if set (never the data there); dropped by the caller at the end.
// bench:inbox, bench:ops and bench:policy all set up this way.
import pg from "pg";
import { dropDatabase, startEmbeddedPostgres } from "../../lib/db/embedded-postgres";

export async function openScratchDatabase(scratchName: string, dataDir: string, port: number) {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const database = await startEmbeddedPostgres({ dataDir, port, database: scratchName });
    return {
      url: database.url,
      where: `embedded PostgreSQL (${dataDir}, port ${new URL(database.url).port})`,
      drop: () => dropDatabase(Number(new URL(database.url).port), scratchName),
      stop: database.stop,
    };
  }
  const admin = new pg.Client(base);
  await admin.connect();
  await admin.query(`create database "${scratchName}"`).finally(() => admin.end());
  const url = new URL(base);
  url.pathname = `/${scratchName}`;
  const drop = async () => {
    const client = new pg.Client(base);
    await client.connect();
    await client
      .query(`drop database if exists "${scratchName}" with (force)`)
      .finally(() => client.end());
  };
  return {
    url: url.toString(),
    where: `${url.host} (DATABASE_URL's server)`,
    drop,
    stop: async () => {},
  };
}
