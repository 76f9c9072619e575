"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useHydrated } from "@/components/ui/use-hydrated";
import { registerExternalAgentAction, updateExternalAgentAction } from "@/lib/external/actions";
import type { ExternalAgentForm } from "@/lib/external/form";
import { registerExternalAgentInput, updateExternalAgentInput } from "@/lib/external/inputs";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

const INPUT = "mt-1 text-sm";

type Values = Record<keyof ExternalAgentForm, string>;
/** What the form holds: the server schema's input (every field as typed, and the name). */
type Draft = z.input<typeof registerExternalAgentInput>;
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
  const initial = { ...(current?.values ?? EMPTY), name: current?.name ?? "" };
  // The server action's own schema checks the draft first (lib/external/inputs.ts), so its
  // messages show beside the field; the action still parses what arrives. Each control also gets
  // its defaultValue so the server-rendered page shows the values before hydration.
  const form = useForm<Draft, unknown, z.output<typeof registerExternalAgentInput>>({
    resolver: zodResolver(current ? updateExternalAgentInput : registerExternalAgentInput),
    defaultValues: initial,
  });
  const errors = form.formState.errors;
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const [created, setCreated] = useState<{
    name: string;
    signingSecret: string;
    key: string;
  } | null>(null);
  const save = useMutation({
    mutationFn: (input: z.output<typeof registerExternalAgentInput>) =>
      current ? updateExternalAgentAction(input) : registerExternalAgentAction(input),
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      if (!current && "signingSecret" in result.data) {
        setCreated(result.data as { name: string; signingSecret: string; key: string });
        form.reset({ ...EMPTY, name: "" });
      }
      setFeedback({
        tone: "success",
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
      onSubmit={form.handleSubmit(
        (input) => {
          setFeedback(null);
          save.mutate(input);
        },
        () => setFeedback({ tone: "error", text: "Some values need fixing; nothing was saved." }),
      )}
    >
      {!current && (
        <Field
          label="Name"
          error={errors.name?.message}
          hint={
            <span id={`${prefix}-name-hint`}>
              Lower-case letters, digits and dashes; used in the inbox, URLs and the MCP gateway.
            </span>
          }
        >
          <Input
            className={INPUT}
            {...form.register("name")}
            defaultValue={initial.name}
            aria-describedby={`${prefix}-name-hint`}
            autoComplete="off"
          />
        </Field>
      )}
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((f) => (
          <Field
            key={f.key}
            label={f.label}
            error={errors[f.key]?.message}
            hint={<span id={`${prefix}-${f.key}-hint`}>{f.hint}</span>}
            className={f.multiline ? "sm:col-span-2" : undefined}
          >
            {f.multiline ? (
              <Textarea
                rows={3}
                className={INPUT}
                {...form.register(f.key)}
                defaultValue={initial[f.key]}
                aria-describedby={`${prefix}-${f.key}-hint`}
              />
            ) : (
              <Input
                className={INPUT}
                {...form.register(f.key)}
                defaultValue={initial[f.key]}
                aria-describedby={`${prefix}-${f.key}-hint`}
              />
            )}
          </Field>
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
      {feedback && <Alert tone={feedback.tone}>{feedback.text}</Alert>}
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
