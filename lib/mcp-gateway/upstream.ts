import "server-only";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "@/lib/errors";

// The gateway's side towards the agent's real MCP server: a Streamable HTTP URL, or a command
// run over stdio. One short connection per use — listing, or one call — so that no upstream
// process or socket is held open while a call waits hours for a reviewer.

export type UpstreamConfig = { name: string; mcpUrl: string | null; mcpCommand: string[] };

/** How long the upstream may take to answer one request (initialize, a listing, a call). */
const UPSTREAM_TIMEOUT_MS = 60_000;
const MAX_LISTED_PAGES = 20;

export function hasUpstream(config: UpstreamConfig): boolean {
  return Boolean(config.mcpUrl) || config.mcpCommand.length > 0;
}

async function withUpstream<T>(
  config: UpstreamConfig,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ name: `countersign-gateway/${config.name}`, version: "1.0.0" });
  const transport = config.mcpUrl
    ? new StreamableHTTPClientTransport(new URL(config.mcpUrl))
    : // The admin's command, with the SDK's minimal environment: none of this server's secrets.
      new StdioClientTransport({
        command: config.mcpCommand[0]!,
        args: config.mcpCommand.slice(1),
        env: getDefaultEnvironment(),
        stderr: "ignore",
      });
  try {
    await client.connect(transport, { timeout: UPSTREAM_TIMEOUT_MS });
  } catch {
    await client.close().catch(() => {});
    throw new AppError(
      "unavailable",
      `The upstream MCP server of ${config.name} could not be reached`,
    );
  }
  try {
    return await work(client);
  } finally {
    await client.close().catch(() => {});
  }
}

/** Every tool the upstream lists (following its pagination). */
export function listUpstreamTools(config: UpstreamConfig): Promise<Tool[]> {
  return withUpstream(config, async (client) => {
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LISTED_PAGES; page++) {
      const listed = await client.listTools(cursor ? { cursor } : {}, {
        timeout: UPSTREAM_TIMEOUT_MS,
      });
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (!cursor) break;
    }
    return tools;
  });
}

/** Runs one tool upstream and answers its result as the upstream gave it. */
export function callUpstreamTool(
  config: UpstreamConfig,
  name: string,
  args: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<CallToolResult> {
  return withUpstream(
    config,
    async (client) =>
      (await client.callTool({ name, arguments: args }, undefined, {
        timeout: UPSTREAM_TIMEOUT_MS,
        signal,
      })) as CallToolResult,
  );
}
