import { randomUUID } from "node:crypto";
import { expect, test, type Browser, type Page } from "@playwright/test";
import bcrypt from "bcryptjs";
import { withDatabase } from "./database";
import { askInChat, openInboxItem, parkedMessage, PASSWORD, personaPage, signIn } from "./helpers";
import { startSecondApp, whileFirstAppPaused, type SecondApp } from "./support/second-app";
import { recordStreamArrivals, streamArrivalsBetween, watchForText } from "./support/page-clock";
import { allowTurnsPerMinute } from "./support/turn-limit";

// Two app processes, one PostgreSQL: the customer chats on process A (the one
// playwright.config.ts starts), two reviewers decide a four-eyes refund on process B, and the
// customer's open thread on A shows the outcome without a reload, pushed through A's stream from
// the database's NOTIFY. Then B is killed with SIGKILL while its worker holds a run in the middle
// of a refund: A's workers finish that run once B's lease is found dead, exactly once, and A keeps
// taking decisions.

const RULE_NAME = "Refunds over €100 need two people (two-processes spec)";
/** The bar for a decision to reach the other process's customer; printed, not asserted. */
const TARGET_MS = 1_000;
/**
 * What the assertion allows: half the chat's 30 s safety-net poll, so a thread that was not pushed
 * the decision fails, while a busy 2-core CI machine (1.9 s seen at load average 22) passes.
 */
const CEILING_MS = 15_000;
/**
 * Tries at catching B's worker holding the run. A is paused while B decides (whileFirstAppPaused),
 * so B's worker is the only one to take the run, and the first try catches it. Without the pause
 * (its server not found), A's workers, woken by the decision's NOTIFY, race B's own worker: A won
 * 5 of 10 tries on a quiet machine and 8 of 8 on a loaded CI machine, each miss a stalled try of
 * about 8 s.
 */
const KILL_ATTEMPTS = 20;

const customer = {
  email: `two-${randomUUID().slice(0, 8)}@example.com`,
  id: `cus_t${randomUUID().slice(0, 8)}`,
};
let policyInForce: unknown;
let restoreTurnLimit: (() => Promise<void>) | undefined;
let appB: SecondApp | undefined;

const query = <T extends object>(text: string, values: unknown[] = []) =>
  withDatabase(async (client) => (await client.query<T>(text, values)).rows);

