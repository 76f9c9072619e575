export {
  createClient,
  type Approved,
  type ApprovalRequest,
  type CountersignClient,
  type CountersignClientOptions,
  type Decision,
  type NotApproved,
  type WaitOptions,
} from "./client";
export { CountersignError, CountersignNotApprovedError, CountersignTimeoutError } from "./errors";
export { verifyWebhook, WebhookVerificationError } from "./webhooks";
export type {
  ActionStatus,
  ActionView,
  ProposeActionBody,
  ProposeActionResponse,
  WebhookEvent,
} from "./wire";
