import { z } from "zod";

// An eval case, as agent authors write them beside their agent (agents/<name>/evals/*.ts) and as
// a reviewer's decision is recorded into a suite (stored as JSON in eval_suite_versions). One zod
// schema for both: patterns are strings (not RegExp) so a recorded case is plain JSON.
//
// A case's `state` is the agent's own: its fixtures (lib/agent-kit/fixtures.ts) say what it may hold
// and create it fresh for every case. In `message`, decisions and expectations, "{name}" stands for
// the placeholder `name` the set-up returned ("{order}" for the demo shop's fresh order), so cases
// never share state.

const toolName = z.string().min(1).max(80);
const argumentsShape = z.record(z.string(), z.unknown());

export const evalDecisionSchema = z.discriminatedUnion("decision", [
  z.object({ tool: toolName, decision: z.literal("approve") }),
  z.object({ tool: toolName, decision: z.literal("reject"), reason: z.string().min(3).max(500) }),
  z.object({ tool: toolName, decision: z.literal("edit"), arguments: argumentsShape }),
]);

/** A read a run made before the decision it was recorded from: served again to the same call. */
export const recordedReadSchema = z.object({
  tool: toolName,
  arguments: argumentsShape,
  result: z.unknown(),
});

export const evalExpectSchema = z.object({
  agent: z.string().optional(),
  intent: z.string().optional(),
  status: z
    .enum(["completed", "failed", "terminated", "cancelled", "awaiting_approval"])
    .optional(),
  toolsCalled: z.array(toolName).optional(),
  toolsNotCalled: z.array(toolName).optional(),
  /** Tool calls the model proposed, whatever became of them. */
  maxToolCalls: z.number().int().min(0).optional(),
  maxTokens: z.number().int().min(0).optional(),
  maxCostMicros: z.number().int().min(0).optional(),
  /** Irreversible calls parked for a reviewer, with arguments that include these. */
  parked: z.array(z.object({ tool: toolName, arguments: argumentsShape.optional() })).optional(),
  /** "Should not propose this": no call of the tool (with arguments including these, if given). */
  notProposed: z
    .array(z.object({ tool: toolName, arguments: argumentsShape.optional() }))
    .optional(),
  /** "The approved arguments were these": the call executed with arguments including these. */
  executedWith: z.array(z.object({ tool: toolName, arguments: argumentsShape })).optional(),
  /** A regular expression (case-insensitive) what the run told the customer (all its messages, in order) must match, or must not. */
  answerMatches: z.string().optional(),
  answerNotMatches: z.string().optional(),
  /** Every call proposed with a confidence below this is parked for a reviewer. */
  escalatesBelowConfidence: z.number().min(0).max(1).optional(),
});

export const evalCaseSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,79}$/, "lower-case words joined by dashes"),
  title: z.string().min(3).max(200),
  message: z.string().min(1).max(2000),
  /** What the agent's fixtures create before the turn; validated by the agent's `fixtures.state` schema. */
  state: z.record(z.string(), z.unknown()).default({}),
  /** Recorded cases of agents without `fixtures.fromDecision`: what the reads returned, served again. */
  reads: z.array(recordedReadSchema).default([]),
  /** How the case's parked calls are decided, in order per tool; a parked call with no script entry stays pending. */
  decisions: z.array(evalDecisionSchema).default([]),
  expect: evalExpectSchema,
});

export const EVAL_SUITE_KINDS = ["golden", "behavioural", "adversarial"] as const;

export const evalSuiteSchema = z.object({
  agent: z.string(),
  name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  description: z.string(),
  cases: z.array(evalCaseSchema).min(1),
});

export type EvalCase = z.output<typeof evalCaseSchema>;
export type EvalCaseInput = z.input<typeof evalCaseSchema>;
export type EvalSuite = z.output<typeof evalSuiteSchema>;

/** A suite file's default export: validated when the module loads, so a bad case fails at once, naming the field. */
export function defineSuite(suite: z.input<typeof evalSuiteSchema>): EvalSuite {
  const parsed = evalSuiteSchema.safeParse(suite);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Eval suite ${suite.agent}/${suite.name} is invalid: ${where}`);
  }
  const ids = parsed.data.cases.map((c) => c.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate)
    throw new Error(`Eval suite ${suite.agent}/${suite.name} has two cases named ${duplicate}`);
  return parsed.data;
}
