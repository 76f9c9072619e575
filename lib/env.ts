import "server-only";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/auth/client-address";

// Validated once, on first use; a bad value stops the server with a message that names it.
const schema = z.object({
  DATABASE_URL: z.url({ message: "DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database via `npm run demo`)" }),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters (npm run demo generates one under .data/)"),
  NEXTAUTH_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** A scrape token for GET /api/metrics (an admin personal access token works too). */
  COUNTERSIGN_METRICS_TOKEN: z.string().min(16, "COUNTERSIGN_METRICS_TOKEN must be at least 16 characters").optional(),
  COUNTERSIGN_DEMO: z.enum(["0", "1"]).default("0"),
  /** Set to "0" to run no job workers in this process (when workers run as their own processes). */
  COUNTERSIGN_WORKERS: z.enum(["0", "1"]).default("1"),
  /**
   * Reverse proxies whose `X-Forwarded-For` hops are believed (comma-separated IPs and CIDR
   * ranges). Unset: none, so the throttled address is always the socket's.
   */
  COUNTERSIGN_TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx): TrustedProxies | null => {
      if (value === undefined) return null;
      const parsed = parseTrustedProxies(value);
      if (parsed.ok) return parsed.proxies;
      for (const problem of parsed.problems) ctx.addIssue({ code: "custom", message: `COUNTERSIGN_TRUSTED_PROXIES: ${problem}` });
      return z.NEVER;
    }),
  /** Database connections this process may hold (web requests and in-process workers share them). */
  COUNTERSIGN_DB_POOL_MAX: z.coerce.number({ message: "COUNTERSIGN_DB_POOL_MAX must be a whole number from 2 to 100" }).int().min(2).max(100).default(10),
});

export type Env = z.output<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const blank = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, v === "" ? undefined : v]));
  const parsed = schema.safeParse(blank);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}
