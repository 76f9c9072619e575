import { z } from "zod";

// The per-user limits as data: pure (no database), so the admin form, the history and the chat's
// wording share one definition. Money is in micro-dollars, as runs and trace events record it.
export const workspaceLimitsSchema = z.object({
  /**
   * Runs of one user actively working (queued, routing, running) at once. Runs parked for a
   * reviewer do not count: they spend nothing while a person decides, which can take hours, and a
   * customer with refunds waiting must still be able to ask where their parcel is.
   */
  maxRunsInFlight: z.number().int().min(1).max(50),
  /** Turns one user may start in any 60 seconds. */
  maxTurnsPerMinute: z.number().int().min(1).max(600),
  /** Model spend of one user's runs today (UTC); 0 stops every user's new turns. */
  userDailyBudgetMicros: z.number().int().min(0).max(1_000_000_000),
});
export type WorkspaceLimits = z.infer<typeof workspaceLimitsSchema>;

/** Why an admin changes the limits: kept with the version; the form checks with this very schema. */
export const limitsReason = z
  .string()
  .trim()
  .min(3, "Say why you are changing the limits")
  .max(500, "Keep the reason under 500 characters")
  .refine((r) => !r.includes("\u0000"), "The reason contains a NUL character; remove it");

export const DEFAULT_WORKSPACE_LIMITS: WorkspaceLimits = {
  maxRunsInFlight: 3,
  maxTurnsPerMinute: 10,
  userDailyBudgetMicros: 5_000_000,
};
