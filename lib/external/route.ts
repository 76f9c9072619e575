import "server-only";
import { HTTP_STATUS, toClientError } from "@/lib/errors";
import { checkRouteRequest } from "@/lib/security/route-request";
import { authenticateAgentKey, type AuthenticatedAgent } from "./keys";

type RouteContext<P> = { params: Promise<P> };
export type AgentReply = { body: unknown; status?: number; headers?: Record<string, string> };

/**
 * Route handlers of the agent API: authenticated by an agent key only (never a session or a
 * personal access token), every refusal a JSON error with its status (429 with Retry-After).
 */
export function agentRoute<P = Record<string, string>>(
  handle: (agent: AuthenticatedAgent, request: Request, params: P) => Promise<AgentReply>,
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const params = await context.params;
      // The key first: a request without one (a cross-site page riding a session included) is a
      // 401 whatever else it carries, and learns nothing about what this door would accept.
      const agent = await authenticateAgentKey(request);
      checkRouteRequest(request, params, { bearer: true });
      const reply = await handle(agent, request, params);
      return Response.json(reply.body, {
        status: reply.status ?? 200,
        headers: { "cache-control": "no-store", ...reply.headers },
      });
    } catch (error) {
      const clientError = toClientError(error);
      const status = clientError.code === "internal" ? 500 : HTTP_STATUS[clientError.code];
      const headers: Record<string, string> = { "cache-control": "no-store" };
      if (status === 401) headers["www-authenticate"] = 'Bearer realm="countersign-agents"';
      const retryAfter = clientError.details?.retryAfterSeconds;
      if (status === 429 && typeof retryAfter === "number")
        headers["retry-after"] = String(retryAfter);
      return Response.json({ error: clientError }, { status, headers });
    }
  };
}
