import { z } from "zod";
import { createDocument } from "zod-openapi";
import {
  actionViewSchema,
  errorResponseSchema,
  MAX_WAIT_SECONDS,
  proposeActionResponseSchema,
  proposeActionSchema,
  reportResultResponseSchema,
  reportResultSchema,
  webhookEventSchema,
} from "./schemas";

// The OpenAPI 3.1 document of the agent API, generated from the same zod schemas the handlers
// validate with (zod-openapi), so that any language can generate a client that matches.

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const errors = {
  "400": json(errorResponseSchema, "A bad input; the message names the field."),
  "401": json(errorResponseSchema, "No valid agent key."),
  "404": json(errorResponseSchema, "No action of this agent has this id."),
  "429": json(errorResponseSchema, "Too many requests with this key; see Retry-After."),
};
const idPath = { path: z.object({ id: z.uuid().meta({ description: "The action id." }) }) };

export function openApiDocument(serverUrl = "/") {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Countersign agent API",
      version: "1.0.0",
      description:
        "Agents that run elsewhere propose tool calls, wait for a human decision (long-poll or signed webhook), and report the outcome with a single-use grant. Decision webhooks are signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the agent's signing secret.",
    },
    servers: [{ url: serverUrl }],
    security: [{ agentKey: [] }],
    components: {
      securitySchemes: {
        agentKey: {
          type: "http",
          scheme: "bearer",
          description: "An agent key, cs_agent_…, created by an admin at /admin/agents.",
        },
      },
    },
    paths: {
      "/api/v1/actions": {
        post: {
          operationId: "proposeAction",
          summary: "Propose one tool call",
          requestParams: {
            header: z.object({
              "idempotency-key": z.string().min(1).max(200).meta({
                description:
                  "Required. The same key and body answer the same action; another body is a 409.",
              }),
            }),
          },
          requestBody: {
            required: true,
            content: { "application/json": { schema: proposeActionSchema } },
          },
          responses: {
            "201": json(
              proposeActionResponseSchema,
              "Recorded, and decided by policy: pending (waits for a reviewer), approved or denied.",
            ),
            "409": json(errorResponseSchema, "The Idempotency-Key was used with another body."),
            ...errors,
          },
        },
      },
      "/api/v1/actions/{id}": {
        get: {
          operationId: "getAction",
          summary: "The action's state, optionally waiting for the decision",
          requestParams: {
            ...idPath,
            query: z.object({
              wait: z
                .number()
                .int()
                .min(0)
                .max(MAX_WAIT_SECONDS)
                .optional()
                .meta({
                  description: `Seconds to wait for a decision (at most ${MAX_WAIT_SECONDS}).`,
                }),
            }),
          },
          responses: { "200": json(actionViewSchema, "The action now."), ...errors },
        },
      },
      "/api/v1/actions/{id}/result": {
        post: {
          operationId: "reportResult",
          summary: "Report the outcome of the approved call, with its grant",
          requestParams: idPath,
          requestBody: {
            required: true,
            content: { "application/json": { schema: reportResultSchema } },
          },
          responses: {
            "200": json(reportResultResponseSchema, "Recorded in the trace and the audit trail."),
            "403": json(errorResponseSchema, "The grant is not this action's."),
            "409": json(errorResponseSchema, "Already reported, or the action was not approved."),
            ...errors,
          },
        },
      },
    },
    webhooks: {
      actionDecided: {
        post: {
          summary: "A decision on an action (sent to its callback_url)",
          requestBody: { content: { "application/json": { schema: webhookEventSchema } } },
          responses: {
            "200": { description: "Any 2xx acknowledges; anything else is retried with backoff." },
          },
        },
      },
    },
  });
}
