// npm run bench:policy [-- --calls=100000 --days=30 --runs=5]
// Times the policy simulation (lib/policy/simulate.ts, what POST /api/v1/policy/simulate and
// /admin/policy run) over a month of recorded calls: seeds them into a scratch database (created
// here, dropped at the end) on the embedded PostgreSQL under .data/bench-policy-pg, or on
// DATABASE_URL's server if set, replays them through a draft rule set a few times and prints the
// median time and the counts. Not a test: it prints figures.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { applyMigrations } from "../lib/db/migrations";
import { clientFor, seedDemoData } from "../prisma/seed";
import { openScratchDatabase } from "./bench/scratch-database";

const { values: args } = parseArgs({
  options: {
    calls: { type: "string", default: "100000" },
    days: { type: "string", default: "30" },
    runs: { type: "string", default: "5" },
  },
});
const CALLS = Number(args.calls);
const DAYS = Number(args.days);
const RUNS = Number(args.runs);
if (![CALLS, DAYS, RUNS].every((n) => Number.isInteger(n) && n > 0) || DAYS > 90)
  throw new Error("Every option takes a positive whole number (days at most 90)");

const BENCH_PG_PORT = Number(process.env.BENCH_PG_PORT ?? 25437);
const scratchName = `countersign_bench_policy_${process.pid}`;

// One call per run, spread evenly over the window: 80% refunds (amounts from €5 to €205, a tenth
// of reasons mention a chargeback; every refund is irreversible, so the gate parked it), 10%
// password resets (let through), 10% emails (let through, a few flagged as untrusted input).
// The counts are validated whole numbers, so they are written into the SQL as they are.
const seedStatements = (calls: number, days: number) => [
  `create temporary table seed as
     select n, gen_random_uuid() as run_id, gen_random_uuid() as call_id,
            case when n % 10 < 8 then 'refunds' when n % 10 = 8 then 'accounts' else 'support' end as agent,
            case when n % 10 < 8 then 'issue_refund' when n % 10 = 8 then 'send_password_reset' else 'send_email' end as tool,
            case when n % 10 < 8 then format('{"amount_cents":%s,"order_id":"%s","reason":"%s"}', 500 + (n * 7919) % 20000, 100000 + n,
                                             case when n % 100 < 10 then 'chargeback threatened' else 'arrived damaged' end)
                 when n % 10 = 8 then '{}'
                 else format('{"body":"Following up on request %s.","subject":"Your request %s"}', n, n) end as args,
            (select id from users where email = case when n % 2 = 0 then 'user@example.com' else 'user2@example.com' end) as user_id,
            timezone('UTC', now()) - ((${calls} - n) * (interval '1 day' * ${days} / ${calls}) * 0.99) - interval '1 minute' as created_at
     from generate_series(1, ${calls}) n`,
  `create temporary table seed_conversations as select user_id, gen_random_uuid() as id, min(created_at) as created_at from seed group by user_id`,
  `insert into conversations (id, user_id, created_at) select id, user_id, created_at from seed_conversations`,
  `insert into runs (id, conversation_id, user_id, request, agent, intent, intent_confidence, status, status_reason, model_provider, deadline_at, created_at, updated_at, iterations)
     select s.run_id, c.id, s.user_id, format('Bench request %s', s.n), s.agent, 'refund_request', 0.9, 'completed', 'answered',
            'offline-demo', s.created_at + interval '1 hour', s.created_at, s.created_at, 2
     from seed s join seed_conversations c using (user_id)`,
  `insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, confidence, rationale, status, idempotency_key, created_at, updated_at)
     select call_id, run_id, format('toolu_bench_%s', n), 2, tool, tool = 'issue_refund', args::jsonb, encode(sha256(convert_to(args, 'UTF8')), 'hex'),
            0.9, 'The customer asked for it', 'succeeded', format('cs_bench_%s', n), created_at, created_at
     from seed`,
  `insert into approvals (id, tool_call_id, run_id, agent, tool, status, reasons, reason_codes, proposed_arguments, proposed_hash, expires_at, created_at, decided_at)
     select gen_random_uuid(), call_id, run_id, agent, tool, 'approved',
            case when tool = 'issue_refund' then '["irreversible"]'::jsonb else '["untrusted input"]'::jsonb end,
            case when tool = 'issue_refund' then array['irreversible'] else array['untrusted_input'] end,
            args::jsonb, encode(sha256(convert_to(args, 'UTF8')), 'hex'), created_at + interval '1 day', created_at, created_at + interval '5 minutes'
     from seed where tool = 'issue_refund' or (tool = 'send_email' and n % 100 = 9)`,
  `analyze`,
];

