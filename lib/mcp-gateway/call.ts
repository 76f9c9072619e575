import "server-only";
import { randomUUID } from "node:crypto";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "@/lib/errors";
import {
  proposeAction,
  reportResult,
  waitForDecision,
  type AuthenticatedAgent,
} from "@/lib/external";
import type { ActionView } from "@/lib/external/schemas";
import { MAX_EXPIRES_IN_SECONDS } from "@/lib/external/schemas";
import { log } from "@/lib/log";
import { gatewayPolicy, isDestructive, type ToolPolicy } from "./policy";
import { callUpstreamTool, listUpstreamTools, type UpstreamConfig } from "./upstream";

export type GatewayAgent = UpstreamConfig & {
  toolPolicies: Record<string, ToolPolicy>;
  maxWaitSeconds: number;
  approvalTtlSeconds: number;
};

export type CallContext = {
  signal: AbortSignal;
  /** Sends a progress notification to the MCP client (when it asked for them). */
  progress?: (seconds: number, totalSeconds: number, message: string) => Promise<void>;
};

/** Expiry may not be shorter than the API allows; a call waits at most as long as it may live. */
const MIN_EXPIRES_IN_SECONDS = 10;

const refusal = (text: string, meta: Record<string, unknown> = {}): CallToolResult => ({
  isError: true,
  content: [{ type: "text", text }],
  _meta: { "countersign/status": "refused", ...meta },
});

/**
 * One tools/call through the gateway. A tool whose policy is auto runs at once; a denied one is
 * refused; any other is proposed as an external action (the same record, inbox item, policy,
 * expiry and audit as an API proposal) and this request waits for the decision. Approved: the
 * upstream tool runs once, with the approved — possibly edited — arguments, and its outcome is
 * reported with the grant. Rejected, expired, or not decided within the agent's wait limit: a
 * tool error carrying the reason, and the upstream never sees the call.
 */
export async function callThroughGateway(
  agent: AuthenticatedAgent,
  config: GatewayAgent,
  name: string,
  args: Record<string, unknown>,
  context: CallContext,
): Promise<CallToolResult> {
  const tool = (await listUpstreamTools(config)).find((t) => t.name === name);
  if (!tool)
    return refusal(
      `Unknown tool "${name}": the upstream MCP server of ${config.name} does not list it`,
    );
  const policy = gatewayPolicy(tool.annotations, config.toolPolicies[name]);
  if (policy === "deny")
    return refusal(
      `Tool "${name}" is switched off for the ${config.name} agent by Countersign policy; it did not run`,
      { "countersign/policy": policy },
    );
  if (policy === "auto") return callUpstreamTool(config, name, args, context.signal);

  let proposed;
  try {
    proposed = await proposeAction(agent, proposal(config, tool, args), `mcp_${randomUUID()}`);
  } catch (error) {
    // Bad arguments, a tool name the API cannot record: the model is told why, nothing was recorded.
    if (error instanceof AppError && error.code === "invalid_input")
      return refusal(`Countersign could not accept this call: ${error.message}`);
    throw error;
  }
  const view = await waitForDecision(agent, proposed.id, {
    timeoutMs: config.maxWaitSeconds * 1000,
    signal: context.signal,
    onProgress: context.progress
      ? ({ elapsedMs, timeoutMs }) =>
          context.progress!(
            elapsedMs / 1000,
            timeoutMs / 1000,
            `Waiting for a reviewer to approve ${name} (Countersign action ${proposed.id})`,
          ).catch(() => {})
      : undefined,
  });
  // The client went away while it waited: nobody would receive the result, so the call does not
  // run, even if a reviewer approved it at that very moment (the grant stays unused).
  if (context.signal.aborted)
    return refusal(
      `The MCP request ended before a decision was acted on; the call did not run (Countersign action ${view.id}).`,
    );
  return settle(agent, config, view, context.signal);
}

