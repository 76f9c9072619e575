import { z } from "zod";
import { formatMoney } from "@/lib/format";
import { shopTool } from "../demo-shop";

const orderId = z.number().int().positive().describe("The shop's order number, e.g. 1042");

export const lookupOrder = shopTool({
  name: "lookup_order",
  description:
    "Look up one of the customer's orders: status, total, payments and how much can still be refunded.",
  input: z.object({ order_id: orderId }),
  irreversible: false,
  readOnly: true,
  summarize: (i) => `order ${i.order_id}`,
  describeForCustomer: (i) => `a check of order ${i.order_id}`,
  // An order changes only by this agent's own writes (notes, refunds) or slowly (shipping status).
  cache: { ttlSeconds: 60, records: (i) => [`order:${i.order_id}`] },
  execute: (i, { deps }) => deps.lookupOrder(i.order_id),
});

export const listRefunds = shopTool({
  name: "list_refunds",
  description: "List the refunds already issued on one of the customer's orders.",
  input: z.object({ order_id: orderId }),
  irreversible: false,
  readOnly: true,
  summarize: (i) => `order ${i.order_id}`,
  describeForCustomer: (i) => `a check of the refunds on order ${i.order_id}`,
  execute: (i, { deps }) => deps.listRefunds(i.order_id),
});

export const addOrderNote = shopTool({
  name: "add_order_note",
  description: "Add an internal note to an order for the support team.",
  input: z.object({ order_id: orderId, text: z.string().min(1).max(1000) }),
  irreversible: false,
  sensitive: ["text"],
  summarize: (i) => `order ${i.order_id}: ${i.text.slice(0, 60)}`,
  // The note is for the team: the customer reads that there is one, not what it says.
  describeForCustomer: (i) => `a note on order ${i.order_id} for our team`,
  writes: (i) => [`order:${i.order_id}`],
  execute: (i, { deps, idempotencyKey }) =>
    deps.addOrderNote({ orderId: i.order_id, text: i.text }, idempotencyKey),
});

export const issueRefund = shopTool({
  name: "issue_refund",
  description:
    "Refund money to the customer's original payment method. Irreversible: a team member confirms it first.",
  input: z.object({
    order_id: orderId,
    amount_cents: z.number().int().positive().max(1_000_000).describe("Amount to refund, in cents"),
    reason: z.string().min(3).max(500).describe("Why the customer is refunded, in a sentence"),
  }),
  irreversible: true,
  summarize: (i) =>
    `${formatMoney(i.amount_cents)} on order ${i.order_id}: ${i.reason.slice(0, 60)}`,
  describeForCustomer: (i) => `a refund of ${formatMoney(i.amount_cents)} for order ${i.order_id}`,
  // The reason is our own record: an edit of it alone changes nothing the customer gets.
  describeEditForCustomer: (before, after) =>
    joinChanges([
      after.amount_cents !== before.amount_cents &&
        `set the refund to ${formatMoney(after.amount_cents)} instead of ${formatMoney(before.amount_cents)}`,
      after.order_id !== before.order_id &&
        `made it for order ${after.order_id} instead of order ${before.order_id}`,
    ]),
  writes: (i) => [`order:${i.order_id}`],
  // What the shop says now, against what the reviewer is asked to approve: refunds paid since the
  // call was proposed, and what this and the other pending refunds of the order would add up to.
  // One read of the shop: the order's balance and its refunds together.
  preCheck: async (i, { deps, proposedAt, alsoPending }) => {
    const order = await deps.refundState(i.order_id);
    const money = (cents: number) => formatMoney(cents, order.currency);
    const warnings: string[] = [];
    const since = order.refunds
      .filter((r) => new Date(r.createdAt) > proposedAt)
      .reduce((sum, r) => sum + r.amountCents, 0);
    if (since > 0)
      warnings.push(
        `order ${i.order_id}: ${money(since)} already refunded since this was proposed`,
      );
    if (i.amount_cents > order.refundableCents) {
      warnings.push(
        `order ${i.order_id}: only ${money(order.refundableCents)} can still be refunded, and this refund is ${money(i.amount_cents)}`,
      );
    } else if (alsoPending.length > 0) {
      const together = alsoPending.reduce((sum, other) => sum + other.amount_cents, i.amount_cents);
      if (together > order.refundableCents) {
        const others =
          alsoPending.length === 1
            ? "1 other pending refund"
            : `${alsoPending.length} other pending refunds`;
        warnings.push(
          `order ${i.order_id}: this and ${others} come to ${money(together)}, more than the ${money(order.refundableCents)} that can still be refunded`,
        );
      }
    }
    return warnings;
  },
  execute: (i, { deps, idempotencyKey }) =>
    deps.issueRefund(
      { orderId: i.order_id, amountCents: i.amount_cents, reason: i.reason },
      idempotencyKey,
    ),
});

/** "set … and made …", or null when nothing the customer gets changed. */
function joinChanges(changes: Array<string | false>): string | null {
  const made = changes.filter((c): c is string => Boolean(c));
  return made.length ? made.join(" and ") : null;
}
