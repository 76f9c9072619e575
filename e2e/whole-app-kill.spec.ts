import { spawn, type ChildProcess } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, signIn } from "./helpers";

// The whole app — launcher, web server with its in-process workers, and its embedded PostgreSQL —
// killed with SIGKILL at a random moment while reviewers' edit-and-approve decisions are in
// flight, then restarted the way it was started (`npm run demo`), trial after trial. Checked
// against the database and the shop: every decision answered 2xx is executed exactly once with
// the approved arguments (none lost, none doubled), a decision whose answer was lost is either
// executed the same way or was never recorded, and no customer is told something the shop's
// records contradict. A separate app of its own (port, data directory, database), beside the
// one the other specs use.

const PORT = Number(process.env.KILL_PORT ?? 3150);
const PG_PORT = Number(process.env.KILL_PG_PORT ?? 25444);
const BASE_URL = `http://localhost:${PORT}`;
const DB_NAME = `kill_${Date.now()}`;
const DATABASE_URL = `postgresql://countersign:countersign-local@127.0.0.1:${PG_PORT}/${DB_NAME}`;
const TRIALS = Number(process.env.KILL_TRIALS ?? 8);
const ITEMS_PER_TRIAL = 5;
/** A killed run must be resumed within this long of the restart (the bar). */
const RECOVERY_BUDGET_MS = 30_000;
const TOTAL_CENTS = 4_000;

type Item = {
  orderId: number;
  runId: string;
  approvalId: string;
  proposedHash: string;
  editedCents: number;
  answer?: number | "no answer";
};

let app: ChildProcess | undefined;
let appOutput = "";

async function startApp(): Promise<void> {
  appOutput = "";
  app = spawn("tsx", ["scripts/demo.ts"], {
    // A process group of its own, so one kill reaches the launcher, Next.js and PostgreSQL at once.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(PORT),
      COUNTERSIGN_DATA_DIR: ".data/kill",
      EMBEDDED_PG_PORT: String(PG_PORT),
      COUNTERSIGN_DB_NAME: DB_NAME,
      NEXTAUTH_URL: BASE_URL,
    },
  });
  const keep = (chunk: Buffer) => (appOutput = (appOutput + chunk.toString("utf8")).slice(-20_000));
  app.stdout!.on("data", keep);
  app.stderr!.on("data", keep);
  const deadline = Date.now() + 240_000;
  for (;;) {
    const healthy = await fetch(`${BASE_URL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) return;
    if (app.exitCode !== null || Date.now() > deadline)
      throw new Error(`the app did not start:\n${appOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGKILL to the app's whole process group, then wait until every process in it is gone. */
async function killApp(): Promise<void> {
  const pgid = app!.pid!;
  process.kill(-pgid, "SIGKILL");
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the app's processes outlived SIGKILL");
}

const query = <T extends object>(text: string, values: unknown[] = []) =>
  withDatabase(async (c) => (await c.query<T>(text, values)).rows, DATABASE_URL);

async function createOrder(): Promise<number> {
  const [row] = await query<{ id: number }>(
    `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
     select coalesce(max(id), 70000) + 1, 'cus_ada', 'delivered', 'EUR', $1::int, $2::jsonb, now() - interval '3 days'
     from shop_orders where id between 70000 and 79999 returning id`,
    [TOTAL_CENTS, JSON.stringify([{ sku: "KILL-01", name: "Teapot", qty: 1, cents: TOTAL_CENTS }])],
  );
  await query(
    `insert into shop_payments (id, order_id, amount_cents, method, status, created_at) values ($1, $2, $3, 'card', 'captured', now())`,
    [`pay_${row!.id}`, row!.id, TOTAL_CENTS],
  );
  return row!.id;
}

/** A refund the customer asks for in the chat, parked by the agent for a reviewer. */
async function parkRefund(customer: Page): Promise<Item> {
  const orderId = await createOrder();
  await askInChat(customer, `Order ${orderId} arrived broken, I want my money back`);
  await expect
    .poll(
      async () =>
        (
          await query(
            `select 1 from approvals where status = 'pending' and (proposed_arguments->>'order_id')::int = $1`,
            [orderId],
          )
        ).length,
      // Expect's default backs off to a poll a second: forty parks each waited up to that long.
      { timeout: 30_000, intervals: [100] },
    )
    .toBe(1);
  const [approval] = await query<{ id: string; run_id: string; proposed_hash: string }>(
    `select id, run_id, proposed_hash from approvals where (proposed_arguments->>'order_id')::int = $1`,
    [orderId],
  );
  return {
    orderId,
    runId: approval!.run_id,
    approvalId: approval!.id,
    proposedHash: approval!.proposed_hash,
    editedCents: TOTAL_CENTS - 500,
  };
}

async function decide(reviewer: Page, item: Item): Promise<void> {
  try {
    const response = await reviewer.request.post(`/api/v1/approvals/${item.approvalId}/decision`, {
      headers: { origin: BASE_URL },
      data: {
        decision: "edit",
        expectedHash: item.proposedHash,
        reason: "partial refund",
        arguments: {
          order_id: item.orderId,
          amount_cents: item.editedCents,
          reason: "Arrived broken (edited)",
        },
      },
      timeout: 10_000,
    });
    item.answer = response.status();
  } catch {
    item.answer = "no answer";
  }
}

type Facts = {
  approval: string;
  run: string;
  calls: Array<{ status: string; arguments: { amount_cents?: number } }>;
  refunds: number[];
  messages: string[];
};

async function factsOf(item: Item): Promise<Facts> {
  const [approval] = await query<{ status: string }>(`select status from approvals where id = $1`, [
    item.approvalId,
  ]);
  const [run] = await query<{ status: string }>(`select status from runs where id = $1`, [
    item.runId,
  ]);
  const calls = await query<Facts["calls"][number]>(
    `select status, arguments from tool_calls where run_id = $1 and tool = 'issue_refund'`,
    [item.runId],
  );
  const refunds = await query<{ amount_cents: number }>(
    `select amount_cents from shop_refunds where order_id = $1`,
    [item.orderId],
  );
  const messages = await query<{ text: string }>(
    `select text from messages where run_id = $1 and author = 'assistant' order by created_at`,
    [item.runId],
  );
  return {
    approval: approval!.status,
    run: run!.status,
    calls,
    refunds: refunds.map((r) => r.amount_cents),
    messages: messages.map((m) => m.text),
  };
}

const settled = (f: Facts) =>
  f.approval === "pending" || ["completed", "failed", "terminated", "cancelled"].includes(f.run);

/** A browser context of its own on this spec's app, signed in as `email`. */
async function persona(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ baseURL: BASE_URL })).newPage();
  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  return page;
}

