import { Webhook } from "standardwebhooks";
import { webhookEventSchema, type WebhookEvent } from "./wire";

export { WebhookVerificationError } from "standardwebhooks";

/**
 * Checks a Countersign webhook as Standard Webhooks specify (`webhook-id`, `webhook-timestamp`
 * within five minutes, `webhook-signature` an HMAC-SHA256 of id.timestamp.body under the agent's
 * signing secret) and returns the event. Pass the raw body exactly as received: re-serialised
 * JSON does not verify. Throws WebhookVerificationError when anything does not match.
 */
export function verifyWebhook(
  signingSecret: string,
  rawBody: string,
  headers: Headers | Record<string, string>,
): WebhookEvent {
  const plain = headers instanceof Headers ? Object.fromEntries(headers.entries()) : headers;
  const payload = new Webhook(signingSecret).verify(rawBody, plain);
  return webhookEventSchema.parse(payload);
}