// A draft a company might try: four-eyes above €100, chargebacks to the risk team, no emails
// with untrusted input at all.
const DRAFT = {
  rules: [
    {
      id: "two-above-100",
      name: "Refunds above €100 need two people",
      tools: ["issue_refund"],
      when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
      effect: { approvals: 2 },
    },
    {
      id: "chargebacks-to-risk",
      name: "Chargebacks go to the risk team",
      tools: ["issue_refund"],
      when: [{ argument: "reason", op: "matches", value: "chargeback" }],
      effect: { team: "risk" },
    },
    {
      id: "no-untrusted-email",
      name: "No email after untrusted input",
      tools: ["send_email"],
      when: [{ flag: "untrusted_input" }],
      effect: { deny: "Not after untrusted input." },
    },
  ],
};

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
  const scratch = await openScratchDatabase(scratchName, ".data/bench-policy-pg", BENCH_PG_PORT);
  // The app's modules read DATABASE_URL on first use, so they are loaded only now.
  process.env.DATABASE_URL = scratch.url;
  try {
    await applyMigrations(scratch.url);
    const demo = clientFor(scratch.url);
    await seedDemoData(demo);
    await demo.$disconnect();
    const seedStarted = performance.now();
    const client = new pg.Client(scratch.url);
    await client.connect();
    try {
      for (const sql of seedStatements(CALLS, DAYS)) await client.query(sql);
    } finally {
      await client.end();
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;

    const { db } = await import("../lib/db");
    const { parsePolicyDocument } = await import("../lib/policy/document");
    const { simulatePolicy } = await import("../lib/policy/simulate");
    const parsed = parsePolicyDocument(DRAFT);
    if (!parsed.ok) throw new Error(parsed.problems.join("; "));
    const times: number[] = [];
    let report: Awaited<ReturnType<typeof simulatePolicy>> | undefined;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      report = await simulatePolicy({ document: parsed.document, days: DAYS });
      times.push(performance.now() - started);
    }
    await db.$disconnect();
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const { current, draft, changed } = report!;
    console.log(
      `\nCountersign policy simulation benchmark: ${CALLS.toLocaleString("en")} recorded calls over ${DAYS} days, seeded in ${seedSeconds.toFixed(1)} s`,
    );
    console.log(
      `${scratch.where}; Node ${process.versions.node}; ${cpus().length} CPUs (load average ${loadavg()[0]!.toFixed(1)}); in-process (no HTTP)\n`,
    );
    console.log(
      `simulatePolicy, ${RUNS} runs: median ${(median / 1000).toFixed(2)} s (min ${(sorted[0]! / 1000).toFixed(2)} s, max ${(sorted.at(-1)! / 1000).toFixed(2)} s)`,
    );
    const row = (label: string, of: (t: typeof draft) => number) =>
      `  ${label.padEnd(28)} ${String(of(current)).padStart(8)} ${String(of(draft)).padStart(8)}`;
    console.log(`\n  ${"".padEnd(28)} ${"in force".padStart(8)} ${"draft".padStart(8)}`);
    console.log(row("calls", (t) => t.calls));
    console.log(row("waited for a person", (t) => t.waits));
    console.log(row("run automatically", (t) => t.auto));
    console.log(row("refused", (t) => t.denied));
    console.log(row("needed two people or more", (t) => t.needTwoOrMore));
    for (const team of new Set([...Object.keys(current.byTeam), ...Object.keys(draft.byTeam)]))
      console.log(row(`sent to ${team}`, (t) => t.byTeam[team] ?? 0));
    console.log(
      `\nchanged by the draft: ${changed.total} (now wait ${changed.nowWait}, now auto ${changed.nowAuto}, now refused ${changed.nowDenied}, approvals changed ${changed.approvalsChanged}, team changed ${changed.teamChanged})`,
    );
  } finally {
    await scratch
      .drop()
      .catch((error: unknown) => console.error(`could not drop ${scratchName}: ${String(error)}`));
    await scratch.stop();
  }
}

await main();
