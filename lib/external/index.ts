// The external agent core: agents that run elsewhere propose tool calls, wait for the decision and
// report the outcome (see README.md beside this file). Route handlers and the MCP gateway use these.
export {
  EXTERNAL_PROVIDER,
  findExternalAgent,
  listExternalAgents,
  registerExternalAgent,
  updateExternalAgent,
  externalAgentSettingsSchema,
  registerExternalAgentInput,
} from "./agents";
export type {
  ExternalAgentSettings,
  ExternalAgentView,
  RegisterExternalAgentInput,
} from "./agents";
export { authenticateAgentKey, issueAgentKey, revokeAgentKey } from "./keys";
export type { AuthenticatedAgent } from "./keys";
export { proposeAction } from "./propose";
export type { ProposalOutcome } from "./propose";
export { getAction, waitForDecision } from "./actions-read";
export type { WaitOptions } from "./actions-read";
export { reportResult } from "./result";
export type { ReportOutcome } from "./result";
