// npm run bench:inbox [-- --items=100000 --seconds=10 --decisions=2000]
// Measures the reviewer inbox against a large queue: the server time of the inbox's first page
// and of one decision, and decisions per second with 20 reviewers deciding at once. Runs on a
// scratch database (created here and dropped at the end) on the embedded PostgreSQL under
// .data/bench-pg, or on the server of DATABASE_URL if set. Not a test: it prints figures.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";
import { pgbenchAvailable, PGBENCH, runPgbench, type PgbenchResult } from "./bench/pgbench";
import { openScratchDatabase } from "./bench/scratch-database";

const { values: args } = parseArgs({
  options: {
    items: { type: "string", default: "100000" },
    "page-calls": { type: "string", default: "200" },
    "decision-calls": { type: "string", default: "200" },
    reviewers: { type: "string", default: "20" },
    seconds: { type: "string", default: "10" },
    decisions: { type: "string", default: "2000" },
  },
});
const ITEMS = Number(args.items);
const PAGE_CALLS = Number(args["page-calls"]);
const DECISION_CALLS = Number(args["decision-calls"]);
const REVIEWERS = Number(args.reviewers);
const LOAD_SECONDS = Number(args.seconds);
const LOAD_DECISIONS = Number(args.decisions);
const WARM_UP = 10;
const needed = WARM_UP + DECISION_CALLS + LOAD_DECISIONS;
if (
  ![ITEMS, PAGE_CALLS, DECISION_CALLS, REVIEWERS, LOAD_SECONDS, LOAD_DECISIONS].every(
    (n) => Number.isInteger(n) && n > 0,
  )
) {
  throw new Error("Every option takes a positive whole number");
}
if (ITEMS < needed)
  throw new Error(
    `--items must be at least ${needed} (warm-up + timed decisions + decisions under load)`,
  );

const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT ?? 25435);
const PGBENCH_SECONDS = Number(process.env.PGBENCH_SECONDS ?? LOAD_SECONDS);
const scratchName = `countersign_bench_${process.pid}`;

// One parked call per run, as a refund request produces; 80% refunds, the rest other agents.
// Hashes are computed the way lib/idempotency/hash.ts stableHash does (sorted keys, no spaces).
// The counts are validated whole numbers, so they are written into the SQL as they are.
const seedStatements = (items: number, reviewers: number) => [
  `insert into users (id, email, name, password_hash, role)
     select gen_random_uuid(), format('bench-reviewer-%s@example.com', lpad(n::text, 3, '0')), format('Bench reviewer %s', n), 'not-a-password-hash', 'reviewer'
     from generate_series(1, ${reviewers}) n`,
  `create temporary table seed as
     select n, gen_random_uuid() as run_id, gen_random_uuid() as call_id, gen_random_uuid() as approval_id,
            case when n % 10 < 8 then 'refunds' when n % 10 = 8 then 'accounts' else 'support' end as agent,
            case when n % 10 < 8 then 'issue_refund' when n % 10 = 8 then 'send_password_reset' else 'send_email' end as tool,
            case when n % 10 < 8 then format('{"amount_cents":%s,"order_id":%s,"reason":"Arrived damaged (case %s)"}', 500 + n % 20000, 100000 + n, n)
                 when n % 10 = 8 then '{}'
                 else format('{"body":"Following up on your request number %s.","subject":"Your request %s"}', n, n) end as args,
            (select id from users where email = case when n % 2 = 0 then 'user@example.com' else 'user2@example.com' end) as user_id,
            timezone('UTC', now()) - ((${items} - n) * interval '3 seconds') as created_at
     from generate_series(1, ${items}) n`,
  // The orders the refunds are for, in the demo shop: each decision runs the refund tool's pre-check
  // (lib/approvals/pre-checks.ts) against a real order, as it does in the app.
  `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
     select 100000 + s.n, c.id, 'delivered', 'EUR', 50000, '[{"sku":"BENCH","qty":1,"cents":50000}]', s.created_at
     from seed s join users u on u.id = s.user_id join shop_customers c on c.email = u.email
     where s.agent = 'refunds'`,
  `create temporary table seed_conversations as
     select user_id, gen_random_uuid() as id, min(created_at) as created_at from seed group by user_id`,
  `insert into conversations (id, user_id, created_at) select id, user_id, created_at from seed_conversations`,
  `insert into runs (id, conversation_id, user_id, request, agent, intent, intent_confidence, status, status_reason, model_provider, deadline_at, created_at, updated_at, iterations)
     select s.run_id, c.id, s.user_id, format('Bench request %s', s.n), s.agent, 'refund_request', 0.9, 'awaiting_approval', 'waiting for a reviewer',
            'offline-demo', s.created_at + interval '1 day', s.created_at, s.created_at, 2
     from seed s join seed_conversations c using (user_id)`,
  `insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, confidence, rationale, status, idempotency_key, created_at, updated_at)
     select call_id, run_id, format('toolu_bench_%s', n), 2, tool, true, args::jsonb, encode(sha256(convert_to(args, 'UTF8')), 'hex'),
            0.5 + (n % 50) / 100.0, 'The customer asked for it', 'pending_approval', format('cs_bench_%s', n), created_at, created_at
     from seed`,
  // records: what lib/agents.ts recordsOf gives a parked refund (its order), as the app keeps it.
  `insert into approvals (id, tool_call_id, run_id, agent, tool, status, reasons, proposed_arguments, proposed_hash, expires_at, created_at, records)
     select approval_id, call_id, run_id, agent, tool, 'pending', '["irreversible"]'::jsonb, args::jsonb, encode(sha256(convert_to(args, 'UTF8')), 'hex'),
            timezone('UTC', now()) + interval '1 day' + n * interval '1 second', created_at,
            case when tool = 'issue_refund' then array[format('order:%s', 100000 + n)] else array[]::text[] end
     from seed`,
  `analyze`,
];

