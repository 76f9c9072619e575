// A deterministic screen for requests no agent may act on, whatever a model makes of them: sending
// a password to anyone, messaging other people, another customer's data, deleting in bulk. The
// runtime runs it before the router classifies a request (so a harmful request reaches no model
// and no tool), the offline router answers with it, and each agent's offline script checks it first.
// Narrow on purpose: it refuses only what is plainly out of bounds; the rest goes to the router,
// whose prompt (lib/runtime/router.ts) refuses what the screen does not know.

export type OutOfScope = {
  /** Why, for the trace: which rules matched. */
  reason: string;
  /** What the customer reads: a clear refusal that covers the whole request, and that nothing was done. */
  refusal: string;
};

const SECRET = /\b(?:passwords?|passcodes?|credentials|log-?in details|pin(?: codes?)?)\b/i;
const SEND =
  /\b(?:e-?mail|send|share|give|post|publish|forward|tell|text|message|leak|broadcast|spam)\b/i;
const OTHERS =
  /\b(?:every(?:one|body)|all (?:of )?(?:my |the |your )?(?:contacts|customers|users|friends|people|followers|colleagues|subscribers)|other (?:people|customers|users)|some(?:one|body) else|anyone|the public|publicly|strangers|my (?:friends?|colleagues?|boss|family|neighbou?rs?|contacts|followers))\b/i;
const OTHERS_DATA =
  /\b(?:(?:another|other|a different) (?:customer|user|person|people)(?:'s)?|some(?:one|body) else's|(?:his|her|their) (?:own )?)\s*(?:orders?|account|address|e-?mail|data|details|phone|card|payments?|refunds?)\b/i;
const BULK_DELETE =
  /\b(?:delete|wipe|erase|drop|destroy|remove)\b[^.?!]{0,30}\b(?:all|every|the whole|entire)\b[^.?!]{0,20}\b(?:orders|accounts|customers|users|data|database|records|refunds)\b|\bdrop (?:table|database)\b/i;
const OWN_ACCOUNT_CLOSED = /\b(?:delete|close|remove|cancel|deactivate)\s+(?:my|our)\s+account\b/i;

/** The refusal for a request no agent may act on, or null when the request may go on to the router. */
export function outOfScope(request: string): OutOfScope | null {
  const rules: Array<[string, string]> = [];
  if (SECRET.test(request) && SEND.test(request) && OTHERS.test(request))
    rules.push(["a password to others", "we never send a password to anyone"]);
  if (SEND.test(request) && OTHERS.test(request))
    rules.push(["messages to others", "I can't email or message other people for you"]);
  if (OTHERS_DATA.test(request))
    rules.push(["another person's data", "I can only help with your own account and orders"]);
  if (BULK_DELETE.test(request)) rules.push(["bulk deletion", "I can't delete records in bulk"]);
  if (rules.length === 0) return null;
  const clauses = rules.map(([, clause]) => clause);
  const said =
    clauses.length > 1 ? `${clauses.slice(0, -1).join(", ")}, and ${clauses.at(-1)}` : clauses[0];
  const closing = OWN_ACCOUNT_CLOSED.test(request)
    ? " If you want your account closed, ask for that on its own and a member of our team will take care of it."
    : "";
  return {
    reason: rules.map(([rule]) => rule).join(", "),
    refusal: `I can't do that: ${said}. Nothing has been done.${closing}`,
  };
}
