"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { registerExternalAgentAction, updateExternalAgentAction } from "@/lib/external/actions";
import type { ExternalAgentForm } from "@/lib/external/form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

const INPUT = "mt-1 text-sm";

type Values = Record<keyof ExternalAgentForm, string>;
const EMPTY: Values = {
  description: "",
  allowedOrigins: "",
  toolPolicies: "",
  confidenceThreshold: "0.8",
  approvalTtlSeconds: "3600",
  maxWaitSeconds: "600",
  rateLimitPerMinute: "120",
  mcpUrl: "",
  mcpCommand: "",
};

const FIELDS: { key: keyof Values; label: string; hint: string; multiline?: boolean }[] = [
  { key: "description", label: "Description", hint: "What the agent does, for reviewers." },
  {
    key: "allowedOrigins",
    label: "Allowed callback origins",
    hint: "One per line, e.g. https://agent.example.com. Webhooks go only there.",
    multiline: true,
  },
  {
    key: "toolPolicies",
    label: "Tool policies",
    hint: "One `tool: auto | require_approval | deny` per line. Unlisted tools require approval; irreversible calls always do.",
    multiline: true,
  },
  {
    key: "confidenceThreshold",
    label: "Confidence threshold",
    hint: "Below this stated confidence (0 to 1) a call waits.",
  },
  {
    key: "approvalTtlSeconds",
    label: "Approval time to live (seconds)",
    hint: "After this, a waiting call expires (it never runs).",
  },
  {
    key: "maxWaitSeconds",
    label: "Longest wait (seconds)",
    hint: "How long the MCP gateway keeps a call waiting for a decision.",
  },
  {
    key: "rateLimitPerMinute",
    label: "Requests per minute per key",
    hint: "Beyond this, 429 with Retry-After.",
  },
  {
    key: "mcpUrl",
    label: "Upstream MCP URL",
    hint: "Optional: a Streamable HTTP MCP server the gateway forwards to.",
  },
  {
    key: "mcpCommand",
    label: "Upstream MCP command",
    hint: "Optional: a stdio MCP server command, e.g. node server.js.",
  },
];

/** Registers an external agent (no `current`), or edits one. A new agent's secret and key are shown once. */
export function ExternalAgentFormView({ current }: { current?: { name: string; values: Values } }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [name, setName] = useState(current?.name ?? "");
  const [values, setValues] = useState<Values>(current?.values ?? EMPTY);
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [created, setCreated] = useState<{
    name: string;
    signingSecret: string;
    key: string;
  } | null>(null);
  const save = useMutation({
    mutationFn: (input: Values & { name: string }) =>
      current ? updateExternalAgentAction(input) : registerExternalAgentAction(input),
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      if (!current && "signingSecret" in result.data) {
        setCreated(result.data as { name: string; signingSecret: string; key: string });
        setName("");
        setValues(EMPTY);
      }
      setFeedback({
        tone: "ok",
        text: current
          ? "Saved. New proposals follow these settings."
          : `Registered ${result.data.name}.`,
      });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was saved. Try again.",
      }),
  });
  const prefix = current ? `edit-${current.name}` : "new-agent";
  return (
    <form
      noValidate
      aria-label={current ? `Settings of ${current.name}` : "Register an external agent"}
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        setFeedback(null);
        save.mutate({ ...values, name });
      }}
    >
      {!current && (
        <label className="block text-sm font-medium">
          Name
          <Input
            className={INPUT}
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-describedby={`${prefix}-name-hint`}
            autoComplete="off"
          />
          <span id={`${prefix}-name-hint`} className="text-xs font-normal text-slate-500">
            Lower-case letters, digits and dashes; used in the inbox, URLs and the MCP gateway.
          </span>
        </label>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <label
            key={f.key}
            className={`block text-sm font-medium ${f.multiline ? "sm:col-span-2" : ""}`}
          >
            {f.label}
            {f.multiline ? (
              <Textarea
                rows={3}
                className={INPUT}
                value={values[f.key]}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                aria-describedby={`${prefix}-${f.key}-hint`}
              />
            ) : (
              <Input
                className={INPUT}
                value={values[f.key]}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
                aria-describedby={`${prefix}-${f.key}-hint`}
              />
            )}
            <span id={`${prefix}-${f.key}-hint`} className="text-xs font-normal text-slate-500">
              {f.hint}
            </span>
          </label>
        ))}
      </div>
      <Button
        type="submit"
        disabled={save.isPending || !hydrated}
        variant="primary"
        size="sm"
        className="px-3 py-1.5 text-sm disabled:opacity-50"
      >
        {current ? "Save settings" : "Register external agent"}
      </Button>
      {feedback && (
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`text-sm ${feedback.tone === "error" ? "text-red-700" : "text-emerald-700"}`}
        >
          {feedback.text}
        </p>
      )}
      {created && (
        <ShownOnce
          title={`${created.name}: copy these now, they are not shown again`}
          items={[
            ["Signing secret", created.signingSecret],
            ["Agent key", created.key],
          ]}
        />
      )}
    </form>
  );
}

export function ShownOnce({ title, items }: { title: string; items: [string, string][] }) {
  return (
    <div
      role="region"
      aria-label="Shown once"
      className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
    >
      <p className="font-medium">{title}</p>
      <dl className="mt-2 space-y-1">
        {items.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs text-slate-600">{label}</dt>
            <dd>
              <code aria-label={label} className="break-all font-mono text-xs">
                {value}
              </code>
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
