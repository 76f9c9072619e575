// The MCP gateway end to end: the MCP SDK's own client, through /api/v1/mcp/{agent} served over
// real HTTP, to a real upstream MCP server that counts its calls. A read tool passes at once; a
// destructive one waits (with progress) for a reviewer, runs once with the approved arguments
// and returns its result; a rejection reaches the client with its reason; an expired call never runs.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { expireDueApprovals } from "@/lib/approvals/expire";
import { db } from "@/lib/db";
import { issueAgentKey, registerExternalAgent } from "@/lib/external";
import { stopBoss } from "@/lib/jobs/queue";
import * as route from "@/app/api/v1/mcp/[agent]/route";
import { actorFor } from "../support/actors";
import { serveRoute, type ServedRoute } from "../support/serve-route";
import { startUpstreamMcp } from "../support/upstream-mcp";

let upstream: Awaited<ReturnType<typeof startUpstreamMcp>>;
let gateway: ServedRoute;
let agentName: string;
let agentId: string;
let key: string;

beforeAll(async () => {
  upstream = await startUpstreamMcp();
  gateway = await serveRoute("/api/v1/mcp/[agent]", route);
  const admin = await actorFor("admin@example.com");
  agentName = `mcp-${randomUUID().slice(0, 8)}`;
  const { agent } = await registerExternalAgent(admin, {
    name: agentName,
    description: "A files agent behind the MCP gateway",
    mcpUrl: upstream.url,
    maxWaitSeconds: 300,
    toolPolicies: { wipe_disk: "deny" },
  });
  agentId = agent.id;
  key = (await issueAgentKey(admin, agentName, "gateway test")).key;
});

afterAll(async () => {
  await gateway?.close();
  await upstream?.close();
  await stopBoss();
});

async function connect(agentKey = key, name = agentName): Promise<Client> {
  const client = new Client({ name: "gateway-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${gateway.url}/api/v1/mcp/${name}`), {
      requestInit: { headers: { authorization: `Bearer ${agentKey}` } },
    }),
  );
  return client;
}

/**
 * Calls a tool and hands back, once the gateway has parked it and sent its first progress
 * notification, the approval a reviewer now sees, and the call's eventual result.
 */
async function callThatWaits(client: Client, name: string, args: Record<string, unknown>) {
  let progressSeen!: () => void;
  const waiting = new Promise<void>((resolve) => (progressSeen = resolve));
  const progress: { progress: number; message?: string }[] = [];
  const result = client.callTool({ name, arguments: args }, undefined, {
    timeout: 120_000,
    resetTimeoutOnProgress: true,
    onprogress: (p) => {
      progress.push(p);
      progressSeen();
    },
  }) as Promise<CallToolResult>;
  await waiting;
  const action = await db.externalAction.findFirstOrThrow({
    where: { agentId },
    orderBy: { createdAt: "desc" },
  });
  const approval = await db.approval.findFirstOrThrow({ where: { runId: action.runId } });
  return { result, approval, action, progress };
}

