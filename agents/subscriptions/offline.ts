import { outOfScope, type OfflineScript, type SeenCall } from "@/lib/agent-kit";
import { formatDay, formatMoney } from "@/lib/format";

// How the offline demo model plays the subscriptions agent: read the customer's subscriptions,
// then answer, pause (at once), or propose a cancellation or a credit for a reviewer, then say what
// comes next. What a reviewer decided (and why) is told to the customer by the product itself
// (lib/customer-text), so the script only adds what the decision leaves open.
type Subscription = {
  subscriptionId: string;
  plan: string;
  status: string;
  monthlyCents: number;
  renewsOn: string;
  creditableCents: number;
};

const WANTS = {
  credit: /charged twice|double charge|overcharg|charged again|credit|money back/i,
  cancel: /cancel|stop my|end my|terminate/i,
  pause: /pause|hold|skip|break from/i,
};
const MONTHS: Record<string, number> = { one: 1, a: 1, two: 2, three: 3 };

function months(ask: string): number {
  const said = /\b(\d|one|a|two|three) months?\b/i.exec(ask)?.[1]?.toLowerCase();
  const n = said ? (MONTHS[said] ?? Number(said)) : 1;
  return Math.min(3, Math.max(1, n));
}

/** After a call the product has already reported (decided, failed, unconfirmed): what comes next, or what it did. */
function outcome(call: SeenCall, done: (value: Record<string, unknown>) => string): string {
  const r = call.result!.value;
  if (call.result!.ok) return done(r);
  if (r.status === "rejected")
    return "If there is more we should know, write it here and I'll look again.";
  if (r.status === "expired") return "If you still want it, ask again here.";
  if (r.outcome === "unknown")
    return "You don't need to do anything: we'll write here as soon as we know.";
  return "I'm sorry about that.";
}

export const subscriptionsOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const refused = outOfScope(ask);
  if (refused) return say(refused.refusal);
  const read = seen.find((s) => s.name === "get_subscription");
  if (!read?.result)
    return call("get_subscription", {}, 0.97, "I need the customer's subscriptions first.");
  if (!read.result.ok)
    return handOff(
      "The billing service could not be reached to read the customer's subscriptions.",
      "I couldn't reach our billing system just now; a team member will follow up here.",
    );
  const all = (read.result.value.subscriptions ?? []) as Subscription[];
  const named = /\bsub_[a-z0-9_]+\b/.exec(ask)?.[0];
  const live = all.filter((s) => s.status !== "cancelled");
  const sub = named
    ? all.find((s) => s.subscriptionId === named)
    : live.length === 1
      ? live[0]
      : undefined;
  if (!sub) {
    if (!all.length) return say("I couldn't find a subscription on your account.");
    return say(
      `Which subscription do you mean? You have: ${live.map((s) => `${s.plan} (${s.subscriptionId})`).join(", ")}.`,
    );
  }
  const plan = `your ${sub.plan} subscription`;

  if (WANTS.credit.test(ask)) {
    const credit = seen.find((s) => s.name === "issue_credit");
    if (!credit) {
      if (sub.creditableCents <= 0)
        return say(
          `${plan[0]!.toUpperCase()}${plan.slice(1)} has already been credited its full monthly price in the last 30 days, so I can't add more.`,
        );
      const amount = Math.min(sub.monthlyCents, sub.creditableCents);
      const clear = /charged twice|double charge|charged again/i.test(ask);
      return call(
        "issue_credit",
        {
          subscription_id: sub.subscriptionId,
          amount_cents: amount,
          reason: clear
            ? "The customer reports being charged twice this month"
            : "The customer asks for a credit",
        },
        clear ? 0.85 : 0.55,
        clear
          ? "A double charge is credited one month's price."
          : "The reason for the credit is not clear.",
      );
    }
    if (!credit.result)
      return say(`A credit on ${plan} is waiting for a team member to confirm it.`);
    return say(
      outcome(
        credit,
        (c) =>
          `Done: ${formatMoney(Number(c.amountCents))} has been credited to ${plan} (reference ${String(c.creditId)}).`,
      ),
    );
  }

  if (WANTS.cancel.test(ask)) {
    const cancel = seen.find((s) => s.name === "cancel_subscription");
    if (!cancel) {
      if (sub.status === "cancelled")
        return say(`${plan[0]!.toUpperCase()}${plan.slice(1)} is already cancelled.`);
      return call(
        "cancel_subscription",
        { subscription_id: sub.subscriptionId },
        0.92,
        "The customer asks to cancel.",
      );
    }
    if (!cancel.result)
      return say(`Cancelling ${plan} is waiting for a team member to confirm it.`);
    return say(
      outcome(
        cancel,
        (s) =>
          `Done: ${plan} is cancelled. You keep it until ${formatDay(String(s.renewsOn))} and won't be charged again.`,
      ),
    );
  }

  if (WANTS.pause.test(ask)) {
    const pause = seen.find((s) => s.name === "pause_subscription");
    if (!pause) {
      if (sub.status !== "active")
        return say(
          `${plan[0]!.toUpperCase()}${plan.slice(1)} is ${sub.status}, so it can't be paused.`,
        );
      const n = months(ask);
      return call(
        "pause_subscription",
        { subscription_id: sub.subscriptionId, months: n },
        0.93,
        `The customer asks for a pause of ${n} month${n === 1 ? "" : "s"}.`,
      );
    }
    if (!pause.result) return say(`Pausing ${plan} is under way.`);
    return say(
      outcome(
        pause,
        (s) =>
          `Done: ${plan} is paused until ${formatDay(String(s.renewsOn))}; nothing is charged until then.`,
      ),
    );
  }

  const status =
    sub.status === "active"
      ? `is active and renews on ${formatDay(sub.renewsOn)}`
      : sub.status === "paused"
        ? `is paused until ${formatDay(sub.renewsOn)}`
        : "is cancelled";
  return say(
    `${plan[0]!.toUpperCase()}${plan.slice(1)} (${formatMoney(sub.monthlyCents)} a month) ${status}.`,
  );
};
