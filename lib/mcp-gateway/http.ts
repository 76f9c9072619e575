import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { AppError, HTTP_STATUS, toClientError } from "@/lib/errors";
import { authenticateAgentKey, findExternalAgent } from "@/lib/external";
import { MAX_JSON_BODY_BYTES } from "@/lib/http";
import { checkRouteRequest } from "@/lib/security/route-request";
import { createGatewayServer } from "./server";
import { hasUpstream } from "./upstream";

const NO_STORE = { "cache-control": "no-store" };

/**
 * One HTTP request to /api/v1/mcp/{agent}: authenticated by the agent's key inside the handler,
 * then served by the MCP SDK's web-standard Streamable HTTP transport in stateless mode (a fresh
 * server per request, so any instance of the app can answer any request). A tools/call that waits
 * for a reviewer keeps its SSE response open, with progress notifications, until it is settled.
 */
export async function handleGatewayRequest(request: Request, agentName: string): Promise<Response> {
  try {
    // The key first: without one, a 401 whatever else the request carries.
    const agent = await authenticateAgentKey(request);
    checkRouteRequest(request, { agent: agentName }, { bearer: true });
    if (agent.name !== agentName)
      throw new AppError(
        "forbidden",
        `This agent key belongs to the ${agent.name} agent, not to ${agentName}.`,
      );
    const config = await findExternalAgent(agentName);
    if (!config || !hasUpstream(config))
      throw new AppError(
        "not_found",
        `The ${agentName} agent has no upstream MCP server; an admin sets one at /admin/agents.`,
      );

    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      maxRequestBodySize: MAX_JSON_BODY_BYTES,
    });
    const server = createGatewayServer(agent, config);
    await server.connect(transport);
    // The client went away: aborts the handler's wait (the parked action then expires, unrun).
    request.signal.addEventListener("abort", () => void server.close().catch(() => {}), {
      once: true,
    });
    return await transport.handleRequest(request);
  } catch (error) {
    const clientError = toClientError(error);
    const status = clientError.code === "internal" ? 500 : HTTP_STATUS[clientError.code];
    const headers: Record<string, string> = { ...NO_STORE };
    if (status === 401) headers["www-authenticate"] = 'Bearer realm="countersign-agents"';
    const retryAfter = clientError.details?.retryAfterSeconds;
    if (status === 429 && typeof retryAfter === "number")
      headers["retry-after"] = String(retryAfter);
    return Response.json({ error: clientError }, { status, headers });
  }
}
