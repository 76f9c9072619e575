// Discovery and state snapshots for the fuzz suite: every route handler under app/ and every server
// action module (`actions.ts` beside its domain in lib/ or agents/), found on disk, so a door added
// tomorrow is fuzzed without anyone listing it here.
import { readdirSync } from "node:fs";
import path from "node:path";
import { db } from "@/lib/db";

const ROOT = path.resolve(import.meta.dirname, "../..");
const APP_DIR = path.join(ROOT, "app");
const ACTION_DIRS = ["lib", "agents"].map((d) => path.join(ROOT, d));
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;
type Action = (input: unknown) => Promise<unknown>;

export type RouteDoor = {
  kind: "route";
  file: string;
  urlPath: string;
  params: Array<{ name: string; catchAll: boolean }>;
  method: string;
  handler: Handler;
};
export type ActionDoor = { kind: "action"; file: string; name: string; action: Action };

/**
 * Doors not fuzzed in-process, and why. next-auth's own handler needs Next's request scope
 * (`headers()`, `cookies()`), which only the running app has; it has its own CSRF token, and
 * the browser tests drive it.
 */
export const NOT_FUZZED: Record<string, string> = {
  "api/auth/[...nextauth]/route.ts": "next-auth's handler needs a live Next.js request scope",
};

function filesNamed(name: string, dir = APP_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => path.basename(f) === name)
    .map((f) => f.split(path.sep).join("/"))
    .sort();
}

/** `(chat)/chat/actions.ts` → `/chat`; `api/approvals/[id]/claim/route.ts` → `/api/approvals/[id]/claim`. */
function urlPathOf(file: string): string {
  const segments = path.posix
    .dirname(file)
    .split("/")
    .filter((s) => !/^\(.*\)$/.test(s) && s !== ".");
  return `/${segments.join("/")}`;
}

export async function discoverRoutes(): Promise<RouteDoor[]> {
  const doors: RouteDoor[] = [];
  for (const file of filesNamed("route.ts")) {
    if (NOT_FUZZED[file]) continue;
    const mod = (await import(path.join(APP_DIR, file))) as Record<string, unknown>;
    const urlPath = urlPathOf(file);
    const params = [...urlPath.matchAll(/\[(\[)?(\.\.\.)?([^\]]+)\]/g)].map((m) => ({
      name: m[3]!,
      catchAll: Boolean(m[2]),
    }));
    for (const method of HTTP_METHODS) {
      const handler = mod[method];
      if (typeof handler === "function")
        doors.push({ kind: "route", file, urlPath, params, method, handler: handler as Handler });
    }
  }
  return doors;
}

export async function discoverActions(): Promise<ActionDoor[]> {
  const doors: ActionDoor[] = [];
  for (const file of ACTION_DIRS.flatMap((dir) =>
    filesNamed("actions.ts", dir).map((f) => path.join(dir, f)),
  )) {
    const mod = (await import(file)) as Record<string, unknown>;
    for (const [name, action] of Object.entries(mod))
      if (typeof action === "function")
        doors.push({
          kind: "action",
          file: path.relative(ROOT, file),
          name,
          action: action as Action,
        });
  }
  return doors;
}

// Bookkeeping a refused request may still touch: a token's "last used" is recorded once it
// authenticates, before the handler refuses the request.
const IGNORED_COLUMNS = ["last_used_at"];

/**
 * Makes this file's database count its own row changes: a trigger on every application table (all
 * of them, as found in the schema) appends the table's name to `fuzz_row_changes` for each row
 * inserted, deleted or truly updated (an update that leaves the row as it was, ignored columns
 * aside, is no change). The log is written in the changing transaction, so a write that rolls back
 * leaves no entry. Reading the counts costs one small query, where hashing every table around every
 * request cost a scan of the whole database. Run on the file's own copy of the template only.
 */
export async function trackRowChanges(): Promise<void> {
  const tables = await db.$queryRawUnsafe<{ tablename: string }[]>(
    `select tablename from pg_tables where schemaname = 'public' and tablename <> '_prisma_migrations' order by tablename`,
  );
  const ignored = IGNORED_COLUMNS.map((c) => `- '${c}'`).join(" ");
  await db.$executeRawUnsafe(`create table fuzz_row_changes (table_name text not null)`);
  await db.$executeRawUnsafe(`create function fuzz_count_row_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and (to_jsonb(new) ${ignored}) = (to_jsonb(old) ${ignored}) then return null; end if;
      insert into fuzz_row_changes values (tg_table_name);
      return null;
    end $$`);
  for (const { tablename } of tables) {
    await db.$executeRawUnsafe(
      `create trigger fuzz_row_change after insert or update or delete on "${tablename}" for each row execute function fuzz_count_row_change()`,
    );
    await db.$executeRawUnsafe(
      `create trigger fuzz_truncate after truncate on "${tablename}" for each statement execute function fuzz_count_row_change()`,
    );
  }
}

/** How many rows each table has changed so far (trackRowChanges), as "table:count …". */
export async function snapshot(): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ t: string; n: number }[]>(
    `select table_name as t, count(*)::int as n from fuzz_row_changes group by 1 order by 1`,
  );
  return rows.map((r) => `${r.t}:${r.n}`).join(" ");
}

export function changedTables(before: string, after: string): string[] {
  const entries = (s: string) =>
    s ? s.split(" ").map((p) => p.split(":") as [string, string]) : [];
  const old = new Map(entries(before));
  return entries(after)
    .filter(([t, n]) => old.get(t) !== n)
    .map(([t]) => t);
}
