import type { OfflineScript } from "@/lib/agent-kit";

// How the offline demo model plays the refunds agent: look the order up, then answer or propose
// a refund, then report what the reviewer and the shop decided.
const WANTS_MONEY_BACK = /refund|money back|broken|damaged|defect|never (arrived|came)|return/i;

export const refundsOffline: OfflineScript = ({ ask, seen, call, say }) => {
  const orderId = Number(/\b(\d{4,6})\b/.exec(ask)?.[1]);
  if (!orderId) return say("I can help with that. Which order is it? The order number is in your confirmation email.");
  const lookup = seen.find((s) => s.name === "lookup_order");
  if (!lookup?.result) return call("lookup_order", { order_id: orderId }, 0.98, "I need the order's status and refundable balance first.");
  if (!lookup.result.ok) return say(`I couldn't find order ${orderId} on your account. Could you check the number?`);
  const order = lookup.result.value;
  const money = (cents: unknown) => `€${(Number(cents) / 100).toFixed(2)}`;
  if (!WANTS_MONEY_BACK.test(ask)) {
    return say(`Order ${orderId} is ${order.status}; you paid ${money(order.totalCents)} and ${money(order.refundedCents)} has been refunded so far.`);
  }
  const refund = seen.find((s) => s.name === "issue_refund");
  if (!refund) {
    if (Number(order.refundableCents) <= 0) return say(`Order ${orderId} has already been refunded in full.`);
    const clear = /broken|damaged|defect|never (arrived|came)/i.test(ask);
    return call(
      "issue_refund",
      { order_id: orderId, amount_cents: order.refundableCents, reason: `Customer reports: ${ask.slice(0, 200)}` },
      clear ? 0.9 : 0.55,
      clear
        ? "The customer reports the item arrived unusable; a full refund of the balance matches policy."
        : "The request is a refund but the reason is not clearly covered by policy.",
    );
  }
  if (!refund.result) return say("Your refund is waiting for a team member to confirm it.");
  const r = refund.result.value;
  if (refund.result.ok) {
    return say(
      `Done: ${money(r.amountCents)} has been refunded for order ${orderId} (reference ${r.refundId}). It reaches your original payment method within 5 business days.`,
    );
  }
  if (r.status === "rejected") {
    return say(
      `I'm sorry: a member of our team reviewed the refund for order ${orderId} and did not approve it. Their reason: “${r.reason}”. Nothing has been charged or refunded; reply here if you'd like to add details.`,
    );
  }
  if (r.status === "expired") return say(`The refund for order ${orderId} was not confirmed in time, so nothing was refunded. A team member will follow up.`);
  if (r.outcome === "unknown") {
    return say(
      `I couldn't confirm whether the refund for order ${orderId} went through (${r.message ?? "the payment system did not answer"}). A team member is checking with the payment system and will follow up here.`,
    );
  }
  return say(
    `I couldn't complete the refund for order ${orderId} (${r.message ?? "the payment system failed"}). Nothing was refunded; a team member will follow up.`,
  );
};
