// A loopback server that speaks enough of the Anthropic Messages API for the official SDK, so
// tests drive the real client over real HTTP without touching the network.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { ContentBlock, StopReason, TextBlock, ToolUseBlock } from "@/lib/model/types";

/** Blocks the provider must ignore can be scripted too. */
export type FakeContentBlock =
  ContentBlock | { type: "thinking"; thinking: string; signature: string };

export type FakeUsage = {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
};

export type FakeResponse =
  | {
      kind: "message";
      content: FakeContentBlock[];
      stopReason?: StopReason;
      usage?: Partial<FakeUsage>;
    }
  | {
      kind: "error";
      status: 400 | 401 | 403 | 404 | 429 | 500 | 503 | 529;
      retryAfterSeconds?: number;
      message?: string;
    }
  | { kind: "malformed" }
  | { kind: "slow"; delayMs: number; then: FakeResponse };

/** The parsed JSON body of a POST /v1/messages. */
export type RecordedRequest = Record<string, unknown>;

export type FakeAnthropic = {
  /** Base URL to pass to the SDK as baseURL. */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The API key each recorded request carried, in the same order as `requests`. */
  readonly apiKeys: string[];
  enqueue(...responses: FakeResponse[]): void;
  setDefault(response: FakeResponse | undefined): void;
  toolUse(name: string, input: unknown, id?: string): ToolUseBlock;
  text(text: string): TextBlock;
  close(): Promise<void>;
};

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  429: "rate_limit_error",
  500: "api_error",
  503: "api_error",
  529: "overloaded_error",
};

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const apiKeys: string[] = [];
  const queue: FakeResponse[] = [];
  let fallback: FakeResponse | undefined;
  let counter = 0;
  const timers = new Set<NodeJS.Timeout>();

  function send(
    res: http.ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ) {
    if (res.destroyed) return;
    res.writeHead(status, {
      "content-type": "application/json",
      "request-id": `req_fake_${++counter}`,
      ...headers,
    });
    res.end(body);
  }

  function sendError(
    res: http.ServerResponse,
    status: number,
    message: string,
    headers?: Record<string, string>,
  ) {
    const type = ERROR_TYPES[status] ?? "api_error";
    send(res, status, JSON.stringify({ type: "error", error: { type, message } }), headers);
  }

  function respond(res: http.ServerResponse, body: RecordedRequest, response: FakeResponse) {
    switch (response.kind) {
      case "message": {
        const usage: FakeUsage = {
          input_tokens: Math.ceil(JSON.stringify(body).length / 4),
          output_tokens: Math.ceil(JSON.stringify(response.content).length / 4),
          cache_read_input_tokens: 0,
          cache_creation_input_tokens: 0,
          ...response.usage,
        };
        const message = {
          id: `msg_fake_${++counter}`,
          type: "message",
          role: "assistant",
          model: body.model,
          content: response.content,
          stop_reason:
            response.stopReason ??
            (response.content.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn"),
          stop_sequence: null,
          usage,
        };
        return send(res, 200, JSON.stringify(message));
      }
      case "error": {
        const headers =
          response.retryAfterSeconds === undefined
            ? undefined
            : { "retry-after": String(response.retryAfterSeconds) };
        return sendError(
          res,
          response.status,
          response.message ?? `fake ${ERROR_TYPES[response.status]}`,
          headers,
        );
      }
      case "malformed":
        return send(res, 200, '{"id":"msg_fake_truncated","type":"message","content":[{"type":"te');
      case "slow": {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond(res, body, response.then);
        }, response.delayMs);
        timers.add(timer);
        return;
      }
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/messages") {
        return sendError(res, 404, `fake-anthropic: no route for ${req.method} ${req.url}`);
      }
      // SDK 1.x sends the API key as `Authorization: Bearer`; older clients and curl use x-api-key.
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
      const apiKey = bearer ?? req.headers["x-api-key"];
      if (typeof apiKey !== "string" || apiKey === "") {
        return sendError(
          res,
          401,
          "fake-anthropic: missing API key (x-api-key or Authorization: Bearer)",
        );
      }
      let body: RecordedRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as RecordedRequest;
      } catch {
        return sendError(res, 400, "fake-anthropic: request body is not JSON");
      }
      requests.push(body);
      apiKeys.push(apiKey);
      const next = queue.shift() ?? fallback;
      if (!next)
        return sendError(
          res,
          500,
          "fake-anthropic: no scripted response left (queue empty, no default set)",
        );
      respond(res, body, next);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    apiKeys,
    enqueue: (...responses) => void queue.push(...responses),
    setDefault: (response) => void (fallback = response),
    toolUse: (name, input, id = `toolu_fake_${++counter}`) => ({
      type: "tool_use",
      id,
      name,
      input,
    }),
    text: (text) => ({ type: "text", text }),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((err) => (err ? reject(err) : resolve())),
      );
    },
  };
}
