import type { Actor } from "@/lib/auth/actor";
import { activePolicy, savePolicy } from "@/lib/policy/versions";

/** Saves `rules` as the policy in force (a new version); returns its number. */
export async function savePolicyRules(
  admin: Actor,
  rules: unknown[],
  reason = "test rules",
): Promise<number> {
  const current = await activePolicy();
  return (await savePolicy(admin, { document: { rules }, replaces: current.version, reason }))
    .version;
}

/** A rule set no later file sees: the newest version has no rules again. */
export const clearPolicy = (admin: Actor) =>
  savePolicyRules(admin, [], "tests leave no rules behind");

export const TWO_ABOVE_100 = {
  id: "two-above-100",
  name: "Refunds over €100 need two people",
  tools: ["issue_refund"],
  when: [{ argument: "amount_cents", op: "gt", value: 10000 }],
  effect: { approvals: 2 },
};
