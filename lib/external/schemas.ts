// The contract of the external agent API (/api/v1/actions), as zod schemas. The route handlers
// validate with them, the OpenAPI document is generated from them (zod-openapi) and the
// TypeScript client is typed from them, so the three cannot drift apart. Imports zod only: the
// client package and any script may import this file.
import { z } from "zod";

/** Tool names as agents and MCP servers spell them: letters, digits, `_ - . /`. */
export const toolName = z
  .string({ message: "tool is required" })
  .regex(/^[A-Za-z0-9_.\/-]{1,128}$/, "tool is 1 to 128 letters, digits or _ - . /");

const jsonObject = z.record(z.string(), z.unknown());

export const untrustedInputSchema = z
  .object({
    source: z
      .string({ message: "source is required" })
      .min(1, "source is required")
      .max(200, "source is at most 200 characters"),
    text: z.string({ message: "text is required" }).max(20_000, "text is at most 20000 characters"),
  })
  .strict()
  .meta({
    description:
      "Text from outside the agent's own words (a customer's message, a web page, a tool result). Checked for instruction-like content.",
  });

/** One event of the agent's own trace, shown to the reviewer beside the proposed call. */
export const agentTraceEventSchema = z
  .object({
    kind: z
      .enum(["model_call", "tool_call", "note"], {
        message: "kind is model_call, tool_call or note",
      })
      .default("note"),
    name: z
      .string({ message: "name is required" })
      .min(1, "name is required")
      .max(200, "name is at most 200 characters"),
    data: jsonObject.optional(),
    at: z.iso.datetime({ message: "at is an ISO 8601 date-time" }).optional(),
    input_tokens: z.number().int().min(0).optional(),
    output_tokens: z.number().int().min(0).optional(),
    latency_ms: z.number().int().min(0).optional(),
  })
  .strict();

export const MAX_TRACE_EVENTS = 100;
export const MAX_EXPIRES_IN_SECONDS = 7 * 86_400;

export const proposeActionSchema = z
  .object({
    tool: toolName,
    arguments: jsonObject.meta({
      description: "The exact arguments the agent wants to run the tool with.",
    }),
    input_schema: jsonObject.optional().meta({
      description:
        "JSON Schema of the arguments: the reviewer's edit form, and the check of edited arguments.",
    }),
    irreversible: z.boolean({ message: "irreversible is required (true or false)" }),
    summary: z.string().max(500, "summary is at most 500 characters").optional(),
    confidence: z
      .number({ message: "confidence is a number" })
      .min(0, "confidence is between 0 and 1")
      .max(1, "confidence is between 0 and 1")
      .optional(),
    rationale: z.string().max(4000, "rationale is at most 4000 characters").optional(),
    subject: z
      .object({
        id: z
          .string({ message: "subject.id is required" })
          .min(1, "subject.id is required")
          .max(200),
        email: z.email({ message: "subject.email is an email address" }).optional(),
      })
      .strict()
      .optional()
      .meta({ description: "Whom the call acts for." }),
    context: z
      .object({
        request: z.string().max(20_000, "context.request is at most 20000 characters").optional(),
        messages: z
          .array(z.object({ role: z.string().max(40), content: z.string().max(20_000) }).strict())
          .max(100, "context.messages holds at most 100 messages")
          .optional(),
        untrusted_inputs: z
          .array(untrustedInputSchema)
          .max(50, "context.untrusted_inputs holds at most 50 inputs")
          .optional(),
      })
      .strict()
      .optional(),
    trace: z
      .array(agentTraceEventSchema)
      .max(MAX_TRACE_EVENTS, `trace holds at most ${MAX_TRACE_EVENTS} events`)
      .optional(),
    callback_url: z
      .url({ message: "callback_url is an absolute http(s) URL", protocol: /^https?$/ })
      .max(2000)
      .optional(),
    expires_in_seconds: z
      .number({ message: "expires_in_seconds is a number" })
      .int("expires_in_seconds is a whole number")
      .min(10, "expires_in_seconds is at least 10")
      .max(MAX_EXPIRES_IN_SECONDS, `expires_in_seconds is at most ${MAX_EXPIRES_IN_SECONDS}`)
      .optional(),
  })
  .strict()
  .meta({ id: "ProposeActionRequest" });
