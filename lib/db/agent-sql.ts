// Agents' own tables. An agent's demo service keeps its state in tables of its own, created by the
// agent's folder, not by the core's Prisma schema: `agents/<name>/migrations/*.sql`, applied after
// Prisma's migrations in file-name order, each once (recorded in agent_migrations with a checksum;
// an applied file that changed is refused, as Prisma refuses an edited migration), and demo rows in
// `agents/<name>/seed.sql`, run by the demo seed (write it to be re-runnable: `on conflict do
// nothing`; dates relative to `current_date`). Found on disk, so this stays a leaf module: the
// folder is what is installed.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";

const AGENTS_DIR = path.resolve("agents");

type SqlFile = { agent: string; name: string; file: string; sql: string; checksum: string };

function read(agent: string, file: string): SqlFile {
  const sql = readFileSync(file, "utf8");
  return {
    agent,
    name: path.basename(file),
    file,
    sql,
    checksum: createHash("sha256").update(sql).digest("hex"),
  };
}

function agentDirs(): string[] {
  if (!existsSync(AGENTS_DIR)) return [];
  return readdirSync(AGENTS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Every agent's migration files, in order (agent, then file name). */
export function agentMigrations(): SqlFile[] {
  return agentDirs().flatMap((agent) => {
    const dir = path.join(AGENTS_DIR, agent, "migrations");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => f.endsWith(".sql"))
      .sort()
      .map((f) => read(agent, path.join(dir, f)));
  });
}

/** Every agent's demo rows. */
export function agentSeeds(): SqlFile[] {
  return agentDirs().flatMap((agent) => {
    const file = path.join(AGENTS_DIR, agent, "seed.sql");
    return existsSync(file) ? [read(agent, file)] : [];
  });
}

/** A hash of every agent's migrations and seeds (the eval template is rebuilt when one changes). */
export function agentSqlFingerprint(): string {
  const hash = createHash("sha256");
  for (const f of [...agentMigrations(), ...agentSeeds()])
    hash.update(`${f.agent}/${f.name}:${f.checksum}\n`);
  return hash.digest("hex");
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Applies the agents' migrations not yet applied, each in its own transaction; returns their names ("agent/file"). */
export async function applyAgentMigrations(url: string): Promise<string[]> {
  const files = agentMigrations();
  if (!files.length) return [];
  return withClient(url, async (client) => {
    await client.query(`create table if not exists agent_migrations (
      agent text not null, name text not null, checksum text not null, applied_at timestamptz not null default now(),
      primary key (agent, name))`);
    // Two processes starting together apply each file once.
    await client.query("select pg_advisory_lock(4242, 12)");
    try {
      const { rows } = await client.query<{ agent: string; name: string; checksum: string }>(
        "select agent, name, checksum from agent_migrations",
      );
      const applied = new Map(rows.map((r) => [`${r.agent}/${r.name}`, r.checksum]));
      const done: string[] = [];
      for (const file of files) {
        const key = `${file.agent}/${file.name}`;
        const checksum = applied.get(key);
        if (checksum === file.checksum) continue;
        if (checksum)
          throw new Error(
            `The applied migration agents/${file.agent}/migrations/${file.name} was changed: add a new migration file instead`,
          );
        await client.query("begin");
        try {
          await client.query(file.sql);
          await client.query(
            "insert into agent_migrations (agent, name, checksum) values ($1, $2, $3)",
            [file.agent, file.name, file.checksum],
          );
          await client.query("commit");
        } catch (error) {
          await client.query("rollback");
          throw new Error(
            `agents/${file.agent}/migrations/${file.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        done.push(key);
      }
      return done;
    } finally {
      await client.query("select pg_advisory_unlock(4242, 12)");
    }
  });
}

/** Runs every agent's seed.sql (demo mode, tests and the eval template) through `execute` (a script of several statements, no parameters). */
export async function seedAgents(execute: (sql: string) => Promise<unknown>): Promise<void> {
  for (const seed of agentSeeds()) {
    try {
      await execute(seed.sql);
    } catch (error) {
      throw new Error(
        `agents/${seed.agent}/seed.sql failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
