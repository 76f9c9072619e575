import type { z } from "zod";
import type { Shop } from "@/lib/shop/service";
import type { ModelTier } from "@/lib/model/types";

export type ToolContext = {
  shop: Shop;
  /** Server-generated, one per tool call; the shop enforces it on every write. */
  idempotencyKey: string;
};

export type ToolSpec<Input = unknown> = {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  /** Irreversible tools always wait for a human; no setting turns this off. */
  irreversible: boolean;
  /** One line a reviewer can scan in the inbox. */
  summarize: (input: Input) => string;
  execute: (input: Input, ctx: ToolContext) => Promise<unknown>;
};

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
