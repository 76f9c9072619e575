// "Approve calls like this automatically": a reviewer's scoped grant. Pure checks here; the writes
// are in grant-store.ts. A grant is for one tool of one agent and one customer, within argument
// bounds, until it expires or its uses run out, and never stretches past what the policy allows:
// a call that a rule asks two people for, or that waits because the run looked odd (untrusted
// input, an anomaly, low confidence), is never let through by a grant.
import { z } from "zod";

/** Per argument: numbers within lte/gte, anything else equal to `eq`. */
export const boundsSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  z.union([
    z
      .object({ lte: z.number().optional(), gte: z.number().optional() })
      .strict()
      .refine((b) => b.lte !== undefined || b.gte !== undefined, "a bound needs lte or gte"),
    z.object({ eq: z.union([z.string().max(500), z.number(), z.boolean()]) }).strict(),
  ]),
);
export type Bounds = z.output<typeof boundsSchema>;

/** Reasons a grant may stand in for: the call waits only because of what it is, not because the run looked wrong. */
export const GRANTABLE_REASONS = new Set(["irreversible", "required_by_settings", "policy_rule"]);

export type GrantView = {
  id: string;
  agent: string;
  tool: string;
  subjectId: string;
  bounds: Bounds;
  expiresAt: Date;
  usesLeft: number;
  revokedAt: Date | null;
  grantedByEmail: string;
};

export function withinBounds(bounds: Bounds, args: Record<string, unknown>): boolean {
  return Object.entries(bounds).every(([name, bound]) => {
    const value = args[name];
    if ("eq" in bound) return value === bound.eq;
    if (typeof value !== "number") return false;
    return (
      (bound.lte === undefined || value <= bound.lte) &&
      (bound.gte === undefined || value >= bound.gte)
    );
  });
}

/** Whether `grant` lets this call through now. */
export function grantCovers(
  grant: GrantView,
  call: {
    agent: string;
    tool: string;
    subjectId: string;
    arguments: Record<string, unknown>;
    reasonCodes: readonly string[];
    requiredApprovals: number;
  },
  now = new Date(),
): boolean {
  return (
    grant.revokedAt === null &&
    grant.expiresAt > now &&
    grant.usesLeft > 0 &&
    grant.agent === call.agent &&
    grant.tool === call.tool &&
    grant.subjectId === call.subjectId &&
    call.requiredApprovals <= 1 &&
    call.reasonCodes.every((code) => GRANTABLE_REASONS.has(code)) &&
    withinBounds(grant.bounds, call.arguments)
  );
}

/**
 * The bounds a reviewer's approval offers for a grant: an id (a name ending in `id`) and every other
 * identifying value as it is, any other number as an upper bound ("up to this amount"). The
 * reviewer may narrow them; never widen past what they approved.
 */
export function boundsFromApproved(args: Record<string, unknown>): Bounds {
  const bounds: Bounds = {};
  for (const [name, value] of Object.entries(args)) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(name)) continue;
    if (typeof value === "number" && !/(^|_)id$/.test(name)) bounds[name] = { lte: value };
    else if (typeof value === "number") bounds[name] = { eq: value };
    else if (
      typeof value === "boolean" ||
      (typeof value === "string" && value.length <= 64 && !/\s/.test(value))
    )
      bounds[name] = { eq: value };
  }
  return bounds;
}

/** Whether `asked` is no wider than `approved` allows (a grant never covers more than was approved). */
export function narrowerThan(asked: Bounds, approved: Bounds): boolean {
  return Object.entries(approved).every(([name, allowed]) => {
    const bound = asked[name];
    if (!bound) return false;
    if ("eq" in allowed) return "eq" in bound && bound.eq === allowed.eq;
    if ("eq" in bound)
      return typeof bound.eq === "number" && (allowed.lte === undefined || bound.eq <= allowed.lte);
    return allowed.lte === undefined || (bound.lte !== undefined && bound.lte <= allowed.lte);
  });
}
