import "server-only";
import { randomUUID } from "node:crypto";
import { ToolError } from "@/lib/agent-kit";
import type { Db, Tx } from "@/lib/db";
import { atMostOnce } from "@/lib/idempotency/at-most-once";

// The demo billing service: the subscriptions agent's external system, served over HTTP by
// billing/http.ts and called in-process by the agent's sandbox. Its records live in the agent's own
// tables (migrations/); every read and write is scoped to the customer's email, and every write is
// at most once per Idempotency-Key, as a payment provider's would be.

export const BILLING_IDEMPOTENCY_SCOPE = "demo-billing";
/** A pause lasts whole months, at most three. */
export const MAX_PAUSE_MONTHS = 3;

export type Subscription = {
  subscriptionId: string;
  plan: string;
  status: "active" | "paused" | "cancelled";
  monthlyCents: number;
  currency: string;
  renewsOn: string;
  /** Credits issued in the last 30 days, and what may still be credited (at most one month's price in 30 days). */
  creditedCents: number;
  creditableCents: number;
};

const COLUMNS = `s.id as "subscriptionId", s.plan, s.status, s.monthly_cents as "monthlyCents", s.currency, s.renews_on as "renewsOn",
  coalesce((select sum(c.amount_cents) from demo_billing_credits c where c.subscription_id = s.id and c.created_at > now() - interval '30 days'), 0)::int as "creditedCents"`;

type Row = Omit<Subscription, "creditableCents">;
const view = (row: Row): Subscription => ({
  ...row,
  creditableCents: Math.max(0, row.monthlyCents - row.creditedCents),
});

export async function subscriptionsOf(db: Db, customerEmail: string): Promise<Subscription[]> {
  const rows = await db.$queryRawUnsafe<Row[]>(
    `select ${COLUMNS} from demo_billing_subscriptions s where s.customer_email = $1 order by s.id`,
    customerEmail,
  );
  return rows.map(view);
}

export async function subscriptionOf(
  db: Db | Tx,
  customerEmail: string,
  id: string,
  lock = false,
): Promise<Subscription> {
  const [row] = await db.$queryRawUnsafe<Row[]>(
    `select ${COLUMNS} from demo_billing_subscriptions s where s.id = $1 and s.customer_email = $2${lock ? " for update of s" : ""}`,
    id,
    customerEmail,
  );
  // Another customer's subscription reads exactly like a missing one: no existence oracle.
  if (!row) throw new ToolError("not_found", `No subscription ${id}`);
  return view(row);
}

const addDays = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

type Change = { customerEmail: string; subscriptionId: string; idempotencyKey: string };

function write<T extends Subscription | Credit>(
  db: Db,
  change: Change,
  operation: string,
  request: object,
  apply: (tx: Tx) => Promise<T>,
) {
  return atMostOnce<T>(
    db,
    {
      scope: BILLING_IDEMPOTENCY_SCOPE,
      key: change.idempotencyKey,
      operation,
      request: {
        ...request,
        customerEmail: change.customerEmail,
        subscriptionId: change.subscriptionId,
      },
    },
    apply,
  );
}

async function setStatus(tx: Tx, id: string, status: Subscription["status"], renewsOn: string) {
  await tx.$executeRawUnsafe(
    `update demo_billing_subscriptions set status = $1, renews_on = $2, updated_at = now() where id = $3`,
    status,
    renewsOn,
    id,
  );
}

export function pauseSubscription(db: Db, change: Change, months: number) {
  return write(db, change, "pause", { months }, async (tx) => {
    const subscription = await subscriptionOf(
      tx,
      change.customerEmail,
      change.subscriptionId,
      true,
    );
    if (subscription.status !== "active")
      throw new ToolError(
        "conflict",
        `Subscription ${subscription.subscriptionId} is ${subscription.status}, so it cannot be paused`,
      );
    if (!Number.isInteger(months) || months < 1 || months > MAX_PAUSE_MONTHS)
      throw new ToolError("invalid_arguments", `A pause lasts 1 to ${MAX_PAUSE_MONTHS} months`);
    await setStatus(tx, subscription.subscriptionId, "paused", addDays(30 * months));
    return subscriptionOf(tx, change.customerEmail, subscription.subscriptionId);
  });
}

export function cancelSubscription(db: Db, change: Change) {
  return write(db, change, "cancel", {}, async (tx) => {
    const subscription = await subscriptionOf(
      tx,
      change.customerEmail,
      change.subscriptionId,
      true,
    );
    if (subscription.status === "cancelled")
      throw new ToolError(
        "conflict",
        `Subscription ${subscription.subscriptionId} is already cancelled`,
      );
    await setStatus(tx, subscription.subscriptionId, "cancelled", subscription.renewsOn);
    return subscriptionOf(tx, change.customerEmail, subscription.subscriptionId);
  });
}

export type Credit = {
  creditId: string;
  subscriptionId: string;
  amountCents: number;
  currency: string;
  reason: string;
};

export function issueCredit(
  db: Db,
  change: Change,
  input: { amountCents: number; reason: string },
) {
  return write(db, change, "credit", input, async (tx) => {
    // Locked, so two credits with different keys cannot both pass the limit.
    const subscription = await subscriptionOf(
      tx,
      change.customerEmail,
      change.subscriptionId,
      true,
    );
    if (input.amountCents > subscription.creditableCents) {
      throw new ToolError(
        "invalid_arguments",
        `At most ${subscription.creditableCents} cents can still be credited on ${subscription.subscriptionId} (one month's price in 30 days)`,
      );
    }
    const id = `cr_${randomUUID().slice(0, 12)}`;
    await tx.$executeRawUnsafe(
      `insert into demo_billing_credits (id, subscription_id, amount_cents, reason, idempotency_key) values ($1, $2, $3, $4, $5)`,
      id,
      subscription.subscriptionId,
      input.amountCents,
      input.reason,
      change.idempotencyKey,
    );
    return {
      creditId: id,
      subscriptionId: subscription.subscriptionId,
      amountCents: input.amountCents,
      currency: subscription.currency,
      reason: input.reason,
    };
  });
}
