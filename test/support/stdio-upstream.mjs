// An MCP server over stdio for the gateway's test of an upstream given as a command. Plain
// JavaScript, so the gateway can start it with `node` alone.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "stdio-upstream", version: "1.0.0" });
server.registerTool(
  "echo",
  {
    description: "Echoes its text",
    inputSchema: { text: z.string() },
    annotations: { readOnlyHint: true },
  },
  async ({ text }) => ({
    content: [{ type: "text", text: `echo: ${text}` }],
  }),
);
// Reports which of the gateway's environment it was given: it must not see the server's secrets.
server.registerTool(
  "env",
  { description: "Lists what it knows", inputSchema: {}, annotations: { readOnlyHint: true } },
  async () => ({
    content: [
      {
        type: "text",
        text: JSON.stringify({
          database: Boolean(process.env.DATABASE_URL),
          secret: Boolean(process.env.NEXTAUTH_SECRET),
        }),
      },
    ],
  }),
);
await server.connect(new StdioServerTransport());
