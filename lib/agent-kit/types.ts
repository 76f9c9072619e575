// The contract between Countersign and an agent. An agent author needs this folder and nothing
// else of the core: a tool's schema, risk and execute function, the context it runs in, and the
// agent definition the registry holds.
import type { z } from "zod";
import type { EvalSuite } from "./evals";
import type { Fixtures } from "./fixtures";
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
   * The tool only reads (a tool with a `cache` is a read too). Scratch runs treat every other tool
   * as a write: re-runs and shadow runs never execute writes, only record "would call"; reads run
   * there against the agent's `sandbox`, never against what `createDeps` builds.
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
  /**
   * Irreversible tools: a read-only look at the world before a human decides, run when the packet
   * opens and again at decision time. It answers warnings in plain words for the reviewer ("order
   * 1042: €89.90 already refunded since this was proposed"); a reviewer must acknowledge each one
   * before approving. It must never write. An error it throws becomes a warning that it could not check.
   */
  preCheck?: (input: Input, ctx: PreCheckContext<Deps, Input>) => Promise<string[]>;
};

/** What a pre-check is given: the clients of a live run, the customer, when the call was proposed. */
export type PreCheckContext<Deps = unknown, Input = unknown> = {
  subject: Subject;
  deps: Deps;
  proposedAt: Date;
  /** The arguments of other pending calls of this tool that change the same records (`writes`). */
  alsoPending: Input[];
  signal: AbortSignal;
};

/**
 * A tool with its input type erased, so tools of different inputs sit in one list. Parameters are
 * contravariant: `never` accepts every tool, and the runtime parses input with the tool's schema.
 */
export type AnyTool = ToolSpec<never, never>;

/**
 * How a run meets the world. `live` is a customer's run; every other mode is a scratch run, which
 * never reaches a real system: `eval` (a case of an eval suite, in the scratch process on a copy of
 * the database), `replay` (a recorded run served again), `rerun` (a recorded request on another
 * settings version), `shadow` (a sampled live request on the agent's shadow version).
 */
export type RunMode = "live" | "eval" | "replay" | "rerun" | "shadow";
export type ScratchMode = Exclude<RunMode, "live">;

/** What an agent's dependency factories are given besides the subject. */
export type DepsContext<Config, Mode extends RunMode = RunMode> = {
  mode: Mode;
  /** The agent's own configuration, parsed by its `config` schema when the app started. */
  config: Config;
};

/**
 * Where an agent's tools go in scratch runs, instead of `createDeps`. Deps built here may reach
 * only in-process fakes, recorded responses, the database the run works in (the scratch copy in an
 * eval) and the URLs listed in `reaches` (a company's own sandbox, e.g. a payment provider's test
 * mode). Scratch runs refuse any other connection (lib/scratch/network-guard.ts), whatever the
 * environment says.
 */
export type Sandbox<Deps, Config> = {
  createDeps: (subject: Subject, ctx: DepsContext<Config, ScratchMode>) => Deps;
  /** Base URLs of sandbox services these deps call over the network, from the agent's config. */
  reaches?: (config: Config) => string[];
};

/**
 * A service the app serves for the demo in place of the agent's real system (like the demo
 * carrier): mounted at `/api/demo/{name}/…` by one generic route. Its tables come from the agent's
 * own `migrations/*.sql` and its demo rows from `seed.sql` (applied by lib/db/agent-sql.ts).
 */
export type DemoService = {
  /** The path segment it is served under; the agent's name by default. */
  name?: string;
  /** Answers one request; `path` is what follows `/api/demo/{name}/`. Never throws: a 4xx/5xx Response instead. */
  handle: (request: Request, path: string[]) => Promise<Response>;
};

/** What policy rules asked to know about a call: the facts named, for this customer and these arguments. */
export type FactRequest = {
  subject: Subject;
  tool: string;
  arguments: Record<string, unknown>;
  names: readonly string[];
};
export type Facts = Record<string, string | number | boolean | null>;

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
  /**
   * A few customer messages that belong here. The router model's prompt shows them, and the
   * offline model scores a message against every intent's examples (words that only this intent
   * uses weigh most), so routing does not depend on the order of the registry.
   */
  examples?: string[];
  /** For the offline demo model only: a message matching this counts strongly for this intent. */
  offline?: { pattern: RegExp; confidence: number; rationale: string };
};

export type AgentSpec<Deps = unknown, Config = undefined> = {
  /** lower-case id, used in URLs, settings and the trace. */
  name: string;
  title: string;
  description: string;
  tier: ModelTier;
  system: string;
  intents: IntentSpec[];
  tools: ToolSpec<never, Deps>[];
  limits: AgentLimits;
  /**
   * The agent's own settings from the environment (its service's URL, keys), as a zod schema over
   * process.env: parsed once when the app starts, which stops with a message naming the variable
   * if one is wrong. The parsed value reaches createDeps, the sandbox and the fixtures.
   */
  config?: z.ZodType<Config>;
  /** Builds the clients this agent's tools use, once per live run, for the subject it acts for. */
  createDeps: (subject: Subject, ctx: DepsContext<Config, "live">) => Deps;
  /**
   * The tools' dependencies in scratch runs (evals, replay, re-runs, shadow). Without a sandbox no
   * tool of this agent runs in a scratch run: each call is recorded as not executed.
   */
  sandbox?: Sandbox<Deps, Config>;
  /** What an eval case's `state` may ask for (records to create, faults to switch on), and how. */
  fixtures?: Fixtures<Config>;
  /** The agent's eval suites (agents/<name>/evals/*.ts): the promotion gate runs them on every settings change. */
  evals?: readonly EvalSuite[];
  /** A stand-in for the agent's system that the app serves in the demo. */
  demoService?: DemoService;
  /**
   * Facts about the customer and the records a call touches, for policy rules that ask about
   * them ("refunds_last_30_days", "account_age_days"). Asked only for the facts a rule in force
   * names, when a call is proposed and by the policy's simulation; it only reads. A fact it does
   * not know is left out (a rule's condition on it does not hold).
   */
  facts?: (ask: FactRequest, deps: Deps) => Promise<Facts>;
  /** How the offline demo model plays this agent; without one it hands the request to the team. */
  offline?: OfflineScript;
};

/** An agent with its dependency and configuration types erased, as the registry and the runtime hold it. */
export type Agent = AgentSpec<never, never>;
