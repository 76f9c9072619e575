// Plain HTTP onto the tool error taxonomy, so a tool that calls an API over fetch reports its
// failures the way the runtime understands them (a 404 goes back to the model, a 429 waits for
// retry-after, a 500 or a stall is retried within the tool's cap).
import { z } from "zod";
import { ToolError } from "./errors";

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month ("Wed, 21 Oct 2026 07:28:00 GMT"); "-5" is no date.
  const at = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * What a customer may read about a failed HTTP call: plain words, never the status or the server's
 * own text (which is technical, and untrusted). A tool that knows better says so itself
 * (`new ToolError(kind, message, { customerMessage })`).
 */
export const HTTP_CUSTOMER_MESSAGES = {
  busy: "The service that handles this was too busy to answer; please try again in a little while.",
  notFound: "The service that handles this could not find what it refers to.",
  refused: "The service that handles this refused the request.",
  conflict:
    "The service that handles this refused the request because things changed in the meantime.",
  slow: "The service that handles this did not answer in time.",
  failed: "The service that handles this had a problem on its side.",
  rejected: "The service that handles this did not accept the request as it stood.",
  unreachable: "The service that handles this could not be reached.",
  unreadable: "The service that handles this gave an answer we could not read.",
} as const;

/** The error for a non-2xx answer. `detail` is the system's own message, when it sent one. */
export function toolErrorForStatus(
  status: number,
  options: { retryAfter?: string | null; detail?: string; now?: number } = {},
): ToolError {
  const said = options.detail ? `: ${options.detail}` : "";
  const m = HTTP_CUSTOMER_MESSAGES;
  if (status === 429)
    return new ToolError("rate_limited", `Rate limited (HTTP 429)${said}`, {
      retryAfterMs: parseRetryAfter(options.retryAfter, options.now),
      customerMessage: m.busy,
    });
  if (status === 404 || status === 410)
    return new ToolError("not_found", `Not found (HTTP ${status})${said}`, {
      customerMessage: m.notFound,
    });
  if (status === 401 || status === 403)
    return new ToolError("forbidden", `Refused (HTTP ${status})${said}`, {
      customerMessage: m.refused,
    });
  if (status === 409)
    return new ToolError("conflict", `Conflict (HTTP 409)${said}`, { customerMessage: m.conflict });
  if (status === 408)
    return new ToolError("timeout", `The server timed out (HTTP 408)${said}`, {
      customerMessage: m.slow,
    });
  if (status >= 500)
    return new ToolError("upstream_error", `The server failed (HTTP ${status})${said}`, {
      customerMessage: m.failed,
    });
  // 400, 422 and any other refusal of the request as sent: the model should change it, not repeat it.
  if (status >= 400)
    return new ToolError("invalid_arguments", `Invalid request (HTTP ${status})${said}`, {
      customerMessage: m.rejected,
    });
  return new ToolError("upstream_error", `Unexpected HTTP ${status}${said}`, {
    customerMessage: m.unreadable,
  });
}

/** The error for a fetch that did not produce a response: aborted (our deadline) or a network failure. */
export function toolErrorForFetchFailure(error: unknown, signal?: AbortSignal): ToolError {
  if (error instanceof ToolError) return error;
  // The runtime aborts with a ToolError as the reason; fetch then rejects with that reason itself.
  if (signal?.aborted && signal.reason instanceof ToolError) return signal.reason;
  const name = (error as { name?: unknown } | null)?.name;
  if (signal?.aborted || name === "AbortError" || name === "TimeoutError")
    return new ToolError("timeout", "The request was aborted at its deadline", {
      customerMessage: HTTP_CUSTOMER_MESSAGES.slow,
    });
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return new ToolError(
    "upstream_error",
    `Network error${typeof cause === "string" ? ` (${cause})` : ""}: ${error instanceof Error ? error.message : String(error)}`,
    { customerMessage: HTTP_CUSTOMER_MESSAGES.unreachable },
  );
}

const errorBody = z
  .object({ error: z.string().optional(), message: z.string().optional() })
  .loose();

/**
 * fetch, then the JSON body parsed by `schema`. Every failure is a ToolError: no response, a
 * non-2xx status (with the server's message if it sent one), a body that is not the promised shape.
 */
export async function fetchJson<T>(
  url: string | URL,
  init: RequestInit & { signal: AbortSignal },
  schema: z.ZodType<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw toolErrorForFetchFailure(error, init.signal);
  }
  let body: unknown;
  try {
    const text = await response.text();
    body = text ? JSON.parse(text) : null;
  } catch (error) {
    if (init.signal.aborted) throw toolErrorForFetchFailure(error, init.signal);
    if (!response.ok)
      throw toolErrorForStatus(response.status, {
        retryAfter: response.headers.get("retry-after"),
      });
    throw new ToolError(
      "upstream_error",
      `The server answered HTTP ${response.status} with a body that is not JSON`,
      {
        customerMessage: HTTP_CUSTOMER_MESSAGES.unreadable,
      },
    );
  }
  if (!response.ok) {
    const said = errorBody.safeParse(body);
    const detail = said.success ? (said.data.error ?? said.data.message)?.slice(0, 300) : undefined;
    throw toolErrorForStatus(response.status, {
      retryAfter: response.headers.get("retry-after"),
      detail,
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new ToolError(
      "upstream_error",
      `The server's answer has an unexpected shape: ${z.prettifyError(parsed.error).slice(0, 300)}`,
      {
        customerMessage: HTTP_CUSTOMER_MESSAGES.unreadable,
      },
    );
  return parsed.data;
}
