// One model interface, shaped like the Anthropic Messages API, so the Anthropic provider is a
// thin mapping and the offline demo model speaks the same language.
import type { Model } from "@anthropic-ai/sdk/resources/messages/messages";

export type ModelId = Model;
export type ModelTier = "small" | "strong";

export type TextBlock = { type: "text"; text: string };
export type ToolUseBlock = { type: "tool_use"; id: string; name: string; input: unknown };
export type ToolResultBlock = {
  type: "tool_result";
  tool_use_id: string;
  content: string;
  is_error?: boolean;
};
export type ContentBlock = TextBlock | ToolUseBlock;

export type ChatMessage =
  | { role: "user"; content: string | Array<TextBlock | ToolResultBlock> }
  | { role: "assistant"; content: ContentBlock[] };

export type ToolDefinition = {
  name: string;
  description: string;
  input_schema: Record<string, unknown>;
};

export type ToolChoice = { type: "auto" } | { type: "any" } | { type: "tool"; name: string };

export type ModelRequest = {
  model: ModelId;
  system: string;
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  maxTokens: number;
  /** Abort the call after this many milliseconds. */
  timeoutMs?: number;
  /** The agent this call works for (not sent to any API): the offline demo model plays it by its script. */
  agent?: string;
};

export type StopReason =
  "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "refusal" | "pause_turn";

export type Usage = {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
};

export type ModelResponse = {
  model: string;
  content: ContentBlock[];
  stopReason: StopReason;
  usage: Usage;
  /** Failed attempts before this answer (429, 529, 5xx, timeouts), for the trace. */
  retries: RetryRecord[];
};

export type RetryRecord = { kind: ModelError["kind"]; status?: number; waitedMs: number };

/** A failure the runtime can name: the provider exhausted its retries or the call was refused. */
export class ModelError extends Error {
  constructor(
    readonly kind:
      | "rate_limited"
      | "overloaded"
      | "server_error"
      | "timeout"
      | "bad_request"
      | "auth"
      | "connection",
    message: string,
    readonly retries: RetryRecord[] = [],
  ) {
    super(message);
    this.name = "ModelError";
  }
}

export interface ModelProvider {
  /** "anthropic" or "offline-demo": shown in the UI and recorded on every run. */
  readonly name: string;
  complete(request: ModelRequest): Promise<ModelResponse>;
}
