import { createHmac } from "node:crypto";
import { z } from "zod";
import { ToolError } from "@/lib/agent-kit";

// Where the carrier's API is and how to authenticate to it. By default the demo carrier served by
// this app (app/api/demo/carrier); COUNTERSIGN_CARRIER_URL and COUNTERSIGN_CARRIER_KEY point the
// agent at another carrier service.
const url = z.url({ protocol: /^https?$/ });

export function carrierBaseUrl(): string {
  const configured = process.env.COUNTERSIGN_CARRIER_URL || undefined;
  const app = process.env.NEXTAUTH_URL || `http://localhost:${process.env.PORT || 3000}`;
  const base = configured ?? `${app.replace(/\/$/, "")}/api/demo/carrier`;
  const parsed = url.safeParse(base);
  if (!parsed.success)
    throw new ToolError("upstream_error", `The carrier's URL is not an http(s) URL: set COUNTERSIGN_CARRIER_URL (got ${JSON.stringify(base)})`);
  return parsed.data.replace(/\/$/, "");
}

/**
 * The bearer key the carrier expects. The demo carrier derives it from the app's own secret, so
 * web and worker processes agree without one more setting and nobody outside can call it.
 */
export function carrierKey(): string {
  if (process.env.COUNTERSIGN_CARRIER_KEY) return process.env.COUNTERSIGN_CARRIER_KEY;
  const secret = process.env.NEXTAUTH_SECRET;
  if (!secret) throw new ToolError("upstream_error", "No carrier key: set COUNTERSIGN_CARRIER_KEY (or NEXTAUTH_SECRET for the demo carrier)");
  return createHmac("sha256", secret).update("countersign demo carrier").digest("base64url");
}