function proposal(config: GatewayAgent, tool: Tool, args: Record<string, unknown>) {
  const ttl = Math.min(config.approvalTtlSeconds, config.maxWaitSeconds, MAX_EXPIRES_IN_SECONDS);
  return {
    tool: tool.name,
    arguments: args,
    input_schema: tool.inputSchema as Record<string, unknown>,
    irreversible: isDestructive(tool.annotations),
    summary:
      `${tool.annotations?.title ?? tool.title ?? tool.name} through the MCP gateway${tool.description ? `: ${tool.description}` : ""}`.slice(
        0,
        500,
      ),
    // Nobody runs the call once this request stops waiting, so it must not outlive the wait.
    expires_in_seconds: Math.max(MIN_EXPIRES_IN_SECONDS, ttl),
  };
}

async function settle(
  agent: AuthenticatedAgent,
  config: GatewayAgent,
  view: ActionView,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const meta = { "countersign/action": view.id, "countersign/status": view.status };
  switch (view.status) {
    case "approved":
      return runApproved(agent, config, view, signal);
    case "rejected":
      return refusal(
        `Rejected by ${view.decided_by ?? "a reviewer"}${view.reason ? `: ${view.reason}` : ""}. The call did not run.`,
        meta,
      );
    case "expired":
      return refusal(
        `No reviewer decided in time; the approval expired and the call did not run (Countersign action ${view.id}).`,
        meta,
      );
    case "denied":
      return refusal(
        `Denied by Countersign policy${view.reason ? `: ${view.reason}` : ""}. The call did not run.`,
        meta,
      );
    case "pending":
      return refusal(
        `No decision within ${config.maxWaitSeconds} s; the call did not run and will not run from this request (Countersign action ${view.id}).`,
        meta,
      );
    case "completed":
      // Only the gateway holds this action's grant and it has not reported: not reachable, and never a second run.
      return refusal(
        `Countersign action ${view.id} is already completed; it was not run again.`,
        meta,
      );
  }
}

async function runApproved(
  agent: AuthenticatedAgent,
  config: GatewayAgent,
  view: ActionView,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const grant = view.grant!;
  let result: CallToolResult;
  try {
    result = await callUpstreamTool(config, view.tool, view.arguments, signal);
  } catch (error) {
    const message =
      error instanceof AppError
        ? error.message
        : "the upstream MCP server failed to answer the call";
    await report(agent, view.id, { grant, status: "failed", error: message });
    return refusal(
      `Approved, but the upstream call failed: ${message}. Its outcome is not known; check before trying again (Countersign action ${view.id}).`,
      {
        "countersign/action": view.id,
        "countersign/status": "failed",
      },
    );
  }
  await report(
    agent,
    view.id,
    result.isError
      ? { grant, status: "failed", error: errorText(result), result }
      : { grant, status: "succeeded", result },
  );
  const note = view.edited
    ? [
        {
          type: "text" as const,
          text: `Countersign: a reviewer edited the arguments before this ran; it ran with ${JSON.stringify(view.arguments)}`,
        },
      ]
    : [];
  return {
    ...result,
    content: [...(result.content ?? []), ...note],
    _meta: {
      ...result._meta,
      "countersign/action": view.id,
      "countersign/status": "completed",
      "countersign/edited": view.edited,
    },
  };
}

/** The outcome goes to the trace and audit; if recording fails the call still ran, so the client still gets its result. */
async function report(
  agent: AuthenticatedAgent,
  id: string,
  body: { grant: string; status: "succeeded" | "failed"; result?: unknown; error?: string },
) {
  await reportResult(agent, id, body).catch((error: unknown) =>
    log.error("mcp gateway: result report failed", { actionId: id, error }),
  );
}

function errorText(result: CallToolResult): string {
  const text = (result.content ?? [])
    .map((c) => (c.type === "text" ? c.text : ""))
    .join(" ")
    .trim();
  return (text || "the upstream tool answered with an error").slice(0, 4000);
}
