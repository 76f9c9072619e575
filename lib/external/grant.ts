import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { GRANT_PREFIX } from "./schemas";

/**
 * The grant of an approved action: an HMAC, under the agent's signing secret, of the action id and
 * the hash of the approved arguments. It is bound to both (other arguments, another action or
 * another agent give another grant), needs no storage, and is single-use because the first report
 * that carries it is recorded (ExternalAction.grantUsedAt) and every later one refused.
 */
export function grantFor(signingSecret: string, actionId: string, argsHash: string): string {
  return (
    GRANT_PREFIX +
    createHmac("sha256", signingSecret).update(`grant:${actionId}:${argsHash}`).digest("base64url")
  );
}

export function grantMatches(
  signingSecret: string,
  actionId: string,
  argsHash: string,
  presented: string,
): boolean {
  const expected = Buffer.from(grantFor(signingSecret, actionId, argsHash));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
