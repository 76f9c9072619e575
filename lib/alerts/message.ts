// What an alert says on each channel: firing, renotify (still firing) and resolved.
import { RUNBOOK_TITLES, type AlertRule } from "./rule-schema";

export type AlertKind = "firing" | "renotify" | "resolved";

export type AlertMessage = {
  kind: AlertKind;
  ruleKey: string;
  ruleName: string;
  summary: string;
  since: string;
  runbook: string;
  runbookTitle: string;
  resolvedMessage: string;
  links?: { alerts: string; runbook: string };
};

export function alertMessage(
  kind: AlertKind,
  key: string,
  rule: AlertRule,
  summary: string,
  since: Date,
  publicUrl?: string,
): AlertMessage {
  return {
    kind,
    ruleKey: key,
    ruleName: rule.name,
    summary,
    since: since.toISOString(),
    runbook: rule.runbook,
    runbookTitle: RUNBOOK_TITLES[rule.runbook],
    resolvedMessage: rule.resolvedMessage,
    ...(publicUrl && {
      links: {
        alerts: `${publicUrl}/ops/alerts`,
        runbook: `${publicUrl}/ops/runbooks/${rule.runbook}`,
      },
    }),
  };
}

export function headline(m: AlertMessage): string {
  const prefix =
    m.kind === "firing" ? "Alert firing" : m.kind === "renotify" ? "Still firing" : "Resolved";
  return oneLine(`${prefix}: ${m.ruleName}`, 150);
}

function bodyLine(m: AlertMessage): string {
  return m.kind === "resolved"
    ? m.resolvedMessage || `${m.ruleName} is no longer breaching.`
    : `${m.summary} (breaching since ${m.since})`;
}

/** Slack-compatible incoming-webhook body. */
export function alertSlackPayload(m: AlertMessage) {
  const blocks: Array<Record<string, unknown>> = [
    { type: "header", text: { type: "plain_text", text: headline(m) } },
    { type: "section", text: { type: "mrkdwn", text: escapeSlack(bodyLine(m)) } },
    {
      type: "context",
      elements: [
        { type: "mrkdwn", text: escapeSlack(`Rule ${m.ruleKey} · runbook: ${m.runbookTitle}`) },
      ],
    },
  ];
  if (m.links) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: { type: "plain_text", text: "Open the runbook" },
          url: m.links.runbook,
        },
        { type: "button", text: { type: "plain_text", text: "All alerts" }, url: m.links.alerts },
      ],
    });
  }
  return { text: escapeSlack(`${headline(m)} — ${bodyLine(m)}`), blocks };
}

export function alertEmail(m: AlertMessage) {
  const lines = [
    headline(m),
    "",
    bodyLine(m),
    "",
    `Rule: ${m.ruleKey}`,
    `Runbook: ${m.runbookTitle} (docs/runbooks/${m.runbook}.md)`,
    ...(m.links ? [`Open it: ${m.links.runbook}`, `All alerts: ${m.links.alerts}`] : []),
  ];
  return { subject: headline(m), text: `${lines.join("\n")}\n` };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const escapeSlack = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
