// The agent kit: everything an agent author imports from the core (tests: @/lib/agent-kit/testing).
export { checkCaching, defineAgent, defineTool, toolsFor } from "./define";
export {
  CUSTOMER_MESSAGES,
  isToolError,
  RETRYABLE_KINDS,
  TOOL_ERROR_KINDS,
  ToolError,
  type ToolErrorKind,
  type ToolErrorOptions,
} from "./errors";
export {
  fetchJson,
  HTTP_CUSTOMER_MESSAGES,
  parseRetryAfter,
  toolErrorForFetchFailure,
  toolErrorForStatus,
} from "./http";
export type { OfflineMove, OfflineScript, OfflineTurn, SeenCall } from "./offline";
export { createRegistry, type Registry, type RegistrySpec, type RoutedIntent } from "./registry";
export { HANDOFF_TOOL, RECALL_TOOL } from "./runtime-tools";
export { outOfScope, type OutOfScope } from "./scope";
export type {
  Agent,
  AgentLimits,
  AgentSpec,
  AnyTool,
  DemoService,
  DepsContext,
  FactRequest,
  Facts,
  IntentSpec,
  ModelTier,
  PreCheckContext,
  RunMode,
  Sandbox,
  ScratchMode,
  Subject,
  ToolContext,
  ToolSpec,
} from "./types";
export {
  defineSuite,
  evalCaseSchema,
  evalSuiteSchema,
  EVAL_SUITE_KINDS,
  type EvalCase,
  type EvalCaseInput,
  type EvalSuite,
} from "./evals";
export {
  defineFixtures,
  type DecidedCall,
  type FixtureContext,
  type Fixtures,
  type Placeholders,
  type RecordedRead,
} from "./fixtures";
export { agentConfig, checkAgentConfigs, configVariables } from "./config";
export {
  demoServiceHandler,
  DemoRequestError,
  type DemoAnswer,
  type DemoRequest,
  type DemoRoute,
} from "./demo-service";
export { faultSwitches, type FaultSwitch } from "./faults";
