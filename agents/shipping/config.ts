import { createHmac } from "node:crypto";
import { z } from "zod";

// Where the carrier's API is and how to authenticate to it, checked when the app starts. By default
// the demo carrier this app serves (/api/demo/carrier); COUNTERSIGN_CARRIER_URL and
// COUNTERSIGN_CARRIER_KEY point the agent at another carrier service.
export const shippingConfig = z
  .object({
    COUNTERSIGN_CARRIER_URL: z
      .url({ protocol: /^https?$/, message: "must be the carrier API's http(s) base URL" })
      .optional(),
    COUNTERSIGN_CARRIER_KEY: z
      .string()
      .min(8, "must be the carrier's bearer key (at least 8 characters)")
      .optional(),
    NEXTAUTH_URL: z.string().optional(),
    PORT: z.string().optional(),
  })
  .transform((env) => {
    const app = (env.NEXTAUTH_URL || `http://localhost:${env.PORT || 3000}`).replace(/\/$/, "");
    return {
      baseUrl: (env.COUNTERSIGN_CARRIER_URL ?? `${app}/api/demo/carrier`).replace(/\/$/, ""),
      key: env.COUNTERSIGN_CARRIER_KEY ?? null,
    };
  });
export type ShippingConfig = z.output<typeof shippingConfig>;

/**
 * The bearer key the demo carrier expects. It derives it from the app's own secret, so web and
 * worker processes agree without one more setting and nobody outside can call it.
 */
export function demoCarrierKey(): string {
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret)
    throw new Error("The demo carrier needs NEXTAUTH_SECRET (npm run demo generates one)");
  return createHmac("sha256", secret).update("countersign demo carrier").digest("base64url");
}
