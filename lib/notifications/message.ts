// What a "an item is waiting" notification says, per channel. Arguments a tool marks sensitive
// never leave the app: they are replaced before any text is built from them.
import type { AnyTool } from "@/lib/agent-kit";
import { registry } from "@/lib/agents";

export const REDACTED = "[redacted]";

export type ParkedItem = {
  approvalId: string;
  /** The hash of the arguments shown: a decision from the message is bound to it. */
  proposedHash?: string;
  agent: string;
  tool: string;
  arguments: unknown;
  reasons: unknown;
  confidence: number | null;
  expiresAt: Date;
};

export type ParkedMessage = {
  approvalId: string;
  proposedHash?: string;
  agent: string;
  agentTitle: string;
  tool: string;
  summary: string;
  arguments: Record<string, unknown>;
  reasons: string[];
  confidence: number | null;
  expiresAt: string;
  link?: string;
};

function toolSpec(agent: string, tool: string): AnyTool | undefined {
  return registry.tool(agent, tool);
}

/** Sensitive arguments become "[redacted]"; for a tool we do not know, every argument does. */
export function redactArguments(tool: AnyTool | undefined, args: unknown): Record<string, unknown> {
  const record =
    args && typeof args === "object" && !Array.isArray(args)
      ? (args as Record<string, unknown>)
      : {};
  const sensitive = new Set(tool ? (tool.sensitive ?? []) : Object.keys(record));
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, sensitive.has(key) ? REDACTED : value]),
  );
}

export function parkedMessage(item: ParkedItem, publicUrl?: string): ParkedMessage {
  const tool = toolSpec(item.agent, item.tool);
  const args = redactArguments(tool, item.arguments);
  let summary = item.tool.replace(/_/g, " ");
  try {
    // Built from the redacted arguments, so a summary cannot carry a sensitive value either.
    if (tool) summary = tool.summarize(args as never);
  } catch {
    // A summary that cannot read redacted arguments falls back to the tool's name.
  }
  return {
    approvalId: item.approvalId,
    ...(item.proposedHash && { proposedHash: item.proposedHash }),
    agent: item.agent,
    agentTitle: registry.find(item.agent)?.title ?? item.agent,
    tool: item.tool,
    summary: oneLine(summary, 200),
    arguments: args,
    reasons: Array.isArray(item.reasons) ? item.reasons.map(String) : [],
    confidence: item.confidence,
    expiresAt: item.expiresAt.toISOString(),
    ...(publicUrl && { link: `${publicUrl}/inbox/${item.approvalId}` }),
  };
}

export type InAppPayload = {
  agent: string;
  agentTitle: string;
  tool: string;
  summary: string;
  reasons: string[];
};

export function inAppPayload(m: ParkedMessage): InAppPayload {
  return {
    agent: m.agent,
    agentTitle: m.agentTitle,
    tool: m.tool,
    summary: m.summary,
    reasons: m.reasons,
  };
}

type SlackText = { type: "plain_text" | "mrkdwn"; text: string };
export type SlackPayload = { text: string; blocks: Array<Record<string, unknown>> };

/** The value a Slack button carries back (lib/slack/interactions.ts): the item and the arguments it showed. */
export const decisionButtonValue = (m: Pick<ParkedMessage, "approvalId" | "proposedHash">) =>
  `${m.approvalId}:${m.proposedHash ?? ""}`;

/**
 * A Slack-compatible incoming-webhook body: `text` as the fallback, `blocks` for the layout. With
 * `interactive` (a Slack app whose interactions reach /api/v1/slack/interactions), Approve and
 * Reject buttons: Reject asks for the reason in a dialog, as the packet does.
 */
export function slackPayload(
  m: ParkedMessage,
  options: { interactive?: boolean } = {},
): SlackPayload {
  const mrkdwn = (text: string): SlackText => ({ type: "mrkdwn", text: escapeSlack(text) });
  const fields = Object.entries(m.arguments)
    .slice(0, 10)
    .map(([key, value]) => ({
      type: "mrkdwn",
      text: `*${escapeSlack(key)}*\n${escapeSlack(oneLine(display(value), 300))}`,
    }));
  const blocks: Array<Record<string, unknown>> = [
    {
      type: "header",
      text: { type: "plain_text", text: oneLine(`Approval needed: ${m.tool}`, 150) },
    },
    { type: "section", text: mrkdwn(`${m.agentTitle} agent wants to run ${m.tool}: ${m.summary}`) },
    ...(fields.length ? [{ type: "section", fields }] : []),
    { type: "context", elements: [mrkdwn(contextLine(m))] },
  ];
  const buttons: Array<Record<string, unknown>> = [];
  if (options.interactive && m.proposedHash) {
    const value = decisionButtonValue(m);
    buttons.push(
      {
        type: "button",
        action_id: "countersign_approve",
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value,
        confirm: {
          title: { type: "plain_text", text: "Approve this call?" },
          text: { type: "mrkdwn", text: escapeSlack(oneLine(`${m.tool}: ${m.summary}`, 280)) },
          confirm: { type: "plain_text", text: "Approve" },
          deny: { type: "plain_text", text: "Cancel" },
        },
      },
      {
        type: "button",
        action_id: "countersign_reject",
        style: "danger",
        text: { type: "plain_text", text: "Reject…" },
        value,
      },
    );
  }
  if (m.link)
    buttons.push({
      type: "button",
      action_id: "countersign_open",
      text: { type: "plain_text", text: "Open in Countersign" },
      url: m.link,
    });
  if (buttons.length)
    blocks.push({ type: "actions", block_id: "countersign_decision", elements: buttons });
  return {
    text: escapeSlack(`Approval needed: ${m.tool} (${m.agentTitle}) — ${m.summary}`),
    blocks,
  };
}

export type EmailContent = { subject: string; text: string };

export function emailContent(m: ParkedMessage): EmailContent {
  const args = Object.entries(m.arguments).map(
    ([key, value]) => `  ${key}: ${oneLine(display(value), 500)}`,
  );
  const lines = [
    "A call proposed by an agent is waiting for a reviewer in Countersign.",
    "",
    `Agent: ${m.agentTitle}`,
    `Tool: ${m.tool}`,
    `Proposed: ${m.summary}`,
    ...(args.length ? ["Arguments:", ...args] : []),
    contextLine(m),
    ...(m.link ? ["", `Open it: ${m.link}`] : []),
  ];
  return {
    subject: oneLine(`Approval needed: ${m.tool} (${m.agentTitle}) — ${m.summary}`, 150),
    text: `${lines.join("\n")}\n`,
  };
}

function contextLine(m: ParkedMessage): string {
  const confidence = m.confidence === null ? "not stated" : `${Math.round(m.confidence * 100)}%`;
  return `Why it waits: ${m.reasons.join(", ") || "policy"} · model confidence ${confidence} · expires ${m.expiresAt}`;
}

const display = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

// Slack reads <…> as links and mentions (<!channel>): text from customers and models must not.
const escapeSlack = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
