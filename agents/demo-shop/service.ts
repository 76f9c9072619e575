import "server-only";
import { randomUUID } from "node:crypto";
import { ToolError } from "@/lib/agent-kit";
import { db, type Db, type Tx } from "@/lib/db";
import { prepared } from "@/lib/store";
import { grouped } from "@/lib/db/group";
import { Prisma } from "@/lib/generated/prisma/client";
import { atMostOnce } from "@/lib/idempotency/at-most-once";
import { formatMoney } from "@/lib/format";
import { applyFault } from "./faults";

// The demo shop, the dependency of the demo agents (refunds, accounts, support): it behaves like
// an external system. Every read is scoped to the customer the run acts for; every write takes an
// idempotency key, enforced as a payment provider does, so a retried write returns the first result.

/** The shop's keys in the core's idempotency records. */
export const SHOP_IDEMPOTENCY_SCOPE = "demo-shop";

export type OrderView = {
  orderId: number;
  status: string;
  currency: string;
  totalCents: number;
  refundedCents: number;
  refundableCents: number;
  placedAt: string;
  items: unknown;
  payments: Array<{ id: string; amountCents: number; method: string; status: string }>;
};

export type RefundView = {
  refundId: string;
  orderId: number;
  amountCents: number;
  reason: string;
  createdAt: string;
};

/** An order's balance and the refunds issued on it (the refund tool's pre-check). */
export type RefundState = {
  orderId: number;
  currency: string;
  refundableCents: number;
  refunds: RefundView[];
};

export class Shop {
  constructor(
    private readonly db: Db,
    /** The customer the agent acts for: the signed-in end user's shop account. */
    private readonly customerEmail: string,
  ) {}

  private async customer(client: Db | Tx = this.db) {
    const customer = await client.customer.findUnique({ where: { email: this.customerEmail } });
    if (!customer)
      throw new ToolError("not_found", "No shop account is linked to this user", {
        customerMessage: "We couldn't find a shop account for you.",
      });
    return customer;
  }

  /**
   * Facts policy rules may ask about (lib/policy): the account's age in days, refunds on the
   * customer's orders in the last 30 days, and the total of the order a call names.
   */
  async facts(
    names: readonly string[],
    args: Record<string, unknown>,
  ): Promise<Record<string, number>> {
    const facts: Record<string, number> = {};
    const customer = await this.db.customer.findUnique({ where: { email: this.customerEmail } });
    if (!customer) return facts;
    if (names.includes("account_age_days"))
      facts.account_age_days = Math.floor((Date.now() - customer.createdAt.getTime()) / 86_400_000);
    if (names.includes("refunds_last_30_days")) {
      facts.refunds_last_30_days = await this.db.refund.count({
        where: {
          createdAt: { gte: new Date(Date.now() - 30 * 86_400_000) },
          order: { customerId: customer.id },
        },
      });
    }
    if (names.includes("order_total_cents") && typeof args.order_id === "number") {
      const order = await this.db.order.findFirst({
        where: { id: args.order_id, customerId: customer.id },
        select: { totalCents: true },
      });
      if (order) facts.order_total_cents = order.totalCents;
    }
    return facts;
  }

  async lookupOrder(orderId: number): Promise<OrderView> {
    await applyFault(this.db, "lookup_order");
    return this.orderView(orderId);
  }

  private async orderView(orderId: number, client: Db | Tx = this.db): Promise<OrderView> {
    const customer = await this.customer(client);
    const order = await client.order.findFirst({
      where: { id: orderId, customerId: customer.id },
      include: { payments: true, refunds: true },
    });
    // Someone else's order is reported exactly like a missing one: no existence oracle.
    if (!order) throw orderNotFound(orderId);
    const refundedCents = order.refunds.reduce((sum, r) => sum + r.amountCents, 0);
    return {
      orderId: order.id,
      status: order.status,
      currency: order.currency,
      totalCents: order.totalCents,
      refundedCents,
      refundableCents: Math.max(0, order.totalCents - refundedCents),
      placedAt: order.placedAt.toISOString(),
      items: order.items,
      payments: order.payments.map((p) => ({
        id: p.id,
        amountCents: p.amountCents,
        method: p.method,
        status: p.status,
      })),
    };
  }

