import { z } from "zod";
import { LIMIT_FIELDS, type LimitBounds, type LimitKey } from "./limit-fields";
import { parseNumericInput } from "./setting-fields";
import {
  limitsReason,
  workspaceLimitsSchema,
  type WorkspaceLimits,
} from "./workspace-limits-schema";

/** What the limits form holds: each limit as typed (dollars for money), and the reason. */
export type LimitsDraft = Record<LimitKey, string> & { limitsReason: string };

/** One limit as typed, read in the form's units (dollars for money) into the stored number. */
function typedLimit(field: (typeof LIMIT_FIELDS)[number], bounds: LimitBounds) {
  return z.string().transform((raw, ctx) => {
    const parsed = parseNumericInput(field, raw, bounds[field.key]);
    if ("value" in parsed) return parsed.value;
    ctx.addIssue({ code: "custom", message: parsed.error });
    return z.NEVER;
  });
}

/**
 * The limits form's schema, built from the server's (`workspaceLimitsSchema`, `limitsReason`):
 * each typed value is read in the form's units and must then pass the very schema the server
 * action parses with, so the browser shows the server's rule beside its field before sending.
 */
export function limitsFormSchema(bounds: LimitBounds) {
  const fields = Object.fromEntries(
    LIMIT_FIELDS.map((field) => [field.key, typedLimit(field, bounds)]),
  ) as Record<LimitKey, ReturnType<typeof typedLimit>>;
  return z
    .object({ ...fields, limitsReason })
    .transform(({ limitsReason: reason, ...limits }, ctx) => {
      const checked = workspaceLimitsSchema.safeParse(limits);
      if (!checked.success) {
        for (const issue of checked.error.issues)
          ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
        return z.NEVER;
      }
      return { limits: checked.data as WorkspaceLimits, reason };
    });
}
