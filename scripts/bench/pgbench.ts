// pgbench -N on the same PostgreSQL server as the benchmark, in a database of its own, so that
// Countersign's figure can be printed next to what the server commits with the same clients.
// pgbench is Debian's postgresql-client; when it is missing, the caller says so and goes on.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);

export const PGBENCH = process.env.PGBENCH ?? "/usr/bin/pgbench";

export function pgbenchAvailable(): boolean {
  return existsSync(PGBENCH);
}

export type PgbenchResult = { tps: number; transactions: number; failed: number; version: string };

/**
 * Initialises a scratch database on the server of `serverUrl` with `pgbench -i`, runs
 * `pgbench -N -c <clients> -T <seconds>` against it, and drops it. `-N` skips the updates of the
 * two small tables, so clients do not queue on one row: the database's own commit throughput.
 */
export async function runPgbench(
  serverUrl: string,
  clients: number,
  seconds: number,
): Promise<PgbenchResult> {
  const name = `countersign_pgbench_${process.pid}`;
  const admin = new URL(serverUrl);
  admin.pathname = "/postgres";
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  const exec = async (sql: string) => {
    const client = new pg.Client(admin.toString());
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await exec(`drop database if exists "${name}" with (force)`);
  await exec(`create database "${name}"`);
  try {
    await run(PGBENCH, ["-i", "-q", "-s", "1", target.toString()], { timeout: 120_000 });
    const threads = String(Math.min(clients, 4));
    const { stdout } = await run(
      PGBENCH,
      ["-N", "-c", String(clients), "-j", threads, "-T", String(seconds), "-n", target.toString()],
      {
        timeout: (seconds + 60) * 1000,
      },
    );
    const tps = Number(
      /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ??
        /tps = ([\d.]+)/.exec(stdout)?.[1],
    );
    const transactions = Number(
      /number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN,
    );
    const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
    const version = (await run(PGBENCH, ["--version"])).stdout.trim();
    if (!Number.isFinite(tps))
      throw new Error(`could not read pgbench's tps from: ${stdout.slice(0, 400)}`);
    return { tps, transactions, failed, version };
  } finally {
    await exec(`drop database if exists "${name}" with (force)`).catch(() => {});
  }
}
