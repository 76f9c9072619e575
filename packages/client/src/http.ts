import { z } from "zod";
import { CountersignError } from "./errors";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});

export type RequestSpec = {
  method: "GET" | "POST";
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** How many times a transport failure, a 5xx or a 429 is tried again. Only for requests that are safe to repeat. */
  retries: number;
};

const RETRY_BASE_MS = 250;
const RETRY_CAP_MS = 5_000;

/**
 * One JSON request to Countersign. Transport failures, 5xx and 429 (honouring Retry-After) are
 * retried with jittered backoff up to `retries` times: callers pass retries only for requests
 * that are safe to repeat (reads, and proposals carrying an Idempotency-Key).
 * Returns the parsed body and how many attempts it took.
 */
export async function requestJson<S extends z.ZodType>(
  fetchImpl: FetchLike,
  baseUrl: string,
  spec: RequestSpec,
  schema: S,
): Promise<{ body: z.infer<S>; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetchImpl(new URL(spec.path, baseUrl).toString(), {
        method: spec.method,
        headers: {
          accept: "application/json",
          ...(spec.body !== undefined && { "content-type": "application/json" }),
          ...spec.headers,
        },
        ...(spec.body !== undefined && { body: JSON.stringify(spec.body) }),
        signal: spec.signal,
      });
    } catch (error) {
      if (spec.signal?.aborted || attempt > spec.retries) throw error;
      await sleep(backoff(attempt), spec.signal);
      continue;
    }
    if (response.ok) {
      const parsed = schema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success)
        throw new CountersignError(
          response.status,
          "invalid_response",
          `Countersign answered ${spec.method} ${spec.path} with a body this client does not understand`,
        );
      return { body: parsed.data, attempts: attempt };
    }
    if ((response.status >= 500 || response.status === 429) && attempt <= spec.retries) {
      await response.body?.cancel().catch(() => {});
      await sleep(retryAfterMs(response) ?? backoff(attempt), spec.signal);
      continue;
    }
    throw await toError(response);
  }
}

async function toError(response: Response): Promise<CountersignError> {
  const parsed = errorBody.safeParse(await response.json().catch(() => undefined));
  if (parsed.success)
    return new CountersignError(
      response.status,
      parsed.data.error.code,
      parsed.data.error.message,
      parsed.data.error.details,
    );
  return new CountersignError(
    response.status,
    "http_error",
    `Countersign answered ${response.status} ${response.statusText}`,
  );
}

function backoff(attempt: number): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function retryAfterMs(response: Response): number | undefined {
  const seconds = Number(response.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0
    ? Math.min(seconds * 1000, RETRY_CAP_MS * 6)
    : undefined;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