export type ProposeActionInput = z.infer<typeof proposeActionSchema>;

export const PROPOSAL_STATUSES = ["pending", "approved", "denied"] as const;
export const ACTION_STATUSES = [
  "pending",
  "approved",
  "rejected",
  "expired",
  "denied",
  "completed",
] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const proposeActionResponseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(PROPOSAL_STATUSES),
    reasons: z
      .array(z.string())
      .meta({ description: "Why it waits (or why it was denied), as sentences." }),
  })
  .meta({ id: "ProposeActionResponse" });
export type ProposeActionResponse = z.infer<typeof proposeActionResponseSchema>;

export const actionViewSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(ACTION_STATUSES),
    tool: z.string(),
    arguments: jsonObject.meta({
      description:
        "The approved arguments (edited or not) once approved; the proposed ones before.",
    }),
    arguments_hash: z
      .string()
      .meta({ description: "SHA-256 of the canonical JSON of `arguments`." }),
    edited: z.boolean(),
    reason: z
      .string()
      .nullable()
      .meta({ description: "The reviewer's reason, or why policy denied it or it expired." }),
    reasons: z.array(z.string()).meta({ description: "Why it waited." }),
    decided_by: z
      .string()
      .nullable()
      .meta({ description: "The reviewer's email, `policy`, or `system` (expiry)." }),
    decided_at: z.iso.datetime().nullable(),
    expires_at: z.iso
      .datetime()
      .nullable()
      .meta({ description: "Until when a reviewer may decide (null: decided by policy)." }),
    grant: z.string().nullable().meta({
      description:
        "Single-use token bound to this action and `arguments_hash`; present once approved and until the result is reported.",
    }),
    result_status: z.enum(["succeeded", "failed"]).nullable(),
  })
  .meta({ id: "Action" });
export type ActionView = z.infer<typeof actionViewSchema>;

export const MAX_WAIT_SECONDS = 60;
export const waitQuerySchema = z.object({
  wait: z.coerce
    .number({ message: "wait is a number of seconds" })
    .int("wait is a whole number of seconds")
    .min(0, "wait is at least 0")
    .max(MAX_WAIT_SECONDS, `wait is at most ${MAX_WAIT_SECONDS} seconds`)
    .optional(),
});

export const reportResultSchema = z
  .object({
    grant: z
      .string({ message: "grant is required" })
      .min(1, "grant is required")
      .max(200, "grant is not valid"),
    status: z.enum(["succeeded", "failed"], { message: "status is succeeded or failed" }),
    result: z.unknown().optional(),
    error: z
      .union([z.string().max(4000, "error is at most 4000 characters"), jsonObject])
      .optional(),
  })
  .strict()
  .meta({ id: "ReportResultRequest" });
export type ReportResultInput = z.infer<typeof reportResultSchema>;

export const reportResultResponseSchema = z
  .object({
    id: z.uuid(),
    status: z.literal("completed"),
    result_status: z.enum(["succeeded", "failed"]),
  })
  .meta({ id: "ReportResultResponse" });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string().meta({ description: "Names the field that is wrong." }),
      details: jsonObject.optional(),
    }),
  })
  .meta({ id: "Error" });

/** The body of every decision webhook (Standard Webhooks: the headers carry id, timestamp, signature). */
export const WEBHOOK_EVENTS = [
  "action.approved",
  "action.rejected",
  "action.expired",
  "action.denied",
] as const;
export const webhookEventSchema = z
  .object({
    type: z.enum(WEBHOOK_EVENTS),
    timestamp: z.iso.datetime(),
    data: actionViewSchema,
  })
  .meta({ id: "ActionDecisionWebhook" });
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

export const AGENT_KEY_PREFIX = "cs_agent_";
export const GRANT_PREFIX = "csg_";