async function newOrder(totalCents: number): Promise<number> {
  for (;;) {
    const id = 800_000 + Math.floor(Math.random() * 99_999);
    const inserted = await query<{ id: number }>(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       values ($1, $2, 'delivered', 'EUR', $3, $4::jsonb, now()) on conflict do nothing returning id`,
      [id, customer.id, totalCents, JSON.stringify([{ sku: "TWO-01", qty: 1, cents: totalCents }])],
    );
    if (inserted.length === 1) return id;
  }
}

test.beforeAll(async () => {
  const hash = await bcrypt.hash(PASSWORD, 4);
  await query(
    `insert into users (id, email, name, password_hash, role) values (gen_random_uuid(), $1, 'Toni Two', $2, 'user')`,
    [customer.email, hash],
  );
  await query(`insert into shop_customers (id, email, name) values ($1, $2, 'Toni Two')`, [
    customer.id,
    customer.email,
  ]);
  // A refund over €100 needs two reviewers while this spec runs; the rules in force before come back after it.
  const [latest] = await query<{ document: unknown }>(
    `select document from policy_versions order by version desc limit 1`,
  );
  policyInForce = latest?.document ?? { rules: [] };
  const document = {
    rules: [
      {
        id: "two-processes-two-above-100",
        name: RULE_NAME,
        enabled: true,
        tools: ["issue_refund"],
        when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
        effect: { approvals: 2 },
      },
    ],
  };
  await query(
    `insert into policy_versions (version, document, reason, created_by_email)
     select coalesce(max(version), 0) + 1, $1::jsonb, 'two-processes spec', 'admin@example.com' from policy_versions`,
    [JSON.stringify(document)],
  );
  // Each try at the kill parks one more refund: more turns a minute than the default limit may allow.
  restoreTurnLimit = await allowTurnsPerMinute(600, "two-processes spec");
  appB = await startSecondApp({
    // A short lease, so a run held by a killed B is free within seconds even if its death went unseen.
    COUNTERSIGN_LEASE_MS: "5000",
  });
});

test.afterAll(async () => {
  await appB?.kill();
  await restoreTurnLimit?.();
  await query(`delete from shop_faults where operation = 'issue_refund'`);
  await query(
    `insert into policy_versions (version, document, reason, created_by_email)
     select max(version) + 1, $1::jsonb, 'two-processes spec done', 'admin@example.com' from policy_versions`,
    [JSON.stringify(policyInForce)],
  );
});

/** A browser context of its own on app B, signed in as `email`. */
async function personaOnB(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: appB!.url })).newPage();
  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

/**
 * Approves the open inbox item; resolves with when the decision's response began (browser clock,
 * ms since the epoch): a server action's headers come once the action has run and committed.
 */
async function approveAndTime(reviewer: Page): Promise<number> {
  const answered = reviewer.waitForResponse(
    (response) =>
      response.request().method() === "POST" && !!response.request().headers()["next-action"],
  );
  await reviewer.getByRole("button", { name: "Approve", exact: true }).click();
  const timing = (await answered).request().timing();
  return timing.startTime + timing.responseStart;
}

const doneLine = (order: number, amount: string) =>
  new RegExp(`Our team approved a refund of €${amount} for order ${order}, and it's done`);

async function parkRefund(page: Page, totalCents: number): Promise<number> {
  const order = await newOrder(totalCents);
  await askInChat(page, `Order ${order} arrived broken, I want my money back`);
  await expect(parkedMessage(page, order)).toBeVisible({ timeout: 30_000 });
  return order;
}

const refundsOf = async (order: number) =>
  (
    await query<{ amount_cents: number }>(
      `select amount_cents from shop_refunds where order_id = $1`,
      [order],
    )
  ).map((r) => r.amount_cents);

test("a decision on one app process reaches the customer's open thread on the other, and a SIGKILL of one loses nothing", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  const onA = await personaPage(browser, customer.email);
  await recordStreamArrivals(onA);
  await onA.goto("/chat");
  await expect(onA.getByLabel("Message")).toBeEnabled();

  // ── Four eyes on B, the customer on A ──
  const order = await parkRefund(onA, 15_000);
  const first = await personaOnB(browser, "reviewer@example.com");
  await openInboxItem(first, order);
  await first.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(
    first.getByRole("status").filter({ hasText: "Your approval is counted (1 of 2)" }),
  ).toBeVisible();

  const second = await personaOnB(browser, "reviewer2@example.com");
  await openInboxItem(second, order);
  // The second reviewer sees the first one's decision, taken on the same process a moment ago.
  await expect(second.getByRole("region", { name: "What the policy asks" })).toContainText(
    "1 of 2 approvals · given by reviewer@example.com",
  );
  const seen = await watchForText(onA, doneLine(order, "150\\.00"));
  const decidedAt = await approveAndTime(second);
  await expect(second.getByRole("status").first()).toContainText(/approved/i);
  const seenAt = await seen(30_000);
  const latency = Math.round(seenAt - decidedAt);
  // Where that time went: the resumed run's first event (its worker took it) and its last one.
  const events = await streamArrivalsBetween(onA, decidedAt, seenAt);
  const after = (at: number | undefined) =>
    at === undefined ? "none" : `${Math.round(at - decidedAt)} ms`;
  console.log(
    `two processes: the decision on B reached the customer's thread on A ${latency} ms after its response (target ${TARGET_MS} ms, asserted ≤ ${CEILING_MS} ms); A's stream brought ${events.length} events, the first ${after(events[0])} and the last ${after(events.at(-1))} after the response`,
  );
  expect(latency).toBeLessThanOrEqual(CEILING_MS);
  expect(events.length).toBeGreaterThan(0); // brought by A's stream, not a reload or a poll
  expect(await refundsOf(order)).toEqual([15_000]);

  // ── SIGKILL of B while its worker holds a run in the middle of a refund ──
  // The shop stalls the next refund (once), so the worker that carries the approved call out
  // holds the run's lease for seconds: long enough to catch it and kill its process.
  let killed: { order: number; runId: string; at: number } | undefined;
  for (let attempt = 1; attempt <= KILL_ATTEMPTS && !killed; attempt++) {
    const next = await parkRefund(onA, 4_990);
    await query(
      `insert into shop_faults (operation, mode, remaining, updated_at) values ('issue_refund', 'stall', 1, now())
       on conflict (operation) do update set mode = 'stall', remaining = 1, updated_at = now()`,
    );
    await openInboxItem(first, next);
    const decideOnB = async () => {
      await first.getByRole("button", { name: "Approve", exact: true }).click();
      const [holder] = await pollRows(`the refund of order ${next} never ran`, () =>
        query<{ run_id: string; lease_owner: string }>(
          `select r.id as run_id, r.lease_owner from runs r join tool_calls c on c.run_id = r.id
           where c.tool = 'issue_refund' and c.status = 'executing' and r.lease_owner is not null
             and (c.arguments->>'order_id')::int = $1`,
          [next],
        ),
      );
      const pid = Number(holder!.lease_owner.split(":")[1]);
      if (!appB!.owns(pid)) return;
      await appB!.kill();
      killed = { order: next, runId: holder!.run_id, at: Date.now() };
    };
    // A paused meanwhile: B's worker is the only one left to take the approved call.
    if (!(await whileFirstAppPaused(decideOnB))) await decideOnB();
    if (!killed) {
      // A's worker took this one: it finishes it after the stalled attempt times out; try again.
      console.log(`two processes: attempt ${attempt}, A's worker took the run; trying again`);
      await expect(onA.getByText(doneLine(next, "49\\.90"))).toBeVisible({ timeout: 60_000 });
      expect(await refundsOf(next)).toEqual([4_990]);
    }
  }
  expect(killed, "B's worker never held a decided run").toBeDefined();

  // A finishes the run B held, once, and its customer reads it without a reload.
  await expect(onA.getByText(doneLine(killed!.order, "49\\.90"))).toBeVisible({
    timeout: 60_000,
  });
  console.log(
    `two processes: A finished the run B held ${Date.now() - killed!.at} ms after B's SIGKILL`,
  );
  expect(await refundsOf(killed!.order)).toEqual([4_990]);
  const [run] = await query<{ status: string; resumed: number }>(
    `select status, (select count(*)::int from trace_events e where e.run_id = r.id and e.kind = 'watchdog') as resumed
     from runs r where id = $1`,
    [killed!.runId],
  );
  expect(run).toEqual({ status: "completed", resumed: expect.any(Number) });
  expect(run!.resumed).toBeGreaterThan(0);

  // A carries on: the next decision, taken on A, works as before.
  const last = await parkRefund(onA, 4_990);
  const reviewerOnA = await personaPage(browser, "reviewer@example.com");
  await openInboxItem(reviewerOnA, last);
  await reviewerOnA.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(onA.getByText(doneLine(last, "49\\.90"))).toBeVisible({ timeout: 30_000 });
  expect(await refundsOf(last)).toEqual([4_990]);
});

/** Reads until the query returns a row (within 30 s); a failure says what B printed last. */
async function pollRows<T>(what: string, read: () => Promise<T[]>): Promise<T[]> {
  let rows: T[] = [];
  try {
    await expect
      .poll(async () => (rows = await read()).length, { timeout: 30_000, intervals: [50] })
      .toBeGreaterThan(0);
  } catch (error) {
    throw new Error(`${what}; app B's last output:\n${appB?.output().slice(-2_000)}`, {
      cause: error,
    });
  }
  return rows;
}
