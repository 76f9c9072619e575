// The contract between Countersign and an agent. An agent author needs this folder and nothing
// else of the core: a tool's schema, risk and execute function, the context it runs in, and the
// agent definition the registry holds.
import type { z } from "zod";
import type { OfflineScript } from "./offline";

/** Whom a run acts for: the signed-in user who asked. Tools scope every read and write to it. */
export type Subject = { id: string; email: string; name: string | null };

export type ToolContext<Deps = unknown> = {
  runId: string;
  /** Server-generated, one per tool call and stable across its retries: send it with every write. */
  idempotencyKey: string;
  /** Fires at the tool's deadline (and when the run is abandoned). Pass it to fetch and friends. */
  signal: AbortSignal;
  subject: Subject;
  /** What the agent's createDeps built for this run: clients of the systems its tools call. */
  deps: Deps;
};

export type ToolSpec<Input = unknown, Deps = unknown> = {
  name: string;
  description: string;
  input: z.ZodType<Input>;
  /** Irreversible tools always wait for a human; no setting turns this off. */
  irreversible: boolean;
  /**
   * The tool only reads: shadow runs and re-runs against another settings version (lib/shadow,
   * lib/replay) may run it for real. Any tool without it counts as a write there and is never
   * executed, only recorded as "would call".
   */
  readOnly?: boolean;
  /** Argument names never sent to notification channels (webhook, email). */
  sensitive?: readonly string[];
  /** How often a failed call is retried on rate limits, upstream errors and timeouts (default 2). */
  maxRetries?: number;
  /** Per-attempt deadline in milliseconds (default 5000); ctx.signal fires when it passes. */
  timeoutMs?: number;
  /** One line a reviewer can scan in the inbox. */
  summarize: (input: Input) => string;
  /**
   * What the customer reads about this call, as a noun phrase in plain words: "a refund of €89.90
   * for order 1042". Every sentence the product writes about a parked, approved, edited, rejected,
   * expired or failed call is built on it (lib/customer-text), so a customer never reads a tool's
   * name or its raw arguments. Required: a generic fallback would be exactly the vague or leaky
   * text it replaces. No internal codes, no ISO dates, no text cut short.
   */
  describeForCustomer: (input: Input) => string;
  /**
   * What a reviewer's edit changed, for the customer, as what "they" did: "set the delivery to
   * Friday 19 December instead of Thursday 18 December". Null when the edit changes nothing the
   * customer gets (an internal note). Without it the customer reads the call before and after.
   */
  describeEditForCustomer?: (before: Input, after: Input) => string | null;
  /**
   * Read tools only: serve a successful result again, for `ttlSeconds`, to the same agent, subject
   * and arguments (lib/tool-cache). `records` names what the call reads, e.g. ["order:1042"]; a
   * write of this agent to any of them invalidates the entry. An irreversible tool, or one that
   * declares `writes`, cannot be cached: defineAgent refuses it.
   */
  cache?: { ttlSeconds: number; records: (input: Input) => string[] };
  /** Write tools: the records this call changes, in the same naming as `cache.records`. */
  writes?: (input: Input) => string[];
  /** Throw a ToolError for any failure the runtime should understand; anything else counts as upstream_error. */
  execute: (input: Input, ctx: ToolContext<Deps>) => Promise<unknown>;
};

/**
 * A tool with its input type erased, so tools of different inputs sit in one list. Parameters are
 * contravariant: `never` accepts every tool, and the runtime parses input with the tool's schema.
 */
export type AnyTool = ToolSpec<never, never>;

/** An agent's limits. Code holds the defaults; admins version changes (lib/agent-settings). */
export type AgentLimits = {
  maxIterations: number;
  maxTokensPerRun: number;
  maxCostMicros: number;
  deadlineSeconds: number;
  /** Below this stated confidence a call waits for a human even if the tool is harmless. */
  confidenceThreshold: number;
  approvalTtlSeconds: number;
};

export type ModelTier = "small" | "strong";

/** A class of user request the router can send to this agent. */
export type IntentSpec = {
  /** snake_case id, unique across the registry, e.g. "delivery_query". */
  id: string;
  /** Tells the router model what belongs here, e.g. "where a parcel is, changing a delivery date". */
  description: string;
  /** For the offline demo model only: a message matching this is classified here. */
  offline?: { pattern: RegExp; confidence: number; rationale: string };
};

export type AgentSpec<Deps = unknown> = {
  /** lower-case id, used in URLs, settings and the trace. */
  name: string;
  title: string;
  description: string;
  tier: ModelTier;
  system: string;
  intents: IntentSpec[];
  tools: ToolSpec<never, Deps>[];
  limits: AgentLimits;
  /** Builds the clients this agent's tools use, once per run, for the subject it acts for. */
  createDeps: (subject: Subject) => Deps;
  /** How the offline demo model plays this agent; without one it hands the request to the team. */
  offline?: OfflineScript;
};

/** An agent with its dependency type erased, as the registry and the runtime hold it. */
export type Agent = AgentSpec<never>;
