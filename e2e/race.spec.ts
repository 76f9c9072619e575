import { expect, test, type Page } from "@playwright/test";
import { withDatabase } from "./database";
import { askInChat, parkedMessage, personaPage } from "./helpers";

// 50 decisions on one parked refund, at once, from two reviewers' sessions over the HTTP API:
// exactly one wins, every other request is told who decided and when, and the shop refunds at
// most once. Orders 2100–2199 are this spec's own (created here, for user@example.com).

const TOTAL_CENTS = 3150;
const CONCURRENT_REQUESTS = 50;

/** A delivered, paid order of user@example.com (customer cus_ada) with the first free number from 2100. */
async function createOrder(): Promise<number> {
  return withDatabase(async (client) => {
    const { rows } = await client.query<{ id: number }>(
      `insert into shop_orders (id, customer_id, status, currency, total_cents, items, placed_at)
       select min(n), 'cus_ada', 'delivered', 'EUR', $1::int, $2::jsonb, timezone('UTC', now()) - interval '3 days'
       from generate_series(2100, 2199) n where not exists (select 1 from shop_orders o where o.id = n)
       returning id`,
      [
        TOTAL_CENTS,
        JSON.stringify([{ sku: "RACE-01", name: "Glass vase", qty: 1, cents: TOTAL_CENTS }]),
      ],
    );
    const id = rows[0]!.id;
    await client.query(
      `insert into shop_payments (id, order_id, amount_cents, method, status, created_at) values ($1, $2, $3, 'card', 'captured', timezone('UTC', now()))`,
      [`pay_${id}`, id, TOTAL_CENTS],
    );
    return id;
  });
}

async function pendingRefundApproval(orderId: number): Promise<string> {
  return withDatabase(async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `select id from approvals where status = 'pending' and tool = 'issue_refund' and (proposed_arguments->>'order_id')::int = $1`,
      [orderId],
    );
    expect(rows, `one pending refund approval for order ${orderId}`).toHaveLength(1);
    return rows[0]!.id;
  });
}

async function shopAndDecisionRecords(orderId: number, approvalId: string) {
  return withDatabase(async (client) => {
    const refunds = await client.query(`select id from shop_refunds where order_id = $1`, [
      orderId,
    ]);
    const decisions = await client.query(
      `select e.id from trace_events e join approvals a on a.run_id = e.run_id where a.id = $1 and e.kind = 'decision'`,
      [approvalId],
    );
    const approval = await client.query<{ status: string; email: string | null }>(
      `select a.status, u.email from approvals a left join users u on u.id = a.decided_by_id where a.id = $1`,
      [approvalId],
    );
    return {
      refunds: refunds.rowCount ?? 0,
      decisionEvents: decisions.rowCount ?? 0,
      approval: approval.rows[0]!,
    };
  });
}

type Outcome = {
  status: number;
  body: {
    status?: string;
    decidedBy?: string;
    decidedAt?: string;
    error?: { code: string; message: string; details?: Record<string, unknown> };
  };
};

test("50 concurrent decisions on one item: one wins, 49 are told who decided, the shop refunds at most once", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const orderId = await createOrder();
  const customer = await personaPage(browser, "user@example.com");
  await askInChat(customer, `Order ${orderId} arrived broken, I want my money back`);
  // The conversation is shared with other specs: wait for the message about this order.
  await expect(parkedMessage(customer, orderId)).toBeVisible();
  const approvalId = await pendingRefundApproval(orderId);

  const reviewers: Page[] = [
    await personaPage(browser, "reviewer@example.com"),
    await personaPage(browser, "reviewer2@example.com"),
  ];
  // Alternating reviewers; every third request rejects; each body is sent many times over.
  const requests = Array.from({ length: CONCURRENT_REQUESTS }, (_, i) => ({
    reviewer: reviewers[i % 2]!,
    data:
      i % 3 === 0
        ? { decision: "reject", reason: "Race test: the vase was insured" }
        : { decision: "approve" },
  }));
  const outcomes: Outcome[] = await Promise.all(
    requests.map(async ({ reviewer, data }) => {
      const response = await reviewer.request.post(`/api/v1/approvals/${approvalId}/decision`, {
        data,
      });
      return { status: response.status(), body: await response.json() };
    }),
  );

  const histogram: Record<number, number> = {};
  for (const { status } of outcomes) histogram[status] = (histogram[status] ?? 0) + 1;
  console.log(`race on approval ${approvalId}: status histogram ${JSON.stringify(histogram)}`);
  expect(histogram).toEqual({ 200: 1, 409: CONCURRENT_REQUESTS - 1 });

  const winner = outcomes.find((o) => o.status === 200)!.body;
  console.log(`winner: ${winner.status} by ${winner.decidedBy} at ${winner.decidedAt}`);
  expect(winner.status).toMatch(/^(approved|rejected)$/);
  expect(winner.decidedBy).toMatch(/^reviewer2?@example\.com$/);
  // Every loser is told, in words, who decided and when; the facts are in the details for clients.
  const name = winner.decidedBy === "reviewer@example.com" ? "Riley Reviewer" : "Robin Reviewer";
  const alreadyDecided = new RegExp(
    `^${name} ${winner.status} it \\d+ s ago; nothing else was decided\\.$`,
  );
  for (const loser of outcomes.filter((o) => o.status === 409)) {
    expect(loser.body.error).toEqual(
      expect.objectContaining({ code: "conflict", message: expect.stringMatching(alreadyDecided) }),
    );
    expect(loser.body.error?.details).toMatchObject({
      status: winner.status,
      decidedBy: winner.decidedBy,
      decidedAt: winner.decidedAt,
    });
  }

  // The user is told the outcome, and the order shows exactly what happened in the shop.
  const approved = winner.status === "approved";
  const paid = "€31.50";
  if (approved) {
    await expect(
      customer.getByText(new RegExp(`${paid} has been refunded for order ${orderId}`)),
    ).toBeVisible({ timeout: 30_000 });
  } else {
    await expect(
      customer.getByText(
        new RegExp(
          `did not approve a refund of ${paid} for order ${orderId}\\. Their reason: “Race test: the vase was insured”`,
        ),
      ),
    ).toBeVisible({
      timeout: 30_000,
    });
  }
  await askInChat(customer, `What is the payment status of order ${orderId}?`);
  await expect(
    customer.getByText(
      `Order ${orderId} is delivered; you paid ${paid} and ${approved ? paid : "€0.00"} has been refunded so far.`,
    ),
  ).toBeVisible({
    timeout: 30_000,
  });

  const records = await shopAndDecisionRecords(orderId, approvalId);
  expect(records).toEqual({
    refunds: approved ? 1 : 0,
    decisionEvents: 1,
    approval: { status: winner.status, email: winner.decidedBy },
  });
});
