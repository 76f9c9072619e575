import "server-only";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "@/lib/client-address";

// Validated once, on first use; a bad value stops the server with a message that names it.
const schema = z.object({
  DATABASE_URL: z.url({
    message:
      "DATABASE_URL must be a postgresql:// URL (leave it unset for the embedded database via `npm run demo`)",
  }),
  NEXTAUTH_SECRET: z
    .string()
    .min(
      32,
      "NEXTAUTH_SECRET must be at least 32 characters (npm run demo generates one under .data/)",
    ),
  NEXTAUTH_URL: z.url().optional(),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** A scrape token for GET /api/metrics (an admin personal access token works too). */
  COUNTERSIGN_METRICS_TOKEN: z
    .string()
    .min(16, "COUNTERSIGN_METRICS_TOKEN must be at least 16 characters")
    .optional(),
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
      for (const problem of parsed.problems)
        ctx.addIssue({ code: "custom", message: `COUNTERSIGN_TRUSTED_PROXIES: ${problem}` });
      return z.NEVER;
    }),
  /** Single sign-on with an OpenID Connect provider (lib/auth/sso.ts): all three, or none. */
  OIDC_ISSUER: z
    .url({
      message:
        "OIDC_ISSUER must be the provider's issuer URL (its /.well-known/openid-configuration is read)",
    })
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The scopes asked for: add the one your provider needs for the role claim (e.g. "openid email profile groups"). */
  OIDC_SCOPE: z.string().min(6).default("openid email profile"),
  /** What the sign-in button says ("Sign in with …"). */
  OIDC_NAME: z.string().min(1).max(60).default("your company account"),
  /** The ID token claim that carries the person's groups or role (a string or a list). */
  OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
  /** Which claim value gives which role: "cs-admins=admin,cs-reviewers=reviewer,customers=user"; the highest role wins. */
  OIDC_ROLE_MAP: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const map: Record<string, "admin" | "reviewer" | "user"> = {};
      for (const pair of (value ?? "")
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [claim, role] = pair.split("=").map((s) => s.trim());
        if (!claim || (role !== "admin" && role !== "reviewer" && role !== "user")) {
          ctx.addIssue({
            code: "custom",
            message: `OIDC_ROLE_MAP: "${pair}" should read claim-value=admin|reviewer|user`,
          });
          return z.NEVER;
        }
        map[claim] = role;
      }
      return map;
    }),
  /** The role of someone whose claim maps to no role; unset: they are refused. */
  OIDC_DEFAULT_ROLE: z.enum(["admin", "reviewer", "user"]).optional(),
  /** "0" turns password sign-in off (single sign-on only). */
  COUNTERSIGN_PASSWORD_SIGNIN: z.enum(["0", "1"]).default("1"),
  /** Database connections this process may hold (web requests and in-process workers share them). */
  COUNTERSIGN_DB_POOL_MAX: z.coerce
    .number({ message: "COUNTERSIGN_DB_POOL_MAX must be a whole number from 2 to 100" })
    .int()
    .min(2)
    .max(100)
    .default(10),
});

export type Env = z.output<typeof schema>;

const ssoComplete = (e: Env) =>
  [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const blank = Object.fromEntries(
    Object.entries(process.env).map(([k, v]) => [k, v === "" ? undefined : v]),
  );
  const parsed = schema.safeParse(blank);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const sso = ssoComplete(parsed.data);
  if (sso !== 0 && sso !== 3)
    throw new Error(
      "Invalid environment:\n  OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: set all three for single sign-on, or none",
    );
  if (sso === 0 && parsed.data.COUNTERSIGN_PASSWORD_SIGNIN === "0")
    throw new Error(
      "Invalid environment:\n  COUNTERSIGN_PASSWORD_SIGNIN=0 leaves no way to sign in: configure single sign-on (OIDC_ISSUER, …) too",
    );
  cached = parsed.data;
  return cached;
}
