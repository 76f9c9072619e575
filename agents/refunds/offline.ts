import { outOfScope, type OfflineScript } from "@/lib/agent-kit";
import { formatMoney, shortQuote } from "@/lib/format";

// How the offline demo model plays the refunds agent: look the order up, then answer or propose
// a refund, then say what comes next. What a reviewer decided (and why) is told to the customer by
// the product itself (lib/customer-text), so the script only adds what the decision leaves open.
const WANTS_MONEY_BACK = /refund|money back|broken|damaged|defect|never (arrived|came)|return/i;

export const refundsOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const refused = outOfScope(ask);
  if (refused) return say(refused.refusal);
  const orderId = Number(/\b(\d{4,6})\b/.exec(ask)?.[1]);
  if (!orderId)
    return say(
      "I can help with that. Which order is it? The order number is in your confirmation email.",
    );
  const lookup = seen.find((s) => s.name === "lookup_order");
  if (!lookup?.result)
    return call(
      "lookup_order",
      { order_id: orderId },
      0.98,
      "I need the order's status and refundable balance first.",
    );
  if (!lookup.result.ok) {
    const failure = lookup.result.value;
    // Rejected or expired while it waited: the product has told the customer; nothing else to add.
    if (failure.status === "rejected" || failure.status === "expired")
      return say("If you'd like to ask about this order again, write here.");
    if (failure.kind === "not_found")
      return say(`I couldn't find order ${orderId} on your account. Could you check the number?`);
    return handOff(
      `The shop could not be reached to look up order ${orderId}.`,
      `I couldn't reach our order system to look at order ${orderId} just now. A member of our team will follow up here.`,
    );
  }
  const order = lookup.result.value;
  const money = (cents: unknown) => formatMoney(Number(cents));
  if (!WANTS_MONEY_BACK.test(ask)) {
    return say(
      `Order ${orderId} is ${String(order.status).replace(/_/g, " ")}; you paid ${money(order.totalCents)} and ${money(order.refundedCents)} has been refunded so far.`,
    );
  }
  const refund = seen.find((s) => s.name === "issue_refund");
  if (!refund) {
    if (Number(order.refundableCents) <= 0)
      return say(`Order ${orderId} has already been refunded in full.`);
    const clear = /broken|damaged|defect|never (arrived|came)/i.test(ask);
    return call(
      "issue_refund",
      {
        order_id: orderId,
        amount_cents: order.refundableCents,
        reason: `Customer reports: ${shortQuote(ask, 200)}`,
      },
      clear ? 0.9 : 0.55,
      clear
        ? "The customer reports the item arrived unusable; a full refund of the balance matches policy."
        : "The request is a refund but the reason is not clearly covered by policy.",
    );
  }
  if (!refund.result) return say("Your refund is waiting for a member of our team to confirm it.");
  const r = refund.result.value;
  if (refund.result.ok) {
    return say(
      `Done: ${money(r.amountCents)} has been refunded for order ${orderId} (reference ${r.refundId}). It reaches your original payment method within 5 business days.`,
    );
  }
  if (r.status === "rejected")
    return say(
      "If you have more details, for example a photo of the damage, send them here and I'll look again.",
    );
  if (r.status === "expired") return say("If you still want the refund, ask again here.");
  if (r.outcome === "unknown")
    return say("You don't need to do anything: we'll write here as soon as we know.");
  return say("I'm sorry about that.");
};
