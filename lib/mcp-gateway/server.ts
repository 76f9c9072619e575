import "server-only";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "@/lib/errors";
import type { AuthenticatedAgent } from "@/lib/external";
import { log } from "@/lib/log";
import { callThroughGateway, type GatewayAgent } from "./call";
import { describeWithPolicy, gatewayPolicy } from "./policy";
import { listUpstreamTools } from "./upstream";

/** Where the gateway puts each listed tool's Countersign policy. */
export const POLICY_META_KEY = "countersign/policy";

/** The MCP server one request talks to: the agent's upstream tools, each behind its policy. */
export function createGatewayServer(agent: AuthenticatedAgent, config: GatewayAgent): Server {
  const server = new Server(
    { name: `countersign-gateway/${agent.name}`, version: "1.0.0" },
    {
      capabilities: { tools: {} },
      instructions:
        "Tools of this server are gated by Countersign. A tool whose description says it waits for approval does not run until a person approves it: the call stays open (with progress notifications) until then; a rejection or an expiry comes back as a tool error with the reason, and the tool did not run.",
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () =>
    guarded(async () => ({
      tools: (await listUpstreamTools(config)).map((tool) => listed(tool, config)),
    })),
  );

  server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
    guarded(() => {
      const token = request.params._meta?.progressToken;
      return callThroughGateway(
        agent,
        config,
        request.params.name,
        request.params.arguments ?? {},
        {
          signal: extra.signal,
          progress:
            token === undefined
              ? undefined
              : (progress, total, message) =>
                  extra.sendNotification({
                    method: "notifications/progress",
                    params: { progressToken: token, progress, total, message },
                  }),
        },
      );
    }),
  );
  return server;
}

function listed(tool: Tool, config: GatewayAgent): Tool {
  const policy = gatewayPolicy(tool.annotations, config.toolPolicies[tool.name]);
  return {
    ...tool,
    description: describeWithPolicy(tool.description, policy),
    _meta: { ...tool._meta, [POLICY_META_KEY]: policy },
  };
}

/** Our own errors reach the MCP client by message; anything else is logged and answered generically. */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpError) throw error;
    if (error instanceof AppError) throw new McpError(ErrorCode.InternalError, error.message);
    log.error("mcp gateway request failed", { error });
    throw new McpError(
      ErrorCode.InternalError,
      "Something went wrong in the Countersign gateway. If the call needed approval it did not run.",
    );
  }
}