const text = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("the MCP gateway", () => {
  it("refuses a request without the agent's key, or with another agent's", async () => {
    await expect(connect("cs_agent_" + "x".repeat(43))).rejects.toThrow();
    const response = await fetch(`${gateway.url}/api/v1/mcp/${agentName}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    const other = await fetch(`${gateway.url}/api/v1/mcp/some-other-agent`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: `Bearer ${key}`,
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(other.status).toBe(403);
    expect((await other.json()).error.message).toContain(agentName);
    expect(upstream.calls).toHaveLength(0);
  });

  it("lists the upstream tools with their policy", async () => {
    const client = await connect();
    const { tools } = await client.listTools();
    const policies = Object.fromEntries(
      tools.map((t) => [t.name, t._meta?.["countersign/policy"]]),
    );
    expect(policies).toEqual({
      read_file: "auto",
      delete_file: "require_approval",
      send_email: "require_approval",
      wipe_disk: "deny",
    });
    expect(tools.find((t) => t.name === "delete_file")!.description).toMatch(
      /waits for a human's approval/,
    );
    expect(tools.find((t) => t.name === "read_file")!.annotations).toEqual({ readOnlyHint: true });
    await client.close();
  });

  it("passes a read-only tool straight through, recording no action", async () => {
    const client = await connect();
    const result = (await client.callTool({
      name: "read_file",
      arguments: { path: "/etc/motd" },
    })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(text(result)).toBe("Welcome");
    expect(upstream.callsOf("read_file")).toEqual([
      { tool: "read_file", arguments: { path: "/etc/motd" } },
    ]);
    expect(await db.externalAction.count({ where: { agentId } })).toBe(0);
    await client.close();
  });

  it("parks a destructive call until a reviewer approves it, then runs it once upstream and returns its result", async () => {
    const client = await connect();
    const reviewer = await actorFor("reviewer@example.com");
    const { result, approval, action, progress } = await callThatWaits(client, "delete_file", {
      path: "/tmp/old.log",
    });

    // Parked like any action: an inbox item with its reasons, and the upstream has not run it.
    expect(approval).toMatchObject({
      status: "pending",
      agent: agentName,
      tool: "delete_file",
      proposedArguments: { path: "/tmp/old.log" },
    });
    expect(approval.reasons).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(progress[0]!.message).toContain(action.id);
    expect(upstream.callsOf("delete_file")).toHaveLength(0);

    await decideApproval(reviewer, { approvalId: approval.id, decision: "approve" });
    const outcome = await result;
    expect(outcome.isError).toBeFalsy();
    expect(text(outcome)).toBe("deleted /tmp/old.log");
    expect(outcome._meta).toMatchObject({
      "countersign/action": action.id,
      "countersign/status": "completed",
      "countersign/edited": false,
    });
    expect(upstream.callsOf("delete_file")).toEqual([
      { tool: "delete_file", arguments: { path: "/tmp/old.log" } },
    ]);

    // The outcome was reported with the grant: the call succeeded, the run completed.
    const toolCall = await db.toolCall.findUniqueOrThrow({ where: { id: action.toolCallId } });
    expect(toolCall.status).toBe("succeeded");
    expect(
      (await db.externalAction.findUniqueOrThrow({ where: { id: action.id } })).grantUsedAt,
    ).not.toBeNull();
    expect((await db.run.findUniqueOrThrow({ where: { id: action.runId } })).status).toBe(
      "completed",
    );
    await client.close();
  });

  it("runs an edited call with the reviewer's arguments and says so", async () => {
    const client = await connect();
    const reviewer = await actorFor("reviewer@example.com");
    const { result, approval } = await callThatWaits(client, "send_email", {
      to: "everyone@example.com",
      body: "Hi all",
    });
    await decideApproval(reviewer, {
      approvalId: approval.id,
      decision: "edit",
      arguments: { to: "team@example.com", body: "Hi all" },
      reason: "not to everyone",
    });
    const outcome = await result;
    expect(text(outcome)).toContain("sent to team@example.com");
    expect(text(outcome)).toContain("a reviewer edited the arguments");
    expect(outcome._meta).toMatchObject({ "countersign/edited": true });
    expect(upstream.callsOf("send_email")).toEqual([
      { tool: "send_email", arguments: { to: "team@example.com", body: "Hi all" } },
    ]);
    await client.close();
  });

  it("returns a rejection as a tool error carrying the reason, and never runs the call", async () => {
    const client = await connect();
    const reviewer = await actorFor("reviewer@example.com");
    const before = upstream.callsOf("delete_file").length;
    const { result, approval } = await callThatWaits(client, "delete_file", { path: "/etc/motd" });
    await decideApproval(reviewer, {
      approvalId: approval.id,
      decision: "reject",
      reason: "the welcome message stays",
    });
    const outcome = await result;
    expect(outcome.isError).toBe(true);
    expect(text(outcome)).toContain("the welcome message stays");
    expect(text(outcome)).toContain("reviewer@example.com");
    expect(upstream.callsOf("delete_file")).toHaveLength(before);
    expect(upstream.files.has("/etc/motd")).toBe(true);
    await client.close();
  });

  it("fails closed when the approval expires: a tool error, and the upstream never sees the call", async () => {
    const client = await connect();
    const { result, approval } = await callThatWaits(client, "send_email", {
      to: "customer@example.com",
      body: "Your refund",
    });
    // Time passes for this item: its expiry is due and the maintenance pass marks it.
    await db.approval.update({
      where: { id: approval.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);
    const outcome = await result;
    expect(outcome.isError).toBe(true);
    expect(text(outcome)).toMatch(/expired and the call did not run/);
    expect(
      upstream.callsOf("send_email").filter((c) => c.arguments.to === "customer@example.com"),
    ).toHaveLength(0);
    await client.close();
  });

  it("does not run a call whose client went away while it waited, even once it is approved", async () => {
    const client = await connect();
    const before = upstream.callsOf("delete_file").length;
    const { result, approval, action } = await callThatWaits(client, "delete_file", {
      path: "/etc/motd",
    });
    result.catch(() => {}); // the client closes: its own promise rejects
    await client.close();
    // The gateway notices the closed connection: its request ends, the action is left pending, unrun.
    while (gateway.inFlight() > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await decideApproval(await actorFor("reviewer@example.com"), {
      approvalId: approval.id,
      decision: "approve",
    });
    // Another call through the gateway proves it is still serving; the approved one never reached the upstream.
    const other = await connect();
    expect(
      text(
        (await other.callTool({
          name: "read_file",
          arguments: { path: "/etc/motd" },
        })) as CallToolResult,
      ),
    ).toBe("Welcome");
    expect(upstream.callsOf("delete_file")).toHaveLength(before);
    expect(upstream.files.has("/etc/motd")).toBe(true);
    expect((await db.toolCall.findUniqueOrThrow({ where: { id: action.toolCallId } })).status).toBe(
      "approved",
    );
    await other.close();
  });

  it("refuses a tool the admin switched off, and an unknown tool, without running anything", async () => {
    const client = await connect();
    const denied = (await client.callTool({ name: "wipe_disk", arguments: {} })) as CallToolResult;
    expect(denied.isError).toBe(true);
    expect(text(denied)).toContain("switched off");
    const unknown = (await client.callTool({
      name: "format_disk",
      arguments: {},
    })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(upstream.callsOf("wipe_disk")).toHaveLength(0);
    await client.close();
  });
});

describe("the agent's wait limit", () => {
  it("answers a call nobody decided within it with a tool error, and the call never runs", async () => {
    const admin = await actorFor("admin@example.com");
    const name = `impatient-${randomUUID().slice(0, 8)}`;
    await registerExternalAgent(admin, {
      name,
      description: "An agent that waits one second at most",
      mcpUrl: upstream.url,
      maxWaitSeconds: 1,
    });
    const client = await connect((await issueAgentKey(admin, name, "wait test")).key, name);
    const before = upstream.callsOf("delete_file").length;
    const outcome = (await client.callTool({
      name: "delete_file",
      arguments: { path: "/etc/motd" },
    })) as CallToolResult;
    expect(outcome.isError).toBe(true);
    expect(text(outcome)).toMatch(/No decision within 1 s; the call did not run/);
    expect(upstream.callsOf("delete_file")).toHaveLength(before);
    await client.close();
  });
});

describe("an upstream given as a command (stdio)", () => {
  it("starts the command with none of the server's secrets, lists its tools and calls them", async () => {
    const admin = await actorFor("admin@example.com");
    const name = `stdio-${randomUUID().slice(0, 8)}`;
    await registerExternalAgent(admin, {
      name,
      description: "An agent whose tools run as a local process",
      mcpCommand: [
        process.execPath,
        path.resolve(import.meta.dirname, "../support/stdio-upstream.mjs"),
      ],
    });
    const stdioKey = (await issueAgentKey(admin, name, "stdio test")).key;
    const client = await connect(stdioKey, name);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(["echo", "env"]);
    expect(
      text(
        (await client.callTool({ name: "echo", arguments: { text: "hello" } })) as CallToolResult,
      ),
    ).toBe("echo: hello");
    expect(
      JSON.parse(text((await client.callTool({ name: "env", arguments: {} })) as CallToolResult)),
    ).toEqual({ database: false, secret: false });
    await client.close();
  });
});
