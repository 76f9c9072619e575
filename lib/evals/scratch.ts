// The scratch databases eval runs work in: an embedded PostgreSQL of their own (never the demo
// data, never the server DATABASE_URL names), a template database migrated and seeded once per
// schema (its name carries a hash of the migrations and the seed), and per eval run a fresh copy
// of it (`create database … template …`, a file copy inside PostgreSQL: well under a second).
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import {
  dropDatabase,
  startEmbeddedPostgres,
  type LocalDatabase,
} from "@/lib/db/embedded-postgres";
import { DATA_DIR } from "@/lib/db/local-database";
import { agentSqlFingerprint } from "@/lib/db/agent-sql";
import { applyMigrations, MIGRATIONS_DIR } from "@/lib/db/migrations";
import { clientFor, seedDemoData } from "@/prisma/seed";

/** Per-user limits wide enough for a suite's turns from one demo customer. */
const EVAL_WORKSPACE_LIMITS = {
  maxRunsInFlight: 1000,
  maxTurnsPerMinute: 10_000,
  userDailyBudgetMicros: 1_000_000_000,
};

export const evalPgPort = () => Number(process.env.COUNTERSIGN_EVAL_PG_PORT ?? 25436);
const evalDataDir = () => process.env.COUNTERSIGN_EVAL_DATA_DIR ?? path.join(DATA_DIR, "eval-pg");

export type ScratchDatabase = { url: string; name: string; drop: () => Promise<void> };

let server: Promise<LocalDatabase> | undefined;

function evalServer(): Promise<LocalDatabase> {
  server ??= startEmbeddedPostgres({
    dataDir: evalDataDir(),
    port: evalPgPort(),
    database: "postgres",
  }).catch((error: unknown) => {
    server = undefined;
    throw error;
  });
  return server;
}

function schemaFingerprint(): string {
  const hash = createHash("sha256");
  for (const dir of readdirSync(MIGRATIONS_DIR).sort()) hash.update(dir);
  hash.update(readFileSync(path.resolve("prisma/seed.ts")));
  hash.update(agentSqlFingerprint());
  return hash.digest("hex").slice(0, 12);
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(withDatabase(url, "postgres"));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function ensureTemplate(url: string): Promise<string> {
  const template = `countersign_eval_template_${schemaFingerprint()}`;
  await admin(url, async (client) => {
    // One builder at a time: two eval runs starting together must not both build the template.
    await client.query("select pg_advisory_lock(4242, 11)");
    try {
      const found = await client.query("select 1 from pg_database where datname = $1", [template]);
      if (found.rowCount) return;
      const building = `${template}_building`;
      await client.query(`drop database if exists "${building}" with (force)`);
      await client.query(`create database "${building}"`);
      const buildingUrl = withDatabase(url, building);
      await applyMigrations(buildingUrl);
      const seeded = clientFor(buildingUrl);
      try {
        await seedDemoData(seeded);
        await seeded.workspaceLimits.create({
          data: {
            version: 1,
            settings: EVAL_WORKSPACE_LIMITS,
            reason: "eval scratch: limits wide enough for a suite",
          },
        });
      } finally {
        await seeded.$disconnect();
      }
      await renameWhenFree(client, building, template);
    } finally {
      await client.query("select pg_advisory_unlock(4242, 11)");
    }
  });
  return template;
}

/**
 * The migration engine's connection outlives its `free()` by a moment, and a database with
 * sessions cannot be renamed (55006). Ending that session instead would fail the engine's pool in
 * this process, so the rename waits for it to go (up to 10 s).
 */
async function renameWhenFree(client: pg.Client, from: string, to: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.query(`alter database "${from}" rename to "${to}"`);
    } catch (error) {
      if ((error as { code?: string }).code !== "55006" || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A fresh copy of the seeded demo state, for one eval run. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const { url } = await evalServer();
  const template = await ensureTemplate(url);
  const name = `countersign_eval_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin(url, (client) => client.query(`create database "${name}" template "${template}"`));
  return { url: withDatabase(url, name), name, drop: () => dropDatabase(evalPgPort(), name) };
}

/** Stops the eval PostgreSQL if this process started it (the scratch process does, at its end). */
export async function stopEvalServer() {
  const running = server;
  server = undefined;
  if (running) await (await running).stop();
}
