// npm run bench:ops [-- --runs=1000000 --days=180 --calls=30]
// The /ops first paint against a large history: the server time of the page's one data call
// (opsOverview: every figure, chart and table of the first paint) for the default window (last
// day) and the last week, p50/p95. Seeds a scratch database on the embedded PostgreSQL under
// .data/bench-pg (BENCH_PG_PORT, default 25436), or on DATABASE_URL's server, with set-based SQL
// (generate_series), and drops it at the end. Not a test: it prints figures.
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";
import { openScratchDatabase } from "./bench/scratch-database";

const { values: args } = parseArgs({
  options: {
    runs: { type: "string", default: "1000000" },
    days: { type: "string", default: "180" },
    calls: { type: "string", default: "30" },
  },
});
const RUNS = Number(args.runs);
const DAYS = Number(args.days);
const CALLS = Number(args.calls);
if (![RUNS, DAYS, CALLS].every((n) => Number.isInteger(n) && n > 0))
  throw new Error("Every option takes a positive whole number");

const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT ?? 25436);
const scratchName = `countersign_bench_ops_${process.pid}`;

const h = (salt: number) => `mod(abs(hashint8(n::bigint * 7919 + ${salt})::bigint), 1000)`;

// RUNS runs spread evenly over DAYS days up to now, the demo agents' mix: a lookup per run, a
// parked call on ~40% (decided by one of 6 reviewers, each with a packet open), a follow-up on ~5%.
const seedStatements = () => [
  `insert into users (id, email, name, password_hash, role)
     select gen_random_uuid(), format('bench-reviewer-%s@example.com', k), format('Bench reviewer %s', k), 'not-a-password-hash', 'reviewer' from generate_series(1, 6) k`,
  `insert into conversations (id, user_id, created_at) select gen_random_uuid(), id, timezone('UTC', now()) - interval '${DAYS + 1} days' from users where email = 'user@example.com'`,
  `create unlogged table bench_seed as
     select n, gen_random_uuid() as run_id, gen_random_uuid() as call_id, gen_random_uuid() as approval_id,
       timezone('UTC', now()) - interval '${DAYS} days' + (n::float8 / ${RUNS}) * interval '${DAYS} days' - interval '1 minute' as created_at,
       case when ${h(2)} < 450 then 'refunds' when ${h(2)} < 650 then 'accounts' when ${h(2)} < 900 then 'support' else 'shipping' end as agent,
       ${h(3)} as r3, ${h(4)} as r4, ${h(5)} as r5, ${h(6)} as r6
     from generate_series(1, ${RUNS}) n`,
  `insert into runs (id, conversation_id, user_id, request, agent, intent, intent_confidence, status, status_reason, iterations, input_tokens, output_tokens, cost_micros, model_provider, agent_version, deadline_at, created_at, updated_at, finished_at)
     select s.run_id, c.id, c.user_id, 'bench run ' || s.n, s.agent, 'refund_request', 0.9,
       (case when s.r4 < 40 then 'failed' when s.r4 < 60 then 'terminated' else 'completed' end)::"RunStatus",
       case when s.r4 < 40 then 'model_error: rate_limited' when s.r4 < 60 then 'deadline: Ran past its deadline' end,
       3, 2000 + s.r5 * 4, 500 + s.r5, 5000 + s.r5 * 25, 'offline', 1 + s.n % 3,
       s.created_at + interval '60 seconds', s.created_at, s.created_at + (2 + s.r5 % 30) * interval '1 second', s.created_at + (2 + s.r5 % 30) * interval '1 second'
     from bench_seed s cross join (select id, user_id from conversations limit 1) c`,
  `insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, status, idempotency_key, attempts, created_at, updated_at)
     select gen_random_uuid(), s.run_id, 'l' || s.n, 1, 'lookup_' || s.agent, false, '{}'::jsonb, 'h', (case when s.r5 > 980 then 'failed' else 'succeeded' end)::"ToolCallStatus", 'bl-' || s.n, 1, s.created_at + interval '1 second', s.created_at + interval '1 second' from bench_seed s
     union all
     select s.call_id, s.run_id, 'p' || s.n, 2, 'act_' || s.agent, true, '{}'::jsonb, 'h', 'succeeded', 'bp-' || s.n, 1, s.created_at + interval '2 seconds', s.created_at + interval '2 seconds' from bench_seed s where s.r3 < 400`,
  `insert into approvals (id, tool_call_id, run_id, agent, tool, status, reasons, reason_codes, proposed_arguments, proposed_hash, approved_hash, decided_by_id, decided_at, expires_at, created_at)
     select s.approval_id, s.call_id, s.run_id, s.agent, 'act_' || s.agent, (case when s.r6 < 100 then 'rejected' else 'approved' end)::"ApprovalStatus", '[]'::jsonb, array['irreversible'], '{}'::jsonb, 'h',
       case when s.r6 >= 100 then (case when s.r6 < 150 then 'edited' else 'h' end) end,
       (select id from users where email = format('bench-reviewer-%s@example.com', 1 + s.n % 6)), s.created_at + (5 + s.r5 % 300) * interval '1 second', s.created_at + interval '1 day', s.created_at + interval '2 seconds'
     from bench_seed s where s.r3 < 400`,
  `insert into approval_opens (approval_id, user_id, opened_at) select a.id, a.decided_by_id, a.created_at + interval '3 seconds' from approvals a`,
  `insert into follow_ups (id, run_id, reason, status, created_at) select gen_random_uuid(), s.run_id, 'bench', (case when s.r6 < 20 then 'open' else 'answered' end)::"FollowUpStatus", s.created_at from bench_seed s where s.r4 < 60`,
  `drop table bench_seed`,
  `vacuum analyze`,
];

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const scratch = await openScratchDatabase(scratchName, ".data/bench-pg", BENCH_PG_PORT);
try {
  process.env.NEXTAUTH_SECRET ??= "bench-only-secret-bench-only-secret-00";
  await applyMigrations(scratch.url);
  const seedClient = clientFor(scratch.url);
  await seedDemoData(seedClient);
  await seedClient.$disconnect();
  const raw = new pg.Client(scratch.url);
  raw.on("error", () => {}); // the scratch database is dropped with force at the end
  await raw.connect();
  const seedStarted = performance.now();
  for (const statement of seedStatements()) await raw.query(statement);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const [{ runs, calls, approvals }] = (
    await raw.query(
      `select (select count(*) from runs)::int as runs, (select count(*) from tool_calls)::int as calls, (select count(*) from approvals)::int as approvals`,
    )
  ).rows;
  await raw.end();

  // The app's modules read DATABASE_URL on first use, so they are loaded only now.
  process.env.DATABASE_URL = scratch.url;
  const { db } = await import("../lib/db");
  const { opsOverview, opsQuery } = await import("../lib/ops/overview");
  const { stopBoss } = await import("../lib/jobs/queue");
  const admin = await db.user.findUniqueOrThrow({ where: { email: "admin@example.com" } });
  const actor = { id: admin.id, email: admin.email, name: admin.name, role: admin.role };

  const rows: string[][] = [];
  for (const [label, query] of [
    ["/ops first paint, last day (default)", { window: "day" }],
    ["/ops, last week", { window: "week" }],
    ["/ops, last week, one agent", { window: "week", agent: "refunds" }],
  ] as const) {
    const parsed = opsQuery.parse(query);
    for (let i = 0; i < 3; i++) await opsOverview(actor, parsed); // warm-up
    const ms: number[] = [];
    let inWindow = 0;
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now();
      const ops = await opsOverview(actor, parsed);
      ms.push(performance.now() - started);
      inWindow = ops.agents.reduce((n, a) => n + a.runs, 0);
    }
    rows.push([
      label,
      inWindow.toLocaleString("en"),
      `${percentile(ms, 50).toFixed(0)} ms`,
      `${percentile(ms, 95).toFixed(0)} ms`,
    ]);
  }
  // Where the time goes: each query of the first paint on its own (p50 of 5).
  const parts = await import("../lib/ops/parts");
  const { resolveWindow } = await import("../lib/ops/window");
  const scope = { window: resolveWindow(opsQuery.parse({ window: "day" })) };
  const partRows: string[] = [];
  for (const [name, run] of Object.entries(parts.OPS_PARTS)) {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      await run(scope);
      ms.push(performance.now() - started);
    }
    partRows.push(`  ${name.padEnd(24)} ${percentile(ms, 50).toFixed(0).padStart(5)} ms`);
  }
  await stopBoss();
  await db.$disconnect();

  console.log(`\n/ops benchmark on ${scratch.where}`);
  console.log(
    `history: ${runs.toLocaleString("en")} runs over ${DAYS} days, ${calls.toLocaleString("en")} tool calls, ${approvals.toLocaleString("en")} approvals (seeded in ${seedSeconds.toFixed(0)} s)`,
  );
  console.log(
    `server time of opsOverview (every figure of the page), ${CALLS} calls each after 3 warm-up calls:\n`,
  );
  const widths = [40, 14, 8, 8];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(["", "runs in window", "p50", "p95"]));
  for (const row of rows) console.log(line(row));
  console.log(
    "\nTarget: p95 ≤ 300 ms for the first paint.\n\nEach query alone, last day, p50 of 5:",
  );
  for (const row of partRows) console.log(row);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  // BENCH_OPS_KEEP=1 keeps the seeded database, to look at a query's plan afterwards.
  if (process.env.BENCH_OPS_KEEP === "1") console.log(`kept: ${scratch.url}`);
  else await scratch.drop().catch(() => {});
  await scratch.stop();
}