test.afterAll(async () => {
  if (app?.pid && app.exitCode === null) await killApp().catch(() => {});
});

test("a SIGKILL of the whole app while decisions are in flight loses no approved decision and tells no customer anything false", async ({
  browser,
}) => {
  test.setTimeout(TRIALS * 120_000 + 300_000);
  await startApp();
  // This spec sends many turns a minute from one customer: per-user spend limits are not what it tests.
  await query(
    `insert into workspace_limits (version, settings, reason) select coalesce(max(version), 0) + 1, $1::jsonb, 'whole-app kill spec: wide limits' from workspace_limits`,
    [
      JSON.stringify({
        maxRunsInFlight: 50,
        maxTurnsPerMinute: 600,
        userDailyBudgetMicros: 1_000_000_000,
      }),
    ],
  );
  const customer = await persona(browser, "user@example.com");
  const reviewer = await persona(browser, "reviewer@example.com");
  const recoveries: number[] = [];
  const tally = {
    decisions: 0,
    answered2xx: 0,
    unanswered: 0,
    committedUnanswered: 0,
    executed: 0,
  };

  for (let trial = 1; trial <= TRIALS; trial++) {
    await customer.goto("/chat");
    await expect(customer.getByLabel("Message")).toBeEnabled();
    const items: Item[] = [];
    for (let i = 0; i < ITEMS_PER_TRIAL; i++) items.push(await parkRefund(customer));

    // Decisions spread over 1.2 s; the kill lands anywhere from before the first to after the last.
    const decisions = items.map(
      (item) =>
        new Promise<void>((resolve) =>
          setTimeout(() => void decide(reviewer, item).then(resolve), Math.random() * 1_200),
        ),
    );
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 1_600));
    await killApp();
    await Promise.all(decisions);

    await startApp();
    const restarted = Date.now();
    // Every item is settled: run finished, or the decision was never recorded (still pending).
    for (const item of items) {
      await expect
        .poll(async () => settled(await factsOf(item)), {
          // Five queries a poll, while the restarted app recovers: four polls a second, not one.
          intervals: [250],
          timeout: 90_000,
          message: `trial ${trial}, order ${item.orderId}:\n${appOutput.slice(-4000)}`,
        })
        .toBe(true);
    }
    recoveries.push(Date.now() - restarted);

    for (const item of items) {
      const facts = await factsOf(item);
      const label = `trial ${trial}, order ${item.orderId} (answer ${item.answer}): ${JSON.stringify(facts)}`;
      tally.decisions++;
      if (item.answer === 200) tally.answered2xx++;
      else tally.unanswered++;
      // Never a second refund, and never one no human approved with these arguments.
      expect(facts.refunds.length, label).toBeLessThanOrEqual(1);
      const decided = facts.approval === "approved";
      // A request either got the decision's answer or none at all (the kill cut it off).
      if (item.answer !== "no answer") expect(item.answer, label).toBe(200);
      if (item.answer === 200 || decided) {
        // A recorded decision is carried out exactly once, with the edited arguments, and the customer is told.
        expect(facts.run, label).toBe("completed");
        expect(
          facts.calls.map((c) => c.status),
          label,
        ).toEqual(["succeeded"]);
        expect(facts.refunds, label).toEqual([item.editedCents]);
        expect(facts.messages.at(-1), label).toMatch(
          new RegExp(`refunded for order ${item.orderId}`),
        );
        tally.executed++;
        if (item.answer === "no answer") tally.committedUnanswered++;
      } else {
        // The decision never committed: nothing happened, the item still waits for a reviewer.
        expect(facts.approval, label).toBe("pending");
        expect(facts.refunds, label).toEqual([]);
      }
      // Whatever the customer reads agrees with the shop.
      const claimsNothing = facts.messages.some((m) =>
        /nothing irreversible was done|Nothing was refunded|nothing was refunded/.test(m),
      );
      if (facts.refunds.length) expect(claimsNothing, label).toBe(false);
      if (facts.messages.some((m) => /has been refunded/.test(m)))
        expect(facts.refunds.length, label).toBe(1);
    }
  }

  recoveries.sort((a, b) => a - b);
  const p50 = recoveries[Math.floor(recoveries.length / 2)]!;
  console.log(
    `whole-app kill: ${TRIALS} trials, ${JSON.stringify(tally)}, recovery after restart p50 ${(p50 / 1000).toFixed(1)} s, max ${(recoveries.at(-1)! / 1000).toFixed(1)} s`,
  );
  expect(recoveries.at(-1)!).toBeLessThanOrEqual(RECOVERY_BUDGET_MS);
});
