import { createHmac } from "node:crypto";
import { z } from "zod";

// Where the billing service is and how to authenticate to it, checked when the app starts. By
// default the demo billing service this folder ships (/api/demo/billing); COUNTERSIGN_BILLING_URL
// and COUNTERSIGN_BILLING_KEY point the agent at a company's own.
export const subscriptionsConfig = z
  .object({
    COUNTERSIGN_BILLING_URL: z
      .url({ protocol: /^https?$/, message: "must be the billing API's http(s) base URL" })
      .optional(),
    COUNTERSIGN_BILLING_KEY: z
      .string()
      .min(8, "must be the billing service's bearer key (at least 8 characters)")
      .optional(),
    NEXTAUTH_URL: z.string().optional(),
    PORT: z.string().optional(),
  })
  .transform((env) => {
    const app = (env.NEXTAUTH_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, "");
    return {
      baseUrl: (env.COUNTERSIGN_BILLING_URL ?? `${app}/api/demo/billing`).replace(/\/$/, ""),
      key: env.COUNTERSIGN_BILLING_KEY ?? null,
    };
  });
export type SubscriptionsConfig = z.output<typeof subscriptionsConfig>;

/** The demo billing service's bearer key, derived from the app's own secret (web and worker processes agree). */
export function demoBillingKey(): string {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret)
    throw new Error("The demo billing service needs NEXTAUTH_SECRET (npm run demo generates one)");
  return createHmac("sha256", secret).update("countersign demo billing").digest("base64url");
}
