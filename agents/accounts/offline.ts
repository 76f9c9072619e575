import type { OfflineScript } from "@/lib/agent-kit";

// How the offline demo model plays the accounts agent: look the account up, then send a reset.
export const accountsOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const account = seen.find((s) => s.name === "lookup_customer");
  if (!account?.result) return call("lookup_customer", {}, 0.95, "I need the account before changing anything.");
  if (!account.result.ok) return handOff("No shop account matches this user.", "I couldn't find a shop account for you; a team member will follow up here.");
  if (!/password|log ?in|sign ?in|locked/i.test(ask)) {
    return say(`Your account (${account.result.value.email}) is ${account.result.value.status}. What would you like to change?`);
  }
  const reset = seen.find((s) => s.name === "send_password_reset");
  if (!reset) return call("send_password_reset", {}, 0.85, "The customer asks to regain access; a reset email is the standard step.");
  if (reset.result?.ok) return say("I've sent a password reset link to your email address.");
  if (reset.result?.value.outcome === "unknown") {
    return handOff(
      "The password reset could not be confirmed.",
      "I couldn't confirm whether the password reset email went out; a team member is checking and will follow up with you here.",
    );
  }
  return handOff(
    `The password reset was not sent (${String(reset.result?.value.status ?? "failed")}).`,
    "The password reset was not sent; a team member will follow up with you here.",
  );
};
