import "server-only";
import type { z } from "zod";
import { AppError, describeIssues, HTTP_STATUS, toClientError, type ActionResult } from "@/lib/errors";
import type { Role, TokenScope } from "@/lib/generated/prisma/enums";
import { checkRouteRequest } from "@/lib/security/route-request";
import { assertStorable } from "@/lib/validation/text";
import { requireActor, type Actor } from "./actor";
import { requireTokenActor } from "./tokens";

// One wrapper per privilege level: a server action or route handler built with these cannot
// skip authentication, authorisation or validation, and never leaks an internal error.

function guardedAction<S extends z.ZodType, T>(roles: readonly Role[], schema: S, run: (actor: Actor, input: z.infer<S>) => Promise<T>) {
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

export const userAction = <S extends z.ZodType, T>(schema: S, run: (actor: Actor, input: z.infer<S>) => Promise<T>) =>
  guardedAction(["user"], schema, run);
export const reviewerAction = <S extends z.ZodType, T>(schema: S, run: (actor: Actor, input: z.infer<S>) => Promise<T>) =>
  guardedAction(["reviewer", "admin"], schema, run);
export const adminAction = <S extends z.ZodType, T>(schema: S, run: (actor: Actor, input: z.infer<S>) => Promise<T>) =>
  guardedAction(["admin"], schema, run);

type RouteContext<P> = { params: Promise<P> };

export type RouteOptions = {
  /**
   * Also accept a personal access token (`Authorization: Bearer cs_pat_…`) that has this scope,
   * instead of the session. Opt-in, for the public API only: a request that sends the header is
   * judged by the token alone, never by a session cookie it may also carry. A session may do
   * whatever its role allows.
   */
  tokenScope?: TokenScope;
};

/** Route handlers: the same guarantees, answering JSON with the matching HTTP status. */
export function guardedRoute<P = Record<string, string>>(
  roles: readonly Role[],
  handle: (actor: Actor, request: Request, params: P) => Promise<unknown>,
  options: RouteOptions = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const authorization = options.tokenScope ? request.headers.get("authorization") : null;
      const params = await context.params;
      checkRouteRequest(request, params, { bearer: authorization !== null }); // cross-site refusal, unstorable text
      const actor = authorization !== null && options.tokenScope ? await requireTokenActor(authorization, roles, options.tokenScope) : await requireActor(roles);
      const body = await handle(actor, request, params);
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      const clientError = toClientError(error);
      const status = clientError.code === "internal" ? 500 : HTTP_STATUS[clientError.code];
      const challenge: Record<string, string> = status === 401 && options.tokenScope ? { "www-authenticate": 'Bearer realm="countersign"' } : {};
      return Response.json({ error: clientError }, { status, headers: { "cache-control": "no-store", ...challenge } });
    }
  };
}
