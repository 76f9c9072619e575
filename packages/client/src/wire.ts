// The wire contract is the server's own: the zod schemas the route handlers validate with and
// the OpenAPI document is generated from. A relative import (that file imports zod only), so the
// package and the server cannot drift apart.
export {
  actionViewSchema,
  proposeActionResponseSchema,
  proposeActionSchema,
  reportResultResponseSchema,
  reportResultSchema,
  webhookEventSchema,
  type ActionStatus,
  type ActionView,
  type ProposeActionResponse,
  type WebhookEvent,
} from "../../../lib/external/schemas";
import type { z } from "zod";
import type { proposeActionSchema, reportResultSchema } from "../../../lib/external/schemas";

/** What a caller sends (defaults not yet applied). */
export type ProposeActionBody = z.input<typeof proposeActionSchema>;
export type ResultReportBody = z.input<typeof reportResultSchema>;
