// Prisma migrations without the native schema engine: Prisma's own WebAssembly build of
// the engine, talking to PostgreSQL through the pg driver adapter. It records applied
// migrations in `_prisma_migrations`, so `prisma migrate deploy` elsewhere agrees.
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { applyAgentMigrations } from "./agent-sql";

const MIGRATIONS_DIR = path.resolve("prisma/migrations");
const SCHEMA_PATH = path.resolve("prisma/schema.prisma");
const require = createRequire(import.meta.url);

type Engine = {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
};

// The engine reports a Rust panic's message through this global before it throws.
const panics = {
  last: "",
  set_message(message: string) {
    this.last = message;
  },
};
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: typeof panics }).PRISMA_WASM_PANIC_REGISTRY = panics;

// The JS glue caches views of the wasm memory, so the module is instantiated once per process.
let wasmBindings: Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | undefined;

function instantiateWasm() {
  wasmBindings ??= (async () => {
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bindings = await import(path.join(dir, "schema_engine_bg.js"));
    const bytes = readFileSync(path.join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return bindings;
  })();
  return wasmBindings;
}

async function loadEngine(url: string): Promise<Engine> {
  const bindings = await instantiateWasm();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
  const schema = readFileSync(SCHEMA_PATH, "utf8");
  return bindings.SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schema]] }, () => {}, adapter);
}

function migrationsList() {
  const dirs = existsSync(MIGRATIONS_DIR)
    ? readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(MIGRATIONS_DIR, "migration_lock.toml");
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok", value: readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

const noFilter = { externalTables: [], externalEnums: [] };

/** Applies every migration not yet applied, then the agents' own (lib/db/agent-sql.ts); returns the names it applied. */
export async function applyMigrations(url: string): Promise<string[]> {
  const engine = await loadEngine(url);
  let applied: string[];
  try {
    applied = (await engine.applyMigrations({ migrationsList: migrationsList(), filters: noFilter })).appliedMigrationNames;
  } finally {
    engine.free();
  }
  return [...applied, ...(await applyAgentMigrations(url))];
}

/**
 * The SQL that takes the schema of the latest migration to the current schema.
 * Each migration folder keeps the schema it ends at (`schema.prisma`, ignored by Prisma's
 * own tooling), so the diff reads no database schema: this build of the engine cannot
 * describe a live PostgreSQL through the driver adapter (it only needs a connection).
 */
export async function diffSchemaAgainstLatestMigration(url: string): Promise<string> {
  const engine = await loadEngine(url);
  try {
    const list = migrationsList();
    const latest = list.migrationDirectories.at(-1);
    const snapshot = latest && path.join(MIGRATIONS_DIR, latest.path, "schema.prisma");
    const from =
      snapshot && existsSync(snapshot) ? { tag: "schemaDatamodel", files: [{ path: snapshot, content: readFileSync(snapshot, "utf8") }] } : { tag: "empty" };
    const out = await engine.diff({
      from,
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, "utf8") }] },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? "";
  } finally {
    engine.free();
  }
}

export { MIGRATIONS_DIR, SCHEMA_PATH };
