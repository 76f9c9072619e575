import type { OfflineScript } from "@/lib/agent-kit";

// How the offline demo model plays the shipping agent: find the shipment, answer, or propose a new
// delivery day; report what the reviewer and the carrier decided; open a ticket if the carrier refuses.
const DATE = /\b(\d{4}-\d{2}-\d{2})\b/;
const WANTS_CHANGE = /reschedul|move|change|another day|different day|postpone|deliver (it )?on/i;

export const shippingOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const date = DATE.exec(ask)?.[1];
  // Dates are not order numbers: read the order number from the request without them.
  const orderId = Number(/\b(\d{4,6})\b/.exec(ask.replace(DATE, " "))?.[1]);
  if (!orderId) return say("I can help with your delivery. Which order is it? The order number is in your confirmation email.");
  const track = seen.find((s) => s.name === "track_shipment");
  if (!track?.result) return call("track_shipment", { order_id: orderId }, 0.97, "I need the shipment's status and delivery day first.");
  if (!track.result.ok) {
    if (track.result.value.kind === "not_found") return say(`I couldn't find a shipment for order ${orderId} on your account. Could you check the number?`);
    return handOff(
      `The carrier could not be reached to track order ${orderId} (${String(track.result.value.message ?? "no answer")}).`,
      `I couldn't reach the carrier to check order ${orderId}; a team member will follow up here.`,
    );
  }
  const shipment = track.result.value;
  const tracking = String(shipment.trackingNumber);
  if (!WANTS_CHANGE.test(ask)) {
    if (shipment.status === "delivered") return say(`Your parcel for order ${orderId} (tracking ${tracking}) was delivered on ${shipment.deliveryDate}.`);
    return say(
      `Your parcel for order ${orderId} (tracking ${tracking}) is ${String(shipment.status).replace(/_/g, " ")}; delivery is planned for ${shipment.deliveryDate}.`,
    );
  }
  const reschedule = seen.find((s) => s.name === "reschedule_delivery");
  if (!reschedule) {
    if (shipment.status === "delivered")
      return say(`Your parcel for order ${orderId} was already delivered on ${shipment.deliveryDate}, so its delivery can't be moved.`);
    if (!date)
      return say(
        `Your parcel for order ${orderId} is planned for ${shipment.deliveryDate}. Which day would suit you instead? Give me a date such as ${shipment.deliveryDate} (year-month-day).`,
      );
    return call(
      "reschedule_delivery",
      { order_id: orderId, tracking_number: tracking, date },
      0.9,
      "The customer asks for another delivery day before the parcel is delivered.",
    );
  }
  if (!reschedule.result) return say("Your new delivery day is waiting for a team member to confirm it.");
  const r = reschedule.result.value;
  if (reschedule.result.ok)
    return say(`Done: the carrier will now deliver order ${orderId} (tracking ${tracking}) on ${r.deliveryDate} (reference ${r.rescheduleId}).`);
  if (r.status === "rejected") {
    return say(
      `I'm sorry: a member of our team reviewed the new delivery day for order ${orderId} and did not approve it. Their reason: “${r.reason}”. Your delivery day is unchanged.`,
    );
  }
  if (r.status === "expired")
    return say(`The new delivery day for order ${orderId} was not confirmed in time, so nothing was changed. A team member will follow up.`);
  if (r.outcome === "unknown") {
    return say(
      `I couldn't confirm whether the delivery of order ${orderId} was moved (${r.message ?? "the carrier did not answer"}). A team member is checking with the carrier and will follow up here.`,
    );
  }
  const ticket = seen.find((s) => s.name === "open_ticket");
  if (!ticket) {
    return call(
      "open_ticket",
      {
        tracking_number: tracking,
        subject: `Delivery change refused for order ${orderId}`,
        description: `The customer asked to move the delivery to ${String(reschedule.input.date)}; the carrier answered: ${String(r.message ?? "refused")}`,
      },
      0.9,
      "The carrier refused the change; its support team should look at the shipment.",
    );
  }
  const reference = ticket.result?.ok ? ` I've opened a ticket with the carrier (reference ${ticket.result.value.ticketId}).` : "";
  return say(
    `I couldn't move the delivery of order ${orderId} (${r.message ?? "the carrier refused"}), so nothing was changed.${reference} A team member will follow up here.`,
  );
};
