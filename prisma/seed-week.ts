// A week of history for /ops (npm run db:seed -- --week; the demo seeds it on a fresh database):
// ~2,100 runs of the four demo agents with their tool calls, parked items, decisions, packet
// opens and follow-ups, in set-based SQL (generate_series), so it takes well under a second.
// It tells a story worth opening /ops for: a refunds settings change followed by a three-hour
// cost spike two days ago, a burst of model failures on accounts four days ago, a reviewer who
// approves nearly everything in seconds (Quinn), and add_order_note, parked for low confidence
// and approved unchanged nearly always (a light-policy candidate), beside send_password_reset
// (approved unchanged too, but irreversible: it stays gated).
// Deterministic: every "random" figure is a hash of the run's number. Touches no spend limit:
// the runs belong to history customers, carry no model-call trace events, and end ≥ 20 min ago.
// Plain SQL strings, so scripts (Prisma) and the browser specs (pg) run the same statements.

export const HISTORY_MARKER = "history";
export const HISTORY_RUNS = 2_100;
export const RUBBER_STAMP_REVIEWER = "quinn@example.com";

/** 0 ≤ h(n, salt) < 1000, the same on every run. */
const h = (n: string, salt: number) => `mod(abs(hashint4(${n} * 7919 + ${salt})), 1000)`;

