// The integration tier's databases on the tests' PostgreSQL: one template per `vitest` run
// (migrated and seeded once), and one clone of it per test file (`create database … template …`,
// a file copy inside PostgreSQL). Names carry the run's process id, so a run's teardown drops
// what it made and a later run drops what a killed one left.
import pg from "pg";

export const TEMPLATE_PREFIX = "countersign_test_";

export const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

export const databaseOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

export async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(withDatabase(url, "postgres"));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A copy of `templateUrl`'s database named `name`. PostgreSQL refuses to copy a database with
 * sessions (55006): the migration engine's connection outlives its `free()` by a moment, and two
 * files may start their copies at the same instant, so it waits (up to 20 s) rather than fail.
 */
export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
  const template = databaseOf(templateUrl);
  await admin(templateUrl, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`create database "${name}" template "${template}"`);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return withDatabase(templateUrl, name);
}

const processAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
};

/** Drops this run's databases (`pid` = this process), or with `pid` unset those of runs that are gone. */
export async function dropTestDatabases(url: string, pid?: number) {
  await admin(url, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "select datname from pg_database where datname like $1",
      [`${TEMPLATE_PREFIX}%`],
    );
    for (const { datname } of rows) {
      const owner = Number(/^countersign_test_(\d+)/.exec(datname)?.[1]);
      if (!owner || (pid === undefined ? processAlive(owner) : owner !== pid)) continue;
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  });
}
