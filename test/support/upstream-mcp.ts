// A real MCP server for the gateway's tests: the SDK's McpServer behind its Streamable HTTP
// transport on a loopback port, with tools of each kind, counting every call it runs.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { z } from "zod";

export type UpstreamCall = { tool: string; arguments: Record<string, unknown> };

export async function startUpstreamMcp() {
  const calls: UpstreamCall[] = [];
  const files = new Map([
    ["/etc/motd", "Welcome"],
    ["/tmp/old.log", "old"],
  ]);

  function build() {
    const mcp = new McpServer({ name: "files-upstream", version: "1.0.0" });
    mcp.registerTool(
      "read_file",
      {
        description: "Reads a file",
        inputSchema: { path: z.string() },
        annotations: { readOnlyHint: true },
      },
      async ({ path }) => {
        calls.push({ tool: "read_file", arguments: { path } });
        return { content: [{ type: "text", text: files.get(path) ?? "(no such file)" }] };
      },
    );
    mcp.registerTool(
      "delete_file",
      {
        description: "Deletes a file",
        inputSchema: { path: z.string() },
        annotations: { destructiveHint: true },
      },
      async ({ path }) => {
        calls.push({ tool: "delete_file", arguments: { path } });
        const existed = files.delete(path);
        return {
          content: [{ type: "text", text: existed ? `deleted ${path}` : `no file ${path}` }],
        };
      },
    );
    // No annotations at all: counts as destructive.
    mcp.registerTool(
      "send_email",
      { description: "Sends an email", inputSchema: { to: z.string(), body: z.string() } },
      async (args) => {
        calls.push({ tool: "send_email", arguments: args });
        return { content: [{ type: "text", text: `sent to ${args.to}` }] };
      },
    );
    mcp.registerTool(
      "wipe_disk",
      { description: "Erases everything", inputSchema: {}, annotations: { destructiveHint: true } },
      async () => {
        calls.push({ tool: "wipe_disk", arguments: {} });
        return { content: [{ type: "text", text: "wiped" }] };
      },
    );
    return mcp;
  }

  const server = createServer(async (req, res) => {
    // Stateless: a fresh server and transport per request, as the SDK's examples do.
    const mcp = build();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => {
      void transport.close();
      void mcp.close();
    });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
  return {
    url,
    calls,
    files,
    callsOf: (tool: string) => calls.filter((c) => c.tool === tool),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
