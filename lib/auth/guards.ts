import "server-only";
import type { z } from "zod";
import {
  AppError,
  describeIssues,
  HTTP_STATUS,
  toClientError,
  type ActionResult,
} from "@/lib/errors";
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";
import { checkRouteRequest } from "@/lib/security/route-request";
import { readJsonObject } from "@/lib/http";
import { assertStorable } from "@/lib/validation/text";
import { requireActor, type Actor } from "./actor";
import { requireTokenActor } from "./tokens";

// One wrapper per privilege level: a server action or route handler built with these cannot
// skip authentication, authorisation or validation, and never leaks an internal error.

function guardedAction<S extends z.ZodType, T>(
  roles: readonly Role[],
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<T>,
) {
  return async (raw: unknown): Promise<ActionResult<T>> => {
    try {
      const actor = await requireActor(roles);
      assertStorable(raw); // before any schema: no string the database cannot hold gets further
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new AppError("invalid_input", describeIssues(parsed.error));
      return { ok: true, data: await run(actor, parsed.data) };
    } catch (error) {
      return { ok: false, error: toClientError(error) };
    }
  };
}

export const userAction = <S extends z.ZodType, T>(
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<T>,
) => guardedAction(["user"], schema, run);
export const reviewerAction = <S extends z.ZodType, T>(
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<T>,
) => guardedAction(["reviewer", "admin"], schema, run);
export const adminAction = <S extends z.ZodType, T>(
  schema: S,
  run: (actor: Actor, input: z.infer<S>) => Promise<T>,
) => guardedAction(["admin"], schema, run);

type RouteContext<P> = { params: Promise<P> };

export type RouteOptions<
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
> = {
  /**
   * Also accept a personal access token (`Authorization: Bearer cs_pat_…`) that has this scope,
   * instead of the session. Opt-in, for the public API only: a request that sends the header is
   * judged by the token alone, never by a session cookie it may also carry. A session may do
   * whatever its role allows.
   */
  tokenScope?: TokenScope;
  /** The JSON body's schema: the body is read (JSON only, size-limited) and parsed before the handler runs. */
  body?: B;
  /** The query string's schema (each parameter once, as a string). */
  query?: Q;
};

type Parsed<S> = S extends z.ZodType ? z.infer<S> : undefined;
export type RouteInput<B, Q> = { body: Parsed<B>; query: Parsed<Q> };

function parseOrRefuse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new AppError("invalid_input", describeIssues(parsed.error, { nameFields: true }));
  return parsed.data;
}

/**
 * Route handlers: the same guarantees, answering JSON with the matching HTTP status. Body and
 * query are validated here when their schemas are given, so a refusal always names the field
 * in one format; the handler gets the parsed values.
 */
export function guardedRoute<
  P = Record<string, string>,
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
>(
  roles: readonly Role[],
  handle: (actor: Actor, request: Request, params: P, input: RouteInput<B, Q>) => Promise<unknown>,
  options: RouteOptions<B, Q> = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const authorization = options.tokenScope ? request.headers.get("authorization") : null;
      const params = await context.params;
      checkRouteRequest(request, params, { bearer: authorization !== null }); // cross-site refusal, unstorable text
      const actor =
        authorization !== null && options.tokenScope
          ? await requireTokenActor(authorization, roles, options.tokenScope)
          : await requireActor(roles);
      const input = {
        body: options.body ? parseOrRefuse(options.body, await readJsonObject(request)) : undefined,
        query: options.query
          ? parseOrRefuse(options.query, Object.fromEntries(new URL(request.url).searchParams))
          : undefined,
      } as RouteInput<B, Q>;
      const body = await handle(actor, request, params, input);
      // A handler that streams (Server-Sent Events) answers with its own Response, after the same checks.
      if (body instanceof Response) return body;
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      const clientError = toClientError(error);
      const status = clientError.code === "internal" ? 500 : HTTP_STATUS[clientError.code];
      const challenge: Record<string, string> =
        status === 401 && options.tokenScope
          ? { "www-authenticate": 'Bearer realm="countersign"' }
          : {};
      return Response.json(
        { error: clientError },
        { status, headers: { "cache-control": "no-store", ...challenge } },
      );
    }
  };
}