async function seed(url: string) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    for (const sql of seedStatements(ITEMS, REVIEWERS)) await client.query(sql);
  } finally {
    await client.end();
  }
}

type Sample = { ms: number[]; errors: Map<string, number> };

async function timed(sample: Sample, work: () => Promise<unknown>) {
  const started = performance.now();
  try {
    await work();
    sample.ms.push(performance.now() - started);
  } catch (error) {
    const key =
      error instanceof Error ? error.message.split("\n")[0]!.slice(0, 100) : String(error);
    sample.errors.set(key, (sample.errors.get(key) ?? 0) + 1);
  }
}

const newSample = (): Sample => ({ ms: [], errors: new Map() });
function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
    : NaN;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const errorsOf = (sample: Sample) => [...sample.errors.values()].reduce((a, b) => a + b, 0);

// The app logs one JSON line per trace event; thousands of them would bury the figures.
function muteInfoLogs() {
  const log = console.log.bind(console);
  console.log = (...parts: unknown[]) => {
    if (typeof parts[0] === "string" && parts[0].startsWith('{"level":"info"')) return;
    log(...parts);
  };
}

async function main() {
  process.env.NEXTAUTH_SECRET ??= "bench-only-secret-bench-only-secret-00";
  muteInfoLogs();
  const setupStarted = performance.now();
  const scratch = await openScratchDatabase(scratchName, ".data/bench-pg", BENCH_PG_PORT);
  // The app's modules read DATABASE_URL on first use, so they are loaded only now.
  process.env.DATABASE_URL = scratch.url;
  try {
    await applyMigrations(scratch.url);
    const demo = clientFor(scratch.url);
    await seedDemoData(demo);
    await demo.$disconnect();
    const seedStarted = performance.now();
    await seed(scratch.url);
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const { db } = await import("../lib/db");
    const { listPending, inboxQuery, pendingCount } = await import("../lib/approvals/queries");
    const { decideApproval } = await import("../lib/approvals/decide");
    const { stopBoss } = await import("../lib/jobs/queue");
    const { chainAllPendingAudit, startAuditChainer, stopAuditChainer } =
      await import("../lib/audit/chainer");
    const { verifyStoredChain } = await import("../lib/audit/queries");
    const reviewers = (
      await db.user.findMany({
        where: { email: { startsWith: "bench-reviewer-" } },
        orderBy: { email: "asc" },
      })
    ).map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
    }));
    // Newest first: deciding them leaves the inbox's first page (the oldest items) as it was.
    const queue = await db.approval.findMany({
      where: { status: "pending" },
      orderBy: { createdAt: "desc" },
      take: needed,
      select: { id: true, proposedHash: true },
    });
    let decisionCount = 0;
    const decided: string[] = [];
    const decide = async (reviewer: (typeof reviewers)[number], item: (typeof queue)[number]) => {
      decisionCount += 1;
      const outcome = await (decisionCount % 4 === 0
        ? decideApproval(reviewer, {
            decision: "reject",
            approvalId: item.id,
            expectedHash: item.proposedHash,
            reason: "Not covered by the returns policy",
          })
        : decideApproval(reviewer, {
            decision: "approve",
            approvalId: item.id,
            expectedHash: item.proposedHash,
          }));
      decided.push(item.id);
      return outcome;
    };

    const page = newSample();
    const firstPage = inboxQuery.parse({});
    for (let i = 0; i < WARM_UP; i++) await listPending(firstPage);
    for (let i = 0; i < PAGE_CALLS; i++) await timed(page, () => listPending(firstPage));

    const badge = newSample();
    for (let i = 0; i < PAGE_CALLS; i++) await timed(badge, () => pendingCount(reviewers[0]!.id));

    const single = newSample();
    for (const item of queue.splice(0, WARM_UP)) await decide(reviewers[0]!, item); // starts pg-boss, warms the pool
    for (const item of queue.splice(0, DECISION_CALLS))
      await timed(single, () => decide(reviewers[0]!, item));

    // The audit trail's appender runs beside the reviewers, as it does in the app's workers.
    startAuditChainer();
    const load = newSample();
    const cpuBefore = process.cpuUsage();
    const deadline = performance.now() + LOAD_SECONDS * 1000;
    const loadStarted = performance.now();
    const pending = queue.splice(0, LOAD_DECISIONS);
    await Promise.all(
      reviewers.map(async (reviewer) => {
        for (
          let item = pending.shift();
          item && performance.now() < deadline;
          item = pending.shift()
        )
          await timed(load, () => decide(reviewer, item));
      }),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const remaining = await db.approval.count({ where: { status: "pending" } });
    stopAuditChainer();
    const unchainedAtEnd = await db.auditPending.count();
    const chainStarted = performance.now();
    await chainAllPendingAudit();
    const chainMs = performance.now() - chainStarted;
    const chainVerdict = await verifyStoredChain();
    const once = await checkOneDecisionPerItem(scratch.url, decided);
    await stopBoss();
    await db.$disconnect();
    let pgbench: PgbenchResult | string;
    if (!pgbenchAvailable())
      pgbench = `pgbench not found at ${PGBENCH}: install Debian's postgresql-client (apt-get install postgresql-client) or set PGBENCH`;
    else
      pgbench = await runPgbench(scratch.url, REVIEWERS, PGBENCH_SECONDS).catch(
        (error: unknown) => `pgbench failed: ${String(error).slice(0, 300)}`,
      );

    const pgVersion = await versionOf(scratch.url);
    const rows = [
      [
        "inbox first page (listPending, defaults)",
        `${page.ms.length}`,
        ms(percentile(page.ms, 50)),
        ms(percentile(page.ms, 95)),
        `${errorsOf(page)}`,
      ],
      [
        "pending count (navigation badge query)",
        `${badge.ms.length}`,
        ms(percentile(badge.ms, 50)),
        ms(percentile(badge.ms, 95)),
        `${errorsOf(badge)}`,
      ],
      [
        "decision (decideApproval, one reviewer)",
        `${single.ms.length}`,
        ms(percentile(single.ms, 50)),
        ms(percentile(single.ms, 95)),
        `${errorsOf(single)}`,
      ],
      [
        `decision under load (${REVIEWERS} reviewers)`,
        `${load.ms.length}`,
        ms(percentile(load.ms, 50)),
        ms(percentile(load.ms, 95)),
        `${errorsOf(load)}`,
      ],
    ];
    console.log(
      `\nCountersign inbox benchmark: ${ITEMS.toLocaleString("en")} pending approvals seeded in ${seedSeconds.toFixed(1)} s`,
    );
    console.log(
      `PostgreSQL ${pgVersion} on ${scratch.where}; Node ${process.versions.node}; ${cpus().length} CPUs (load average ${loadavg()[0]!.toFixed(1)}); in-process server time (no HTTP)\n`,
    );
    console.log(table(["measure", "n", "median", "p95", "errors"], rows));
    const perSecond = load.ms.length / loadSeconds;
    console.log(
      `\ndecisions per second with ${REVIEWERS} concurrent reviewers: ${perSecond.toFixed(0)}/s (${load.ms.length} decisions in ${loadSeconds.toFixed(1)} s, ${errorsOf(load)} errors)`,
    );
    console.log(
      `this process's CPU under load: ${((cpu.user + cpu.system) / 1000 / Math.max(1, load.ms.length)).toFixed(1)} ms per decision (${(((cpu.user + cpu.system) / 1e6 / loadSeconds) * 100).toFixed(0)}% of one core)`,
    );
    if (typeof pgbench === "string") console.log(pgbench);
    else {
      console.log(
        `pgbench -N -c ${REVIEWERS} on the same server, ${PGBENCH_SECONDS} s: ${pgbench.tps.toFixed(0)} tps (${pgbench.transactions} transactions, ${pgbench.failed} failed; ${pgbench.version})`,
      );
      console.log(
        `ratio: decisions/s ÷ pgbench -N tps = ${((100 * perSecond) / pgbench.tps).toFixed(1)}% (target ≥ 25%)`,
      );
    }
    console.log(
      `audit chain: ${unchainedAtEnd} entries still waiting when the reviewers stopped, linked in ${chainMs.toFixed(0)} ms; ${chainVerdict.broken ? `BROKEN at #${chainVerdict.broken.seq}` : `verified up to #${chainVerdict.verifiedUpTo}`} (${chainVerdict.count} entries)`,
    );
    console.log(
      `exactly one decision per item: ${once.ok ? "yes" : "NO"} — ${once.items} items decided, ${once.decidedApprovals} approvals decided, ${once.decisionEvents} decision trace events, ${once.auditEntries} audit entries, ${once.resumeJobs} resume jobs`,
    );
    for (const [message, count] of [...page.errors, ...single.errors, ...load.errors])
      console.log(`  error ×${count}: ${message}`);
    console.log(
      `still pending afterwards: ${remaining.toLocaleString("en")}; total time ${((performance.now() - setupStarted) / 1000).toFixed(0)} s`,
    );
    console.log(
      `command: npm run bench:inbox -- --items=${ITEMS} --reviewers=${REVIEWERS} --seconds=${LOAD_SECONDS} --decisions=${LOAD_DECISIONS}`,
    );
  } finally {
    await scratch
      .drop()
      .catch((error) => console.error(`could not drop ${scratchName}: ${String(error)}`));
    await scratch.stop();
  }
}

