import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  AnthropicProvider,
  createAnthropicProviderFromEnv,
  type AnthropicProviderOptions,
} from "./anthropic";
import { costMicros, MODEL_TIERS, priceFor } from "./pricing";
import { ModelError, type ModelRequest } from "./types";
import { startFakeAnthropic, type FakeAnthropic } from "@/test/support/fake-anthropic";

const API_KEY = "sk-ant-test-do-not-leak-123";

const request: ModelRequest = {
  model: "claude-haiku-5-5",
  system: "You approve refunds.",
  messages: [{ role: "user", content: "Refund order 42?" }],
  tools: [
    {
      name: "lookup_order",
      description: "Find an order",
      input_schema: { type: "object", properties: { id: { type: "string" } } },
    },
    {
      name: "issue_refund",
      description: "Refund an order",
      input_schema: { type: "object", properties: { id: { type: "string" } } },
    },
  ],
  toolChoice: { type: "auto" },
  maxTokens: 1024,
};

let fake: FakeAnthropic;
let sleeps: number[];

beforeEach(async () => {
  fake = await startFakeAnthropic();
  sleeps = [];
});
afterEach(async () => {
  await fake.close();
});

function provider(options: Partial<AnthropicProviderOptions> = {}) {
  return new AnthropicProvider({
    apiKey: API_KEY,
    baseURL: fake.url,
    sleep: async (ms) => void sleeps.push(ms),
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe("AnthropicProvider", () => {
  it("maps a tool_use answer: blocks, stop reason and usage including cache reads", async () => {
    fake.enqueue({
      kind: "message",
      content: [
        { type: "thinking", thinking: "hmm", signature: "sig" },
        fake.text("Looking it up."),
        fake.toolUse("lookup_order", { id: "42" }, "toolu_1"),
      ],
      stopReason: "tool_use",
      usage: {
        input_tokens: 120,
        output_tokens: 30,
        cache_read_input_tokens: 900,
        cache_creation_input_tokens: 0,
      },
    });

    const response = await provider().complete(request);

    expect(response).toEqual({
      model: "claude-haiku-5-5",
      content: [
        { type: "text", text: "Looking it up." },
        { type: "tool_use", id: "toolu_1", name: "lookup_order", input: { id: "42" } },
      ],
      stopReason: "tool_use",
      usage: { inputTokens: 120, outputTokens: 30, cacheReadTokens: 900, cacheWriteTokens: 0 },
      retries: [],
    });
    expect(fake.requests).toHaveLength(1);
  });

  it("sends the system prompt and the last tool with cache_control", async () => {
    fake.enqueue({ kind: "message", content: [fake.text("ok")] });

    await provider().complete({ ...request, toolChoice: { type: "tool", name: "issue_refund" } });

    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!;
    expect(body.model).toBe("claude-haiku-5-5");
    expect(body.max_tokens).toBe(1024);
    expect(body.system).toEqual([
      { type: "text", text: "You approve refunds.", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.messages).toEqual(request.messages);
    expect(body.tool_choice).toEqual({ type: "tool", name: "issue_refund" });
    const tools = body.tools as Array<Record<string, unknown>>;
    expect(tools.map((t) => t.name)).toEqual(["lookup_order", "issue_refund"]);
    expect(tools[0]).not.toHaveProperty("cache_control");
    expect(tools[1]!.cache_control).toEqual({ type: "ephemeral" });
    expect(body).not.toHaveProperty("stream", true);
    expect(fake.apiKeys).toEqual([API_KEY]);
  });

  it("omits tools and tool_choice when the request has none", async () => {
    fake.enqueue({ kind: "message", content: [fake.text("ok")] });
    const response = await provider().complete({
      ...request,
      tools: undefined,
      toolChoice: undefined,
    });
    expect(response.stopReason).toBe("end_turn");
    expect(fake.requests[0]).not.toHaveProperty("tools");
    expect(fake.requests[0]).not.toHaveProperty("tool_choice");
  });

  it("honours retry-after on 429, capped at maxBackoffMs, then succeeds", async () => {
    fake.enqueue(
      { kind: "error", status: 429, retryAfterSeconds: 2 },
      { kind: "error", status: 429, retryAfterSeconds: 30 },
      { kind: "message", content: [fake.text("done")] },
    );

    const response = await provider({ maxBackoffMs: 8000 }).complete(request);

    expect(fake.requests).toHaveLength(3);
    expect(response.content).toEqual([{ type: "text", text: "done" }]);
    expect(response.retries).toEqual([
      { kind: "rate_limited", status: 429, waitedMs: 2000 },
      { kind: "rate_limited", status: 429, waitedMs: 8000 },
    ]);
    expect(sleeps).toEqual([2000, 8000]);
  });

  it("retries 529 overloaded twice with exponential full-jitter backoff, then succeeds", async () => {
    fake.enqueue(
      { kind: "error", status: 529 },
      { kind: "error", status: 529 },
      { kind: "message", content: [fake.text("ok")] },
    );

    const response = await provider({ baseBackoffMs: 500, random: () => 0.5 }).complete(request);

    expect(fake.requests).toHaveLength(3);
    expect(response.retries).toEqual([
      { kind: "overloaded", status: 529, waitedMs: 250 },
      { kind: "overloaded", status: 529, waitedMs: 500 },
    ]);
    expect(sleeps).toEqual([250, 500]);
  });

  it("keeps jittered waits within the exponential ceiling and maxBackoffMs", async () => {
    fake.setDefault({ kind: "error", status: 500 });

    const error = await failure(
      provider({
        maxRetries: 5,
        baseBackoffMs: 1000,
        maxBackoffMs: 4000,
        random: () => 0.999,
      }).complete(request),
    );

    expect(error.retries.map((r) => r.waitedMs)).toEqual([999, 1998, 3996, 3996, 3996]);
  });

  it("gives up on a 500 that never clears with server_error after maxRetries + 1 requests", async () => {
    fake.setDefault({ kind: "error", status: 500 });

    const error = await failure(provider({ maxRetries: 3 }).complete(request));

    expect(error.kind).toBe("server_error");
    expect(fake.requests).toHaveLength(4);
    expect(error.retries).toHaveLength(3);
    expect(error.retries.every((r) => r.kind === "server_error" && r.status === 500)).toBe(true);
    expect(sleeps).toHaveLength(3);
  });

  // A 200 whose body is not valid JSON is a server-side fault: retried, then server_error.
  it("treats a malformed JSON body as a retryable server_error", async () => {
    fake.setDefault({ kind: "malformed" });

    const error = await failure(provider({ maxRetries: 2 }).complete(request));

    expect(error.kind).toBe("server_error");
    expect(error.message).toMatch(/malformed/);
    expect(fake.requests).toHaveLength(3);
    expect(error.retries).toEqual([
      { kind: "server_error", waitedMs: expect.any(Number) },
      { kind: "server_error", waitedMs: expect.any(Number) },
    ]);
  });

  it("recovers when a malformed body is followed by a good one", async () => {
    fake.enqueue({ kind: "malformed" }, { kind: "message", content: [fake.text("ok")] });
    const response = await provider().complete(request);
    expect(fake.requests).toHaveLength(2);
    expect(response.retries).toHaveLength(1);
  });

  it("fails with timeout when the answer is slower than timeoutMs", async () => {
    fake.enqueue({
      kind: "slow",
      delayMs: 2000,
      then: { kind: "message", content: [fake.text("late")] },
    });

    const started = Date.now();
    const error = await failure(
      provider({ maxRetries: 0 }).complete({ ...request, timeoutMs: 100 }),
    );

    expect(error.kind).toBe("timeout");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(fake.requests).toHaveLength(1);
    expect(error.retries).toEqual([]);
  });

  it("retries a timeout and records it", async () => {
    fake.enqueue(
      { kind: "slow", delayMs: 2000, then: { kind: "message", content: [fake.text("late")] } },
      { kind: "message", content: [fake.text("fast")] },
    );

    const response = await provider({ maxRetries: 1 }).complete({ ...request, timeoutMs: 200 });

    expect(response.content).toEqual([{ type: "text", text: "fast" }]);
    expect(response.retries).toEqual([{ kind: "timeout", waitedMs: expect.any(Number) }]);
    expect(fake.requests).toHaveLength(2);
  });

  it("does not retry a 400 bad request", async () => {
    fake.setDefault({ kind: "error", status: 400, message: "messages: field required" });

    const error = await failure(provider({ maxRetries: 3 }).complete(request));

    expect(error.kind).toBe("bad_request");
    expect(error.message).toContain("messages: field required");
    expect(error.retries).toEqual([]);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("does not retry a 401 and never leaks the API key", async () => {
    fake.setDefault({ kind: "error", status: 401, message: `invalid x-api-key: ${API_KEY}` });

    const error = await failure(provider({ maxRetries: 3 }).complete(request));

    expect(error.kind).toBe("auth");
    expect(fake.requests).toHaveLength(1);
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).toContain("[redacted]");
  });

  it("reports connection failures as connection after retries", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const error = await failure(
      provider({ baseURL: `http://127.0.0.1:${port}`, maxRetries: 2 }).complete(request),
    );

    expect(error.kind).toBe("connection");
    expect(error.retries.map((r) => r.kind)).toEqual(["connection", "connection"]);
  });

  it("answers a clear 500 when the script is empty", async () => {
    const error = await failure(provider({ maxRetries: 0 }).complete(request));
    expect(error.kind).toBe("server_error");
    expect(error.message).toContain("no scripted response left");
  });
});

describe("createAnthropicProviderFromEnv", () => {
  it("returns null without ANTHROPIC_API_KEY", () => {
    expect(createAnthropicProviderFromEnv({})).toBeNull();
    expect(createAnthropicProviderFromEnv({ ANTHROPIC_API_KEY: "  " })).toBeNull();
  });

  it("uses ANTHROPIC_BASE_URL", async () => {
    fake.enqueue({ kind: "message", content: [fake.text("hi")] });
    const fromEnv = createAnthropicProviderFromEnv({
      ANTHROPIC_API_KEY: API_KEY,
      ANTHROPIC_BASE_URL: fake.url,
    });
    expect(fromEnv?.name).toBe("anthropic");
    const response = await fromEnv!.complete(request);
    expect(response.content).toEqual([{ type: "text", text: "hi" }]);
    expect(fake.requests).toHaveLength(1);
  });
});

describe("costMicros", () => {
  it("prices every token kind in integer micro-dollars", () => {
    // haiku 4.5: $1 in, $5 out, $0.10 cache read, $1.25 cache write per million tokens
    const usage = {
      inputTokens: 1000,
      outputTokens: 200,
      cacheReadTokens: 10_000,
      cacheWriteTokens: 2000,
    };
    expect(costMicros("claude-haiku-4-5", usage)).toBe(1000 + 1000 + 1000 + 2500);
    expect(costMicros("claude-haiku-4-5-20251001", usage)).toBe(5500);
  });

  it("rounds up and is exact for prices that are not binary fractions", () => {
    expect(
      costMicros("claude-sonnet-4-6", {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 10,
        cacheWriteTokens: 0,
      }),
    ).toBe(3);
    expect(
      costMicros("claude-sonnet-4-6", {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 1,
        cacheWriteTokens: 0,
      }),
    ).toBe(1);
  });

  it("prices unknown models at the fallback and knows the tiers", () => {
    expect(priceFor("claude-unknown-9")).toEqual(priceFor("claude-opus-5-5"));
    expect(MODEL_TIERS).toEqual({ small: "claude-haiku-5-5", strong: "claude-sonnet-5-5" });
    for (const model of Object.values(MODEL_TIERS))
      expect(priceFor(model)).not.toBe(priceFor("claude-unknown-9"));
  });
});
