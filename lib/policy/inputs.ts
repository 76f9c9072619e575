import { z } from "zod";
import { safeText } from "@/lib/validation/text";
import { policyReason, simulationDays } from "./form-fields";

// What the policy's doors accept, beside the document itself (validated by document.ts, naming the field).

/** A save: the version it replaces (409 if another came first), why, and the rule set. */
export const savePolicyBody = z
  .object({
    replaces: z
      .number({
        message: "replaces: the version this document replaces (GET /api/v1/policy gives it)",
      })
      .int()
      .min(0),
    reason: safeText().pipe(policyReason),
    rules: z.array(z.unknown(), { message: "rules: a list of rules" }),
    grantsOff: z.array(z.unknown(), { message: "grantsOff: a list of tool names" }).optional(),
    version: z.number().int().optional(),
  })
  .strict();

export const simulateBody = z
  .object({
    rules: z.array(z.unknown(), { message: "rules: a list of rules" }),
    days: simulationDays.default(30),
    agent: z.string().min(1).max(80).optional(),
    version: z.number().int().optional(),
  })
  .strict();