export function weekOfHistorySql(runs = HISTORY_RUNS): string[] {
  return [
    `insert into users (id, email, name, password_hash, role) values
       (gen_random_uuid(), 'quinn@example.com', 'Quinn Quick', 'history-account-cannot-sign-in', 'reviewer'),
       (gen_random_uuid(), 'history-customer-1@example.com', 'History customer 1', 'history-account-cannot-sign-in', 'user'),
       (gen_random_uuid(), 'history-customer-2@example.com', 'History customer 2', 'history-account-cannot-sign-in', 'user'),
       (gen_random_uuid(), 'history-customer-3@example.com', 'History customer 3', 'history-account-cannot-sign-in', 'user')
     on conflict (email) do nothing`,
    `insert into agent_configs (id, agent, version, settings, reason, created_by_id, created_at)
       select gen_random_uuid(), 'refunds', v, '{}'::jsonb, r, (select id from users where email = 'admin@example.com'), timezone('UTC', now()) - d
       from (values (1, 'Seeded history: the settings the week started with', interval '8 days'),
                    (2, 'Seeded history: longer refund explanations (a cost spike followed)', interval '2 days 4 hours')) as x(v, r, d)
     on conflict (agent, version) do nothing`,
    // One row per run with everything the inserts below derive from it.
    `create temporary table history on commit drop as
     with base as (
       select n, gen_random_uuid() as run_id, gen_random_uuid() as call_id, gen_random_uuid() as approval_id, gen_random_uuid() as lookup_id,
         timezone('UTC', now()) - interval '7 days' + (n::float8 / ${runs}) * (interval '7 days' - interval '40 minutes') + (${h("n", 1)} - 500) * interval '200 milliseconds' as created_at,
         case when ${h("n", 2)} < 450 then 'refunds' when ${h("n", 2)} < 650 then 'accounts' when ${h("n", 2)} < 900 then 'support' else 'shipping' end as agent,
         ${h("n", 3)} as r3, ${h("n", 4)} as r4, ${h("n", 5)} as r5, ${h("n", 6)} as r6, ${h("n", 7)} as r7
       from generate_series(1, ${runs}) n
     ), shaped as (
       select b.*,
         b.created_at between timezone('UTC', now()) - interval '2 days 3 hours' and timezone('UTC', now()) - interval '2 days' and b.agent = 'refunds' as spike,
         b.created_at between timezone('UTC', now()) - interval '4 days 2 hours' and timezone('UTC', now()) - interval '4 days' and b.agent = 'accounts' as outage,
         case b.agent when 'refunds' then (case when b.r3 < 600 then 'issue_refund' when b.r3 < 900 then 'add_order_note' end)
                      when 'accounts' then (case when b.r3 < 550 then 'send_password_reset' end)
                      when 'support' then (case when b.r3 < 450 then 'send_email' end)
                      else (case when b.r3 < 300 then 'reschedule_delivery' end) end as parked_tool,
         case b.agent when 'refunds' then 'lookup_order' when 'accounts' then 'lookup_customer' when 'support' then 'search_policies' else 'track_shipment' end as lookup_tool
       from base b
     )
     select s.*,
       case when s.agent = 'refunds' and s.created_at >= timezone('UTC', now()) - interval '2 days 4 hours' then 2 when s.agent = 'refunds' then 1 end as version,
       case when s.outage and s.r4 < 600 then 'failed'
            when s.spike and s.r4 < 250 then 'terminated:cost_budget'
            when s.parked_tool is null and s.r4 < 30 then 'failed'
            when s.parked_tool is null and s.r4 < 45 then 'terminated:deadline'
            when s.parked_tool is null and s.r4 < 55 then 'terminated:token_budget'
            when s.parked_tool is null and s.r4 < 62 then 'terminated:loop'
            when s.parked_tool is null and s.r4 < 95 then 'escalated'
            else 'completed' end as ending,
       (case when s.spike then 180000 + s.r5 * 300 else (case s.agent when 'refunds' then 8000 when 'accounts' then 4000 when 'support' then 6000 else 5000 end) + s.r5 * 20 end)::int as cost,
       (case when s.spike then 40000 + s.r5 * 60 else 2500 + s.r5 * 4 end)::int as tokens,
       -- the reviewer: Quinn rubber-stamps a third, Riley and Robin take their time
       case when s.r6 < 340 then 'quinn@example.com' when s.r6 < 700 then 'reviewer@example.com' else 'reviewer2@example.com' end as reviewer,
       case when s.r6 < 340 then 2 + s.r7 % 5 else 25 + s.r7 % 160 end as review_seconds,
       20 + (s.r7 * 37) % 900 as wait_seconds,
       case when s.parked_tool is null then null
            when s.r5 < 15 then 'expired'
            when s.r6 < 340 then (case when s.r7 < 990 then 'approved' else 'rejected' end)
            when s.parked_tool in ('add_order_note', 'send_password_reset') then (case when s.r7 < 992 then 'approved' else 'rejected' end)
            when s.r7 < 110 then 'rejected' when s.r7 < 230 then 'edited' else 'approved' end as decision
     from shaped s`,
    `insert into conversations (id, user_id, created_at)
       select gen_random_uuid(), u.id, timezone('UTC', now()) - interval '8 days' from users u where u.email like 'history-customer-%@example.com'
       and not exists (select 1 from conversations c where c.user_id = u.id)`,
    `insert into runs (id, conversation_id, user_id, request, agent, intent, intent_confidence, status, status_reason, iterations, input_tokens, output_tokens, cost_micros, model_provider, agent_version, deadline_at, created_at, updated_at, finished_at)
       select h.run_id, c.id, c.user_id, format('[${HISTORY_MARKER}] %s request %s', initcap(h.agent), h.n), h.agent,
         case h.agent when 'refunds' then 'refund_request' when 'accounts' then 'account_support' when 'support' then 'general_enquiry' else 'shipping_query' end, 0.9,
         (case when h.ending like 'terminated%' or h.ending = 'escalated' and h.parked_tool is not null then 'terminated' when h.ending = 'failed' then 'failed' else 'completed' end)::"RunStatus",
         case when h.ending = 'failed' then 'model_error: rate_limited: the provider answered 429'
              when h.ending = 'terminated:cost_budget' then 'cost_budget: Spent $0.5000 of $0.5000'
              when h.ending = 'terminated:deadline' then 'deadline: Ran past its 60s deadline'
              when h.ending = 'terminated:token_budget' then 'token_budget: Used 60000 of 60000 tokens'
              when h.ending = 'terminated:loop' then 'loop: repeated_call: the same call three times' end,
         3 + h.r7 % 4, (h.tokens * 0.8)::int, (h.tokens * 0.2)::int, h.cost, 'offline', h.version,
         h.created_at + interval '60 seconds', h.created_at, f.finished_at, f.finished_at
       from history h
       join lateral (select id, user_id from conversations where user_id = (select id from users where email = format('history-customer-%s@example.com', 1 + h.n % 3)) limit 1) c on true
       cross join lateral (select h.created_at + (case when h.parked_tool is not null and h.decision is not null then (h.wait_seconds + h.review_seconds + 3 + h.r5 % 4) * interval '1 second'
                                                       when h.ending = 'terminated:deadline' then interval '61 seconds'
                                                       when h.spike then (8 + h.r5 % 20) * interval '1 second'
                                                       else (1.5 + (h.r5 % 90) / 10.0) * interval '1 second' + (case when h.r4 > 960 then interval '12 seconds' else interval '0' end) end) as finished_at) f`,
    `insert into tool_calls (id, run_id, tool_use_id, turn, tool, irreversible, arguments, args_hash, status, idempotency_key, attempts, created_at, updated_at)
       select h.lookup_id, h.run_id, 'toolu_hist_l' || h.n, 1, h.lookup_tool, false, jsonb_build_object('ref', h.n), md5('l' || h.n),
         (case when h.outage and h.ending = 'failed' or h.r5 > 985 then 'failed' else 'succeeded' end)::"ToolCallStatus", 'hist-l-' || h.run_id, 1, h.created_at + interval '1 second', h.created_at + interval '2 seconds'
       from history h
     union all
       select h.call_id, h.run_id, 'toolu_hist_p' || h.n, 2, h.parked_tool, h.parked_tool <> 'add_order_note', jsonb_build_object('ref', h.n), md5('p' || h.n),
         (case h.decision when 'expired' then 'expired' when 'rejected' then 'rejected' else 'succeeded' end)::"ToolCallStatus", 'hist-p-' || h.run_id, 1, h.created_at + interval '3 seconds', h.created_at + interval '3 seconds'
       from history h where h.parked_tool is not null`,
    `insert into approvals (id, tool_call_id, run_id, agent, tool, status, reasons, reason_codes, proposed_arguments, proposed_hash, approved_arguments, approved_hash, decided_by_id, decided_at, decision_reason, expires_at, created_at)
       select h.approval_id, h.call_id, h.run_id, h.agent, h.parked_tool,
         (case h.decision when 'edited' then 'approved' else h.decision end)::"ApprovalStatus",
         case when h.parked_tool = 'add_order_note' then '["The model stated a confidence below the threshold"]'::jsonb else '["Irreversible: a person must confirm it"]'::jsonb end,
         case when h.parked_tool = 'add_order_note' then array['low_confidence'] else array['irreversible'] end,
         jsonb_build_object('ref', h.n), md5('p' || h.n),
         case when h.decision in ('approved', 'edited') then jsonb_build_object('ref', h.n, 'edited', h.decision = 'edited') end,
         case when h.decision = 'approved' then md5('p' || h.n) when h.decision = 'edited' then md5('e' || h.n) end,
         case when h.decision <> 'expired' then (select id from users where email = h.reviewer) end,
         h.created_at + (3 + h.wait_seconds + h.review_seconds) * interval '1 second',
         case when h.decision = 'rejected' then 'Not supported by the order history' when h.decision = 'expired' then 'the approval expired' end,
         h.created_at + interval '1 day', h.created_at + interval '3 seconds'
       from history h where h.parked_tool is not null`,
    `insert into approval_opens (approval_id, user_id, opened_at)
       select h.approval_id, u.id, h.created_at + (3 + h.wait_seconds) * interval '1 second'
       from history h join users u on u.email = h.reviewer where h.parked_tool is not null and h.decision <> 'expired'`,
    `insert into follow_ups (id, run_id, reason, status, created_at, answered_by_id, answered_at)
       select gen_random_uuid(), h.run_id, case when h.ending = 'escalated' then 'handed off by the agent: needs a person' else h.ending || ': seeded history' end,
         (case when h.created_at > timezone('UTC', now()) - interval '1 day' and h.r7 < 400 then 'open' else 'answered' end)::"FollowUpStatus",
         h.created_at + interval '10 seconds',
         case when not (h.created_at > timezone('UTC', now()) - interval '1 day' and h.r7 < 400) then (select id from users where email = 'reviewer@example.com') end,
         case when not (h.created_at > timezone('UTC', now()) - interval '1 day' and h.r7 < 400) then h.created_at + interval '2 hours' end
       from history h where h.ending <> 'completed' or h.decision = 'expired'`,
  ];
}

/** True when the database holds no run at all: the demo then seeds the week on first start. */
export const NO_RUNS_SQL = `select not exists (select 1 from runs) as fresh`;

export const ALREADY_SEEDED_SQL = `select exists (select 1 from runs where request like '[${HISTORY_MARKER}]%') as seeded`;

type SqlClient = {
  $queryRawUnsafe: <T>(sql: string) => Promise<T>;
  $transaction: <T>(
    work: (tx: { $executeRawUnsafe: (sql: string) => Promise<number> }) => Promise<T>,
    options?: { timeout?: number },
  ) => Promise<T>;
};

/** Seeds the week once (a second call finds it and does nothing). True when it seeded. */
export async function seedWeekOfHistory(db: SqlClient): Promise<boolean> {
  const [row] = await db.$queryRawUnsafe<{ seeded: boolean }[]>(ALREADY_SEEDED_SQL);
  if (row?.seeded) return false;
  await db.$transaction(
    async (tx) => {
      for (const statement of weekOfHistorySql()) await tx.$executeRawUnsafe(statement);
    },
    { timeout: 60_000 },
  );
  return true;
}
