import { outOfScope, type OfflineScript } from "@/lib/agent-kit";

// How the offline demo model plays the accounts agent: look the account up, then send a reset, and
// say plainly what it cannot do (closing an account is for a person). What a reviewer decided (and
// why) is told to the customer by the product itself (lib/customer-text).
const WANTS_ACCESS = /password|log ?in|sign ?in|locked/i;
const WANTS_CLOSED = /\b(delete|close|remove|cancel|deactivate)\b.{0,20}\baccount\b/i;

export const accountsOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const refused = outOfScope(ask);
  if (refused) return say(refused.refusal);
  const account = seen.find((s) => s.name === "lookup_customer");
  if (!account?.result)
    return call("lookup_customer", {}, 0.95, "I need the account before changing anything.");
  if (!account.result.ok) {
    const failure = account.result.value;
    if (failure.status === "rejected" || failure.status === "expired")
      return say("If you'd like help with your account again, write here.");
    if (failure.kind === "not_found")
      return handOff(
        "No shop account matches this user.",
        "I couldn't find a shop account for you; a team member will follow up here.",
      );
    return handOff(
      "The shop could not be reached to look up the account.",
      "I couldn't reach our account system just now; a team member will follow up here.",
    );
  }
  if (WANTS_CLOSED.test(ask)) {
    return handOff(
      "The customer asks to close their account.",
      "Closing an account is done by a member of our team, not by me: I've passed your request on, and they will follow up with you here. Nothing has been changed yet.",
    );
  }
  if (!WANTS_ACCESS.test(ask)) {
    return say(
      `Your account (${account.result.value.email}) is ${account.result.value.status}. What would you like to change?`,
    );
  }
  const reset = seen.find((s) => s.name === "send_password_reset");
  if (!reset)
    return call(
      "send_password_reset",
      {},
      0.85,
      "The customer asks to regain access; a reset email is the standard step.",
    );
  if (!reset.result)
    return say("The password reset is waiting for a member of our team to confirm it.");
  if (reset.result.ok)
    return say(
      "Open the email and follow its link to choose a new password. If it hasn't arrived in a few minutes, check your spam folder.",
    );
  const r = reset.result.value;
  if (r.status === "rejected")
    return handOff(
      `The password reset was rejected: ${String(r.reason ?? "no reason")}.`,
      "A member of our team will follow up with you here.",
    );
  if (r.status === "expired") return say("If you still need a new password, ask again here.");
  if (r.outcome === "unknown")
    return handOff(
      "The password reset could not be confirmed.",
      "You don't need to do anything: we'll write here as soon as we know.",
    );
  return handOff(
    `The password reset was not sent (${String(r.kind ?? "failed")}).`,
    "A member of our team will follow up with you here.",
  );
};
