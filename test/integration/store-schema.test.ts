// The typed store (lib/store) is only as true as its generated types (lib/generated/kysely, from
// prisma/schema.prisma). Here they are compared with the migrated database itself, so a column
// added by a migration but not to the schema (or the schema changed without regenerating) fails.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db, withPgTransaction } from "@/lib/db";
import { sql } from "kysely";
import { pruneLiveEvents } from "@/lib/live/replay";
import { builder, hot, rows } from "@/lib/store";

type Column = { name: string; nullable: boolean };

// The generated file's `DB` maps each table to a type; each type lists its columns, `| null` when
// nullable. Read as text: types do not exist at run time.
function generatedTables(): Map<string, Column[]> {
  const file = path.resolve(import.meta.dirname, "../../lib/generated/kysely/types.ts");
  const text = readFileSync(file, "utf8");
  const types = new Map<string, { name: string; type: string }[]>();
  for (const [, typeName, body] of text.matchAll(/export type (\w+) = \{\n([\s\S]*?)\n\};/g))
    types.set(
      typeName!,
      [...body!.matchAll(/^\s+(\w+): (.+);$/gm)].map(([, name, type]) => ({
        name: name!,
        type: type!,
      })),
    );
  const tables = new Map<string, Column[]>();
  for (const { name: table, type } of types.get("DB") ?? [])
    tables.set(
      table,
      (types.get(type) ?? []).map((c) => ({ name: c.name, nullable: /\| null\b/.test(c.type) })),
    );
  return tables;
}

const sorted = (columns: Column[]) => [...columns].sort((a, b) => a.name.localeCompare(b.name));

describe("the store's generated types", () => {
  it("name every column of every table they describe, with its nullability, as migrated", async () => {
    const tables = generatedTables();
    expect(tables.size).toBeGreaterThan(40);
    const migrated = await db.$queryRawUnsafe<
      { table_name: string; column_name: string; nullable: boolean }[]
    >(
      // Prisma creates a list column (`scopes TokenScope[]`) without NOT NULL yet never writes
      // null to it, and the types call it not null: a list counts as not null here.
      `select table_name, column_name, is_nullable = 'YES' and data_type <> 'ARRAY' as nullable
       from information_schema.columns
       where table_schema = current_schema() and table_name = any($1::text[])`,
      [...tables.keys()],
    );
    const actual = new Map<string, Column[]>();
    for (const c of migrated)
      actual.set(c.table_name, [
        ...(actual.get(c.table_name) ?? []),
        { name: c.column_name, nullable: c.nullable },
      ]);
    for (const [table, columns] of tables) {
      expect(columns.length, `${table} has columns in the generated types`).toBeGreaterThan(0);
      expect(sorted(actual.get(table) ?? []), `columns of ${table}`).toEqual(sorted(columns));
    }
  });
});

describe("the indexes a decision's pre-check reads", () => {
  // A GIN index's pending list is read through by every lookup until a vacuum merges it: with
  // 20,000 items waiting, that made each decision's pending read 0.9 ms instead of 0.004 ms.
  it("keep no GIN pending list and hold pending approvals only", async () => {
    const indexes = await db.$queryRawUnsafe<
      { name: string; options: string[] | null; def: string }[]
    >(
      `select c.relname as name, c.reloptions as options, pg_get_indexdef(c.oid) as def
         from pg_class c where c.relname = any($1::text[]) order by c.relname`,
      ["approvals_records_idx", "tool_cache_entries_records_idx"],
    );
    expect(indexes.map((i) => [i.name, i.options])).toEqual([
      ["approvals_records_idx", ["fastupdate=off"]],
      ["tool_cache_entries_records_idx", ["fastupdate=off"]],
    ]);
    expect(indexes[0]!.def).toContain("WHERE (status = 'pending'");
  });
});

describe("the store's statements", () => {
  const byEmail = hot((p: { email: string }) =>
    builder.selectFrom("users").select(["id", "role"]).where("email", "=", p.email),
  );

  it("run the same compiled statement on the pool, a pg transaction and a Prisma one", async () => {
    const [admin] = await db.user.findMany({ where: { role: "admin" }, take: 1 });
    expect(admin).toBeDefined();
    const expected = [{ id: admin!.id, role: "admin" }];
    expect(await byEmail(db, { email: admin!.email })).toEqual(expected);
    expect(await withPgTransaction((tx) => byEmail(tx, { email: admin!.email }))).toEqual(expected);
    expect(await db.$transaction((tx) => byEmail(tx, { email: admin!.email }))).toEqual(expected);
    expect(await byEmail(db, { email: "nobody@example.invalid" })).toEqual([]);
  });

  it("see the caller's uncommitted writes inside its transaction", async () => {
    const email = `store-${Date.now()}@example.test`;
    const seen = await db.$transaction(async (tx) => {
      await tx.user.create({ data: { email, name: "Store", passwordHash: "x", role: "user" } });
      return rows(tx, builder.selectFrom("users").select("name").where("email", "=", email));
    });
    expect(seen).toEqual([{ name: "Store" }]);
    // Committed: seen on the pool too.
    expect(
      await rows(db, builder.selectFrom("users").select("name").where("email", "=", email)),
    ).toEqual([{ name: "Store" }]);
  });

  it("send a Date as the instant it is, whatever the process's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const at = new Date("2026-01-02T03:04:05.678Z");
      const [row] = await rows(
        db,
        builder.selectNoFrom(
          sql<string>`to_char(${at}::timestamp(3), 'YYYY-MM-DD"T"HH24:MI:SS.MS')`.as("utc"),
        ),
      );
      expect(row?.utc).toBe("2026-01-02T03:04:05.678");
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
    }
  });

  it("read a timestamp column back as the instant it is, whatever the process's time zone", async () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const at = new Date("2026-01-02T03:04:05.678Z");
      const read = builder.selectNoFrom(sql<Date>`${at}::timestamp(3)`.as("at"));
      expect((await rows(db, read))[0]?.at).toEqual(at);
      expect((await withPgTransaction((tx) => rows(tx, read)))[0]?.at).toEqual(at);
      expect((await db.$transaction((tx) => rows(tx, read)))[0]?.at).toEqual(at);
    } finally {
      process.env.TZ = zone;
      if (zone === undefined) delete process.env.TZ;
    }
  });

  it("prune live events past their retention and keep the rest", async () => {
    await db.$executeRawUnsafe(
      `insert into live_events (kind, created_at) values ('old', now() - interval '25 hours'), ('new', now())`,
    );
    expect(await pruneLiveEvents()).toBeGreaterThanOrEqual(1);
    const kinds = await rows(
      db,
      builder.selectFrom("live_events").select("kind").where("kind", "in", ["old", "new"]),
    );
    expect(kinds).toEqual([{ kind: "new" }]);
  });
});
