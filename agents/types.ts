import type { z } from "zod";
import type { Shop } from "@/lib/shop/service";
import type { ModelTier } from "@/lib/model/types";

export type ToolContext = {
  shop: Shop;
  runId: string;
  /** Server-generated, one per tool call; the shop enforces it on every write. */
  idempotencyKey: string;
};

export type ToolSpec<Input = unknown> = {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  /** Irreversible tools always wait for a human; no setting turns this off. */
  irreversible: boolean;
  /** Argument names never sent to notification channels (webhook, email). */
  sensitive?: readonly string[];
  /** How often a failed call is retried on rate limits, upstream errors and timeouts. */
  maxRetries?: number;
  /** Per-call deadline in milliseconds. */
  timeoutMs?: number;
  /** One line a reviewer can scan in the inbox. */
  summarize: (input: Input) => string;
  execute: (input: Input, ctx: ToolContext) => Promise<unknown>;
};

/** An agent's limits and policies. Code holds the defaults; admins version changes (lib/agent-settings). */
export type AgentLimits = {
  maxIterations: number;
  maxTokensPerRun: number;
  maxCostMicros: number;
  deadlineSeconds: number;
  /** Below this stated confidence a call waits for a human even if the tool is harmless. */
  confidenceThreshold: number;
  approvalTtlSeconds: number;
};

export type ExecutorSpec = {
  name: string;
  title: string;
  description: string;
  tier: ModelTier;
  system: string;
  tools: ToolSpec<never>[];
  limits: AgentLimits;
};

/** Keeps the tool's input type while storing it among tools of other types. */
export const defineTool = <I>(tool: ToolSpec<I>) => tool as unknown as ToolSpec<never>;
