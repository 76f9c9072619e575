// Every agent's eval suites (files beside each agent, agents/<name>/evals/). Adding a suite is one
// line here; lib/ reaches them through lib/agents.ts.
import type { EvalSuite } from "@/lib/agent-kit";
import refundsAdversarial from "./refunds/evals/adversarial";
import refundsBehavioural from "./refunds/evals/behavioural";
import refundsGolden from "./refunds/evals/golden";

export const evalSuites: readonly EvalSuite[] = [refundsGolden, refundsBehavioural, refundsAdversarial];
