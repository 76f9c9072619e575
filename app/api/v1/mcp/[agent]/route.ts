import { handleGatewayRequest } from "@/lib/mcp-gateway/http";

export const dynamic = "force-dynamic";

type Context = { params: Promise<{ agent: string }> };

// /api/v1/mcp/{agent} — the MCP gateway (Streamable HTTP, stateless): the agent's upstream MCP
// tools behind Countersign's policy and reviewers. `Authorization: Bearer cs_agent_…`.
export const POST = async (request: Request, { params }: Context) => handleGatewayRequest(request, (await params).agent);
export const GET = POST;
export const DELETE = POST;
