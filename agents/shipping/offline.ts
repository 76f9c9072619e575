import { outOfScope, type OfflineScript } from "@/lib/agent-kit";
import { formatDay } from "@/lib/format";
import { dayAsked, ISO_DAY } from "./days";

// How the offline demo model plays the shipping agent: find the shipment and say where it is; if a
// new day is asked for, propose it (saying where the parcel is beside the proposal, so a compound
// request is answered whole); then say what comes next, and open a ticket if the carrier refuses.
// What a reviewer decided (and why) is told to the customer by the product (lib/customer-text).
const WANTS_CHANGE =
  /reschedul|move|change|another day|different day|postpone|deliver (it )?(on|to)|instead/i;

const STATUS: Record<string, (city: string) => string> = {
  in_transit: (city) => `on its way to ${city}`,
  out_for_delivery: (city) => `out for delivery in ${city}`,
};

export const shippingOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const refused = outOfScope(ask);
  if (refused) return say(refused.refusal);
  // Dates are not order numbers: read the order number from the request without them.
  const orderId = Number(/\b(\d{4,6})\b/.exec(ask.replace(ISO_DAY, " "))?.[1]);
  if (!orderId)
    return say(
      "I can help with your delivery. Which order is it? The order number is in your confirmation email.",
    );
  const track = seen.find((s) => s.name === "track_shipment");
  if (!track?.result)
    return call(
      "track_shipment",
      { order_id: orderId },
      0.97,
      "I need the shipment's status and delivery day first.",
    );
  if (!track.result.ok) {
    const failure = track.result.value;
    if (failure.status === "rejected" || failure.status === "expired")
      return say("If you'd like to ask about this delivery again, write here.");
    if (failure.kind === "not_found")
      return say(
        `I couldn't find a parcel for order ${orderId} on your account. Could you check the number?`,
      );
    return handOff(
      `The carrier could not be reached to track order ${orderId} (${String(failure.message ?? "no answer")}).`,
      `I couldn't reach the carrier to check order ${orderId} just now; a team member will follow up here.`,
    );
  }
  const shipment = track.result.value;
  const tracking = String(shipment.trackingNumber);
  const planned = String(shipment.deliveryDate);
  const delivered = shipment.status === "delivered";
  const where = delivered
    ? `Your parcel for order ${orderId} (tracking ${tracking}) was delivered on ${formatDay(planned)}.`
    : `Your parcel for order ${orderId} (tracking ${tracking}) is ${(STATUS[String(shipment.status)] ?? (() => "on its way"))(String(shipment.city))}; delivery is planned for ${formatDay(planned)}.`;
  if (!WANTS_CHANGE.test(ask)) return say(where);

  const reschedule = seen.find((s) => s.name === "reschedule_delivery");
  if (!reschedule) {
    if (delivered) return say(`${where} Its delivery day can no longer be moved.`);
    const date = dayAsked(ask);
    if (!date)
      return say(
        `${where} Which day would suit you instead? The carrier delivers from tomorrow up to two weeks ahead.`,
      );
    if (date === planned)
      return say(`${where} That is already the day you asked for, so nothing needs to change.`);
    if (date <= new Date().toISOString().slice(0, 10))
      return say(
        `${where} ${formatDay(date)} has already begun or passed; which later day would suit you?`,
      );
    // Where the parcel is, said beside the proposal: the customer reads it while the new day waits.
    return call(
      "reschedule_delivery",
      { order_id: orderId, tracking_number: tracking, date },
      0.9,
      "The customer asks for another delivery day before the parcel is delivered.",
      where,
    );
  }
  if (!reschedule.result)
    return say("Your new delivery day is waiting for a member of our team to confirm it.");
  const r = reschedule.result.value;
  if (reschedule.result.ok)
    return say(
      `The carrier now plans to deliver order ${orderId} on ${formatDay(String(r.deliveryDate))} (reference ${r.rescheduleId}).`,
    );
  if (r.status === "rejected") return say(`Your delivery stays planned for ${formatDay(planned)}.`);
  if (r.status === "expired")
    return say(
      `Your delivery stays planned for ${formatDay(planned)}; ask again here if you still want it moved.`,
    );
  if (r.outcome === "unknown")
    return say("You don't need to do anything: we'll write here as soon as the carrier confirms.");
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
  return say(
    ticket.result?.ok
      ? `I've opened a ticket with the carrier about it (reference ${ticket.result.value.ticketId}).`
      : "I couldn't open a ticket with the carrier either; a member of our team will look at it.",
  );
};
