import Anthropic from "@anthropic-ai/sdk";
import type {
  Message,
  MessageCreateParamsNonStreaming,
  TextBlockParam,
  Tool,
} from "@anthropic-ai/sdk/resources/messages/messages";
import {
  ModelError,
  type ContentBlock,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
  type RetryRecord,
  type StopReason,
} from "./types";

export type AnthropicProviderOptions = {
  apiKey: string;
  baseURL?: string;
  /** Retries after the first attempt, for 429, 529, 5xx, timeouts and connection failures. */
  maxRetries?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /** Injected by tests so backoff waits are recorded instead of slept. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); injected by tests for deterministic waits. */
  random?: () => number;
};

type Failure = {
  kind: ModelError["kind"];
  status?: number;
  retryable: boolean;
  retryAfterMs?: number;
  detail: string;
};

const EPHEMERAL = { type: "ephemeral" } as const;

export class AnthropicProvider implements ModelProvider {
  readonly name = "anthropic";
  private readonly client: Anthropic;
  private readonly apiKey: string;
  private readonly maxRetries: number;
  private readonly baseBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor({
    apiKey,
    baseURL,
    maxRetries = 3,
    baseBackoffMs = 500,
    maxBackoffMs = 8000,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random = Math.random,
  }: AnthropicProviderOptions) {
    // The SDK's own retries are off: ours record every failed attempt for the run trace.
    this.client = new Anthropic({ apiKey, baseURL, maxRetries: 0 });
    this.apiKey = apiKey;
    this.maxRetries = maxRetries;
    this.baseBackoffMs = baseBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.sleep = sleep;
    this.random = random;
  }

  async complete(request: ModelRequest): Promise<ModelResponse> {
    const params = toParams(request);
    // ModelResponse.retries / ModelError.retries list the attempts that were retried; the final
    // failure of an exhausted call is the ModelError itself, so retries.length <= maxRetries.
    const retries: RetryRecord[] = [];
    for (let attempt = 0; ; attempt++) {
      // The SDK's `timeout` only covers waiting for response headers; the signal also bounds a
      // body that stalls half-way.
      const deadline =
        request.timeoutMs === undefined ? undefined : AbortSignal.timeout(request.timeoutMs);
      try {
        const message = await this.client.messages.create(
          params,
          deadline ? { timeout: request.timeoutMs, signal: deadline } : undefined,
        );
        return { ...fromMessage(message), retries };
      } catch (error) {
        const failure = classify(error, deadline?.aborted === true);
        if (!failure.retryable || attempt >= this.maxRetries) {
          const tries = attempt + 1;
          const message = `Anthropic ${failure.kind}${failure.status ? ` (${failure.status})` : ""} after ${tries} attempt${tries === 1 ? "" : "s"}: ${failure.detail}`;
          throw new ModelError(failure.kind, this.redact(message), retries);
        }
        const waitedMs = this.backoffMs(attempt, failure.retryAfterMs);
        retries.push({
          kind: failure.kind,
          ...(failure.status ? { status: failure.status } : {}),
          waitedMs,
        });
        await this.sleep(waitedMs);
      }
    }
  }

  /** Exponential backoff with full jitter, unless the server said how long to wait. */
  private backoffMs(attempt: number, retryAfterMs: number | undefined): number {
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, this.maxBackoffMs);
    const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** attempt);
    return Math.floor(this.random() * ceiling);
  }

  private redact(text: string): string {
    return this.apiKey ? text.split(this.apiKey).join("[redacted]") : text;
  }
}

export function createAnthropicProviderFromEnv(
  env: Record<string, string | undefined> = process.env,
): AnthropicProvider | null {
  const apiKey = env.ANTHROPIC_API_KEY?.trim();
  if (!apiKey) return null;
  const baseURL = env.ANTHROPIC_BASE_URL?.trim() || undefined;
  return new AnthropicProvider({ apiKey, baseURL });
}

function toParams(request: ModelRequest): MessageCreateParamsNonStreaming {
  // Prompt caching: the system prompt and the tool list are the stable prefix of every call.
  const system: TextBlockParam[] = [
    { type: "text", text: request.system, cache_control: EPHEMERAL },
  ];
  const tools: Tool[] | undefined = request.tools?.map((tool, index, all) => ({
    name: tool.name,
    description: tool.description,
    input_schema: { ...tool.input_schema, type: "object" },
    ...(index === all.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  return {
    model: request.model,
    max_tokens: request.maxTokens,
    system,
    messages: request.messages,
    ...(tools && tools.length > 0 ? { tools } : {}),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
  };
}

class MalformedResponseError extends Error {}

function fromMessage(message: Message): Omit<ModelResponse, "retries"> {
  // A 200 whose body is not a Messages API object (the SDK hands back non-JSON bodies as text).
  if (
    typeof message !== "object" ||
    message === null ||
    !Array.isArray(message.content) ||
    !message.usage
  ) {
    throw new MalformedResponseError("response body is not a message");
  }
  const content: ContentBlock[] = [];
  for (const block of message.content) {
    if (block.type === "text") content.push({ type: "text", text: block.text });
    else if (block.type === "tool_use")
      content.push({ type: "tool_use", id: block.id, name: block.name, input: block.input });
  }
  const usage = message.usage;
  return {
    model: message.model,
    content,
    stopReason: toStopReason(message.stop_reason),
    usage: {
      inputTokens: usage.input_tokens ?? 0,
      outputTokens: usage.output_tokens ?? 0,
      cacheReadTokens: usage.cache_read_input_tokens ?? 0,
      cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    },
  };
}

function toStopReason(reason: Message["stop_reason"]): StopReason {
  // Running out of context truncates the answer just as max_tokens does.
  if (reason === "model_context_window_exceeded") return "max_tokens";
  return reason ?? "end_turn";
}

function classify(error: unknown, deadlinePassed: boolean): Failure {
  if (deadlinePassed || error instanceof Anthropic.APIConnectionTimeoutError) {
    return { kind: "timeout", retryable: true, detail: "request timed out" };
  }
  if (error instanceof Anthropic.APIConnectionError) {
    return { kind: "connection", retryable: true, detail: error.message };
  }
  if (error instanceof Anthropic.APIError && typeof error.status === "number") {
    const status = error.status;
    const detail = error.apiMessage ?? error.message;
    if (error instanceof Anthropic.RateLimitError) {
      return {
        kind: "rate_limited",
        status,
        retryable: true,
        retryAfterMs: retryAfterMs(error.headers),
        detail,
      };
    }
    if (status === 529) return { kind: "overloaded", status, retryable: true, detail };
    if (status >= 500) return { kind: "server_error", status, retryable: true, detail };
    if (status === 408) return { kind: "timeout", status, retryable: true, detail };
    if (status === 401 || status === 403) return { kind: "auth", status, retryable: false, detail };
    return { kind: "bad_request", status, retryable: false, detail };
  }
  // A 200 with an unparseable or non-message body: a server-side fault, usually transient.
  if (error instanceof SyntaxError || error instanceof MalformedResponseError) {
    return {
      kind: "server_error",
      retryable: true,
      detail: `malformed response: ${error.message}`,
    };
  }
  // The SDK refused the request before sending it (e.g. max_tokens too large for a non-streaming call).
  if (error instanceof Anthropic.AnthropicError) {
    return { kind: "bad_request", retryable: false, detail: error.message };
  }
  throw error;
}

function retryAfterMs(headers: Headers): number | undefined {
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
