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
// The schema the migrations end at: a copy of SCHEMA_PATH that `npm run db:migration:new`
// diffs against and then overwrites. A file, so the engine's list of migrations skips it.
const SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, "schema.snapshot.prisma");
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
let wasmBindings:
  Promise<{ SchemaEngine: { new: (...args: unknown[]) => Promise<Engine> } }> | undefined;

function instantiateWasm() {
  wasmBindings ??= (async () => {
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg"));
    const bindings = await import(path.join(dir, "schema_engine_bg.js"));
    const bytes = readFileSync(path.join(dir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bindings,
    });
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
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: {
          tag: "ok",
          value: readFileSync(path.join(MIGRATIONS_DIR, name, "migration.sql"), "utf8"),
        },
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
    applied = (
      await engine.applyMigrations({ migrationsList: migrationsList(), filters: noFilter })
    ).appliedMigrationNames;
  } finally {
    engine.free();
  }
  return [...applied, ...(await applyAgentMigrations(url))];
}

/**
 * The SQL that takes the schema the migrations end at (`schema.snapshot.prisma` beside them,
 * which Prisma's own tooling ignores) to the current schema. The diff reads no database schema:
 * this build of the engine cannot describe a live PostgreSQL through the driver adapter (it only
 * needs a connection).
 */
export async function diffSchemaAgainstSnapshot(url: string): Promise<string> {
  let from: unknown = { tag: "empty" };
  if (existsSync(SNAPSHOT_PATH)) {
    from = {
      tag: "schemaDatamodel",
      files: [{ path: SNAPSHOT_PATH, content: readFileSync(SNAPSHOT_PATH, "utf8") }],
    };
  } else if (migrationsList().migrationDirectories.length > 0) {
    // Diffing from nothing would write a migration that creates every table again.
    throw new Error(
      `${path.relative(process.cwd(), SNAPSHOT_PATH)} is missing: restore it from git (it is the schema the migrations end at).`,
    );
  }
  const engine = await loadEngine(url);
  try {
    const out = await engine.diff({
      from,
      to: {
        tag: "schemaDatamodel",
        files: [{ path: SCHEMA_PATH, content: readFileSync(SCHEMA_PATH, "utf8") }],
      },
      script: true,
      exitCode: null,
      filters: noFilter,
    });
    return out.stdout ?? "";
  } finally {
    engine.free();
  }
}

export { MIGRATIONS_DIR, SCHEMA_PATH, SNAPSHOT_PATH };
