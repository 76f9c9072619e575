import { handleGatewayRequest } from "@/lib/mcp-gateway/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ agent: string }> };

// /api/v1/mcp/{agent} — the MCP gateway (Streamable HTTP, stateless): the agent's upstream MCP
// tools behind Countersign's policy and reviewers. `Authorization: Bearer cs_agent_…`. POST only:
// a stateless server has no session to end (DELETE) and no stream of its own to offer (GET), so
// Next.js answers those with 405, as the MCP specification allows.
export const POST = async (request: Request, { params }: Context) =>
  handleGatewayRequest(request, (await params).agent);