/** Every item a reviewer decided: one approval moved, one decision trace event, one audit entry, one resume job. */
async function checkOneDecisionPerItem(url: string, ids: string[]) {
  const client = new pg.Client(url);
  await client.connect();
  try {
    const count = async (sql: string) =>
      Number((await client.query<{ n: string }>(sql, [ids])).rows[0]!.n);
    const decidedApprovals = await count(
      `select count(*) as n from approvals where id = any($1::uuid[]) and status <> 'pending'`,
    );
    const decisionEvents = await count(
      `select count(*) as n from trace_events e join approvals a on a.tool_call_id = e.tool_call_id where a.id = any($1::uuid[]) and e.kind = 'decision'`,
    );
    const auditEntries = await count(
      `select count(*) as n from audit_entries where approval_id = any($1::uuid[])`,
    );
    const resumeJobs = await count(
      `select count(*) as n from pgboss.job j join approvals a on j.data->>'runId' = a.run_id::text where a.id = any($1::uuid[])`,
    );
    const items = new Set(ids).size;
    const ok =
      items === ids.length &&
      [decidedApprovals, decisionEvents, auditEntries, resumeJobs].every((n) => n === items);
    return { ok, items, decidedApprovals, decisionEvents, auditEntries, resumeJobs };
  } finally {
    await client.end();
  }
}

async function versionOf(url: string) {
  const client = new pg.Client(url.replace(`/${scratchName}`, "/postgres"));
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>("show server_version")).rows[0]!
      .server_version;
  } finally {
    await client.end();
  }
}

function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

await main();
process.exit(0);