  async listRefunds(orderId: number): Promise<RefundView[]> {
    await applyFault(this.db, "list_refunds");
    await this.orderView(orderId);
    const refunds = await this.db.refund.findMany({
      where: { orderId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    return refunds.map(toRefundView);
  }

  /**
   * An order's balance and its refunds in one statement, for the refund tool's pre-check at
   * decision time (the hot path of many reviewers): what lookupOrder and listRefunds together say
   * of it, without the items and payments the check does not use. A failure switch on either
   * operation fails it, as calling both would; the statement says whether one is set, so the
   * switches cost no round trip of their own while none is.
   */
  async refundState(orderId: number): Promise<RefundState> {
    const asked = { orderId, customerEmail: this.customerEmail };
    // The process's own client reads together with the other reviewers deciding at this moment.
    const { faulted, ...order } =
      this.db === db
        ? await readRefundStateGrouped(asked)
        : (await readRefundStates(this.db, [asked]))[0]!;
    if (faulted)
      await Promise.all([applyFault(this.db, "lookup_order"), applyFault(this.db, "list_refunds")]);
    // Someone else's order is reported exactly like a missing one: no existence oracle.
    if (order.orderId === null) throw orderNotFound(orderId);
    const refundedCents = order.refunds.reduce((sum, r) => sum + r.amountCents, 0);
    return {
      orderId: order.orderId,
      currency: order.currency,
      refundableCents: Math.max(0, order.totalCents - refundedCents),
      refunds: order.refunds,
    };
  }

  async issueRefund(
    input: { orderId: number; amountCents: number; reason: string },
    idempotencyKey: string,
  ): Promise<RefundView> {
    await applyFault(this.db, "issue_refund");
    return idempotent(this.db, idempotencyKey, "issue_refund", input, async (tx) => {
      // Lock the order so two refunds with different keys cannot both pass the balance check.
      await tx.$queryRaw`select id from shop_orders where id = ${input.orderId} for update`;
      const order = await this.orderView(input.orderId, tx);
      if (input.amountCents > order.refundableCents) {
        throw new ToolError(
          "invalid_arguments",
          `At most ${order.refundableCents} cents can still be refunded on order ${order.orderId}`,
          {
            customerMessage:
              order.refundableCents > 0
                ? `Only ${formatMoney(order.refundableCents)} of order ${order.orderId} can still be refunded.`
                : `Order ${order.orderId} has already been refunded in full.`,
          },
        );
      }
      const refund = await tx.refund.create({
        data: {
          id: `re_${randomUUID().slice(0, 12)}`,
          orderId: input.orderId,
          amountCents: input.amountCents,
          reason: input.reason,
          idempotencyKey,
        },
      });
      return toRefundView(refund);
    });
  }

  async addOrderNote(input: { orderId: number; text: string }, idempotencyKey: string) {
    await applyFault(this.db, "add_order_note");
    return idempotent(this.db, idempotencyKey, "add_order_note", input, async (tx) => {
      await this.orderView(input.orderId, tx);
      const note = await tx.orderNote.create({
        data: { orderId: input.orderId, text: input.text, idempotencyKey },
      });
      return { noteId: note.id, orderId: note.orderId };
    });
  }

  async lookupCustomer() {
    await applyFault(this.db, "lookup_customer");
    const c = await this.customer();
    const orders = await this.db.order.findMany({
      where: { customerId: c.id },
      select: { id: true, status: true },
      orderBy: { placedAt: "desc" },
    });
    return {
      customerId: c.id,
      name: c.name,
      email: c.email,
      status: c.status,
      orders: orders.map((o) => ({ orderId: o.id, status: o.status })),
    };
  }

  async sendEmail(input: { subject: string; body: string }, idempotencyKey: string) {
    await applyFault(this.db, "send_email");
    return this.email(input, idempotencyKey);
  }

  private async email(input: { subject: string; body: string }, idempotencyKey: string) {
    return idempotent(this.db, idempotencyKey, "send_email", input, async (tx) => {
      const email = await tx.outboundEmail.create({
        data: { to: this.customerEmail, ...input, idempotencyKey },
      });
      return { emailId: email.id, to: email.to };
    });
  }

  async sendPasswordReset(idempotencyKey: string) {
    await applyFault(this.db, "send_password_reset");
    const c = await this.customer();
    return this.email(
      {
        subject: "Reset your password",
        body: `Hello ${c.name}, use the link in this email to reset your password.`,
      },
      idempotencyKey,
    );
  }
}

type RefundStateRow = {
  faulted: boolean;
  orderId: number | null;
  currency: string;
  totalCents: number;
  refunds: RefundView[];
};

type RefundStateAsked = { orderId: number; customerEmail: string };

/**
 * The refund states asked, in order, in one statement: a row for each whether or not its order is
 * its customer's, the refunds as RefundView, oldest first, with times written as toISOString
 * writes them (the columns hold UTC).
 */
async function readRefundStates(client: Db, asked: RefundStateAsked[]): Promise<RefundStateRow[]> {
  return prepared<RefundStateRow>(
    client,
    Prisma.sql`
  select exists (select 1 from shop_faults f where f.operation in ('lookup_order', 'list_refunds')) as faulted,
         o.id as "orderId", o.currency, o.total_cents as "totalCents",
         (select coalesce(json_agg(json_build_object(
                    'refundId', r.id, 'orderId', r.order_id, 'amountCents', r.amount_cents, 'reason', r.reason,
                    'createdAt', to_char(r.created_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
                  ) order by r.created_at, r.id), '[]'::json)
            from shop_refunds r where r.order_id = o.id) as refunds
    from unnest(${asked.map((a) => a.orderId)}::int[], ${asked.map((a) => a.customerEmail)}::text[])
         with ordinality as q(order_id, email, n)
    left join shop_customers c on c.email = q.email
    left join shop_orders o on o.id = q.order_id and o.customer_id = c.id
   order by q.n`,
  );
}

// Reviewers deciding at once read their orders together, as decisions are written together (lib/db/group.ts).
const readRefundStateGrouped = grouped((asked: RefundStateAsked[]) => readRefundStates(db, asked), {
  max: 64,
});

function orderNotFound(orderId: number) {
  return new ToolError("not_found", `Order ${orderId} was not found for this customer`, {
    customerMessage: `We couldn't find order ${orderId} on your account.`,
  });
}

function idempotent<T extends Prisma.InputJsonValue>(
  db: Db,
  key: string,
  operation: string,
  request: unknown,
  write: (tx: Tx) => Promise<T>,
): Promise<T> {
  return atMostOnce(db, { scope: SHOP_IDEMPOTENCY_SCOPE, key, operation, request }, write).then(
    (r) => r.response,
  );
}

function toRefundView(r: {
  id: string;
  orderId: number;
  amountCents: number;
  reason: string;
  createdAt: Date;
}): RefundView {
  return {
    refundId: r.id,
    orderId: r.orderId,
    amountCents: r.amountCents,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  };
}
