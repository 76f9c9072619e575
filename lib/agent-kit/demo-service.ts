// The HTTP side of a demo service an agent ships (DemoService in types.ts), built the way a real
// provider's API behaves: a bearer key and the customer's email on every request, an
// Idempotency-Key on every write (a replayed key answers the first result with
// Idempotent-Replayed: true), and a clear 4xx with { error } for every bad input, never a 500 for
// one. An agent describes its routes; this does the rest.
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isToolError, type ToolErrorKind } from "./errors";

/** What a ToolError thrown by the service's logic becomes on the wire (fetchJson maps it back). */
const STATUS: Record<ToolErrorKind, number> = {
  invalid_arguments: 422,
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  rate_limited: 429,
  timeout: 504,
  upstream_error: 502,
};

export class DemoRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type DemoRequest = {
  /** The route pattern's captures. */
  match: RegExpMatchArray;
  /** The X-Customer-Email header: whom the caller acts for; scope every read and write to it. */
  customer: string;
  /** The Idempotency-Key header (required: a 400 without it). */
  idempotencyKey(): string;
  /** The JSON body, parsed by `schema` (415 for another content type, 400 for bad JSON, 422 naming the field). */
  body<T>(schema: z.ZodType<T>): Promise<T>;
  /** A path capture parsed by `schema` (400 naming `what`). */
  param<T>(schema: z.ZodType<T>, value: string | undefined, what: string): T;
};

/** A write's outcome as atMostOnce returns it, or any JSON body. */
export type DemoAnswer = { response: unknown; replayed?: boolean; status?: number };

export type DemoRoute = {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: RegExp;
  handle: (request: DemoRequest) => Promise<DemoAnswer>;
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });
const fail = (status: number, error: string) => json(status, { error });

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string, status = 400): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new DemoRequestError(status, `Invalid ${what}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const email = z.email();
const key = z.string().trim().min(8).max(200);

/**
 * The DemoService handler for `routes`: `expectedKey()` is the bearer key callers must send;
 * `onError` hears about anything unexpected (answered 500 "The service failed").
 */
export function demoServiceHandler(options: {
  expectedKey: () => string;
  routes: DemoRoute[];
  onError?: (error: unknown) => void;
}) {
  const authorised = (request: Request) => {
    const given = Buffer.from(request.headers.get("authorization") ?? "");
    const expected = Buffer.from(`Bearer ${options.expectedKey()}`);
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return async (request: Request, path: string[]): Promise<Response> => {
    try {
      if (!authorised(request)) return fail(401, "Missing or wrong key");
      const customer = parse(
        email,
        request.headers.get("x-customer-email"),
        "X-Customer-Email header",
      );
      const route = path.map(decodeURIComponent).join("/");
      const matching = options.routes.filter((r) => r.path.test(route));
      if (!matching.length) return fail(404, `No such endpoint: ${request.method} /${route}`);
      const chosen = matching.find((r) => r.method === request.method);
      if (!chosen) return fail(405, `Use ${matching.map((r) => r.method).join(" or ")}`);
      const answer = await chosen.handle({
        match: route.match(chosen.path)!,
        customer,
        idempotencyKey: () =>
          parse(key, request.headers.get("idempotency-key"), "Idempotency-Key header"),
        async body(schema) {
          if (!(request.headers.get("content-type") ?? "").startsWith("application/json"))
            throw new DemoRequestError(415, "Send a JSON body (content-type: application/json)");
          let value: unknown;
          try {
            value = await request.json();
          } catch {
            throw new DemoRequestError(400, "The body is not valid JSON");
          }
          return parse(schema, value, "body", 422);
        },
        param: (schema, value, what) => parse(schema, value, what),
      });
      if (answer.replayed) return json(200, answer.response, { "idempotent-replayed": "true" });
      return json(answer.status ?? 200, answer.response);
    } catch (error) {
      if (error instanceof DemoRequestError) return fail(error.status, error.message);
      if (isToolError(error)) return fail(STATUS[error.kind], error.message);
      options.onError?.(error);
      return fail(500, "The service failed");
    }
  };
}
