import { createHmac, timingSafeEqual } from "node:crypto";

// Slack's request signing (v0): HMAC-SHA256 of "v0:{timestamp}:{raw body}" under the app's signing
// secret, hex, in X-Slack-Signature; the timestamp in X-Slack-Request-Timestamp must be within five
// minutes, so a captured request cannot be sent again later. Eleven lines, so no dependency for it
// (Bolt's receivers assume a server of their own; the algorithm is Slack's documented one).

export const MAX_AGE_SECONDS = 5 * 60;

export type SignatureCheck = "ok" | "bad" | "old";

export function checkSlackSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  body: string;
  now?: number;
}): SignatureCheck {
  const { secret, timestamp, signature, body } = input;
  if (
    !timestamp ||
    !signature ||
    !/^\d{1,12}$/.test(timestamp) ||
    !/^v0=[0-9a-f]{64}$/.test(signature)
  )
    return "bad";
  const expected = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  if (!timingSafeEqual(Buffer.from(expected), Buffer.from(signature))) return "bad";
  const age = Math.abs((input.now ?? Date.now()) / 1000 - Number(timestamp));
  return age > MAX_AGE_SECONDS ? "old" : "ok";
}

/** What Slack sends, signed (for tests and for the docs' example). */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
) {
  return {
    timestamp: String(timestamp),
    signature: `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
  };
}
