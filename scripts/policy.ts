// npm run policy -- export FILE | apply FILE [--reason TEXT] | simulate FILE [--days N]
// The policy as code, for teams that keep it in git. With COUNTERSIGN_URL and COUNTERSIGN_TOKEN (a
// personal access token with the admin scope) it talks to that instance's API; without them, to
// the local database (DATABASE_URL, or the demo's embedded one) as the admin named by --as.
//   export    writes the rule set in force, with its version, to FILE
//   apply     saves FILE as the new version; it replaces the version FILE names (its "version"),
//             so a save that came in between is a conflict, not a silent overwrite
//   simulate  what FILE's rules would have done to the last N days of calls (default 30)
// Exit codes: 0 done, 1 refused (invalid document, conflict), 2 usage or connection problem.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

const { values, positionals } = parseArgs({
  options: {
    reason: { type: "string" },
    days: { type: "string", default: "30" },
    as: { type: "string", default: "admin@example.com" },
  },
  allowPositionals: true,
});
const [command, file] = positionals;
if (!["export", "apply", "simulate"].includes(command ?? "") || !file) {
  console.error(
    "usage: npm run policy -- export FILE | apply FILE [--reason TEXT] | simulate FILE [--days N]",
  );
  process.exit(2);
}

type Answer = { status: number; body: unknown };
type Door = {
  get(): Promise<Answer>;
  put(body: object): Promise<Answer>;
  simulate(body: object): Promise<Answer>;
  close(): Promise<void>;
};

async function overHttp(base: string, token: string): Promise<Door> {
  const call = async (method: string, path: string, body?: object): Promise<Answer> => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body && { "content-type": "application/json" }),
      },
      body: body && JSON.stringify(body),
    });
    return { status: response.status, body: await response.json().catch(() => null) };
  };
  return {
    get: () => call("GET", "/api/v1/policy"),
    put: (b) => call("PUT", "/api/v1/policy", b),
    simulate: (b) => call("POST", "/api/v1/policy/simulate", b),
    close: async () => {},
  };
}

async function onDatabase(email: string): Promise<Door> {
  const { openDatabase } = await import("../lib/db/local-database");
  const database = await openDatabase();
  process.env.DATABASE_URL = database.url;
  const { db } = await import("../lib/db");
  const { activePolicy, savePolicy } = await import("../lib/policy/versions");
  const { parsePolicyDocument } = await import("../lib/policy/document");
  const { simulatePolicy } = await import("../lib/policy/simulate");
  const { toClientError } = await import("../lib/errors");
  const user = await db.user.findUnique({ where: { email } });
  if (user?.role !== "admin" || !user.active)
    throw new Error(`--as: ${email} is not an active admin of this database`);
  const actor = { id: user.id, email: user.email, name: user.name, role: user.role };
  const answer = async (work: () => Promise<unknown>): Promise<Answer> => {
    try {
      return { status: 200, body: await work() };
    } catch (error) {
      const e = toClientError(error);
      return {
        status: e.code === "conflict" ? 409 : e.code === "invalid_input" ? 400 : 500,
        body: { error: e },
      };
    }
  };
  const view = (p: Awaited<ReturnType<typeof activePolicy>>) => ({
    version: p.version,
    rules: p.document.rules,
    ...(p.document.grantsOff && { grantsOff: p.document.grantsOff }),
    reason: p.reason,
    savedBy: p.savedBy,
    savedAt: p.savedAt,
  });
  return {
    get: () => answer(async () => view(await activePolicy())),
    put: (b) => {
      const { replaces, reason, rules, grantsOff } = b as {
        replaces: number;
        reason: string;
        rules: unknown[];
        grantsOff?: unknown[];
      };
      return answer(async () =>
        view(
          await savePolicy(actor, {
            document: { rules, ...(grantsOff && { grantsOff }) },
            replaces,
            reason,
          }),
        ),
      );
    },
    simulate: (b) =>
      answer(async () => {
        const parsed = parsePolicyDocument({ rules: (b as { rules: unknown }).rules });
        if (!parsed.ok)
          throw new (await import("../lib/errors")).AppError(
            "invalid_input",
            parsed.problems.join("; "),
          );
        return simulatePolicy({
          document: parsed.document,
          days: Number((b as { days: number }).days),
        });
      }),
    close: async () => {
      await db.$disconnect();
      await database.stop();
    },
  };
}

function readDocument(path: string): { version?: number; rules?: unknown } {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    console.error(
      `${path}: not a JSON document (${error instanceof Error ? error.message : String(error)})`,
    );
    process.exit(2);
  }
}

const refused = (answer: Answer) => {
  const error = (answer.body as { error?: { message?: string } } | null)?.error;
  console.error(
    `Refused (HTTP ${answer.status}): ${error?.message ?? JSON.stringify(answer.body)}`,
  );
  return answer.status >= 500 ? 2 : 1;
};

async function main(door: Door): Promise<number> {
  if (command === "export") {
    const answer = await door.get();
    if (answer.status !== 200) return refused(answer);
    const { version, rules } = answer.body as { version: number; rules: unknown[] };
    writeFileSync(file!, `${JSON.stringify({ version, rules }, null, 2)}\n`);
    console.log(
      `Wrote policy version ${version} (${rules.length} rule${rules.length === 1 ? "" : "s"}) to ${file}`,
    );
    return 0;
  }
  const document = readDocument(file!);
  if (command === "simulate") {
    const answer = await door.simulate({ rules: document.rules, days: Number(values.days) });
    if (answer.status !== 200) return refused(answer);
    console.log(JSON.stringify(answer.body, null, 2));
    return 0;
  }
  if (typeof document.version !== "number") {
    console.error(`${file}: say which version it replaces ("version", as export writes it)`);
    return 1;
  }
  const answer = await door.put({
    replaces: document.version,
    reason: values.reason ?? `applied from ${file}`,
    rules: document.rules,
  });
  if (answer.status !== 200) return refused(answer);
  const saved = answer.body as { version: number };
  writeFileSync(
    file!,
    `${JSON.stringify({ version: saved.version, rules: document.rules }, null, 2)}\n`,
  );
  console.log(
    `Saved policy version ${saved.version} (it replaces ${document.version}); ${file} now names it.`,
  );
  return 0;
}

let code = 2;
let door: Door | undefined;
try {
  const url = process.env.COUNTERSIGN_URL;
  const token = process.env.COUNTERSIGN_TOKEN;
  door = url && token ? await overHttp(url, token) : await onDatabase(values.as!);
  code = await main(door);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
} finally {
  await door?.close().catch(() => {});
}
process.exit(code);
