"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useHydrated } from "@/components/ui/use-hydrated";
import { saveAlertRuleAction } from "@/lib/alerts/actions";
import { ruleFormSchema, type RuleDraft, type SaveRuleInput } from "@/lib/alerts/inputs";
import {
  ALERT_CHANNELS,
  ALERT_METRICS,
  METRIC_INFO,
  RUNBOOK_TITLES,
  RUNBOOKS,
  type AlertMetric,
} from "@/lib/alerts/rule-options";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Checkbox } from "@/components/ui/checkbox";

type Props = { ruleKey: string | null; version: number; rule: AlertRule; agents: string[] };

const INPUT = "mt-1 text-sm font-normal";
const NUMBERS = [
  ["windowMinutes", "Window (minutes)"],
  ["minSample", "Minimum sample"],
  ["sustainedMinutes", "Sustained for (minutes)"],
  ["renotifyMinutes", "Renotify every (minutes, 0: never)"],
] as const;
const CHANNEL_LABELS = { in_app: "In-app", webhook: "Webhook", email: "Email" } as const;

/** The form's values for a saved rule (or the new rule's template), every number as text. */
const draftOf = (key: string, rule: AlertRule): RuleDraft => ({
  key,
  name: rule.name,
  metric: rule.metric,
  agent: rule.agent ?? "",
  mode: rule.condition.mode,
  bar: String(rule.condition.mode === "threshold" ? rule.condition.above : rule.condition.factor),
  windowMinutes: String(rule.windowMinutes),
  minSample: String(rule.minSample),
  sustainedMinutes: String(rule.sustainedMinutes),
  renotifyMinutes: String(rule.renotifyMinutes),
  channels: [...rule.channels],
  runbook: rule.runbook,
  enabled: rule.enabled,
  resolvedMessage: rule.resolvedMessage,
  reason: "",
});

/** One alert rule: a new one (with a key) or the next version of an existing one. */
export function AlertRuleForm({ ruleKey, version, rule, agents }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  // Each control also gets its defaultValue so the server-rendered page shows the values before
  // hydration (register() alone fills them in only in the browser). The server action's own
  // schema (lib/alerts/inputs.ts) checks the draft first; the action still parses what arrives.
  const initial = draftOf(ruleKey ?? "", rule);
  const form = useForm<RuleDraft, unknown, SaveRuleInput>({
    resolver: zodResolver(ruleFormSchema),
    defaultValues: initial,
  });
  const errors = form.formState.errors;
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const save = useMutation({
    mutationFn: saveAlertRuleAction,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      form.setValue("reason", "");
      setFeedback({
        tone: "success",
        text: `Saved ${result.data.key} as version ${result.data.version}; it is evaluated from the next minute.`,
      });
      router.refresh();
    },
    onError: () =>
      setFeedback({ tone: "error", text: "Could not reach the server; nothing was saved." }),
  });
  const busy = !hydrated || save.isPending;
  // What the condition's value means follows the chosen mode and metric.
  const mode = useWatch({ control: form.control, name: "mode" });
  const metric = useWatch({ control: form.control, name: "metric" }) as AlertMetric;

  return (
    <form
      noValidate
      aria-label={ruleKey ? `Alert rule ${ruleKey}` : "New alert rule"}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3"
      onSubmit={form.handleSubmit(
        (input) => {
          setFeedback(null);
          save.mutate({ ...input, ...(ruleKey && { basedOnVersion: version }) });
        },
        () => setFeedback({ tone: "error", text: "Some values need fixing; nothing was saved." }),
      )}
    >
      <Field label="Key" error={errors.key?.message}>
        <Input
          {...form.register("key")}
          defaultValue={initial.key}
          disabled={busy || ruleKey !== null}
          className={INPUT}
        />
      </Field>
      <Field label="Name" error={errors.name?.message} className="sm:col-span-2">
        <Input
          {...form.register("name")}
          defaultValue={initial.name}
          disabled={busy}
          className={INPUT}
        />
      </Field>
      <Field label="Metric" error={errors.metric?.message}>
        <Select
          {...form.register("metric")}
          defaultValue={initial.metric}
          disabled={busy}
          className={INPUT}
        >
          {ALERT_METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_INFO[m].label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Agent" error={errors.agent?.message}>
        <Select
          {...form.register("agent")}
          defaultValue={initial.agent}
          disabled={busy}
          className={INPUT}
        >
          <option value="">All agents</option>
          {agents.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Condition" error={errors.mode?.message}>
        <Select
          {...form.register("mode")}
          defaultValue={initial.mode}
          disabled={busy}
          className={INPUT}
        >
          <option value="threshold">Above a threshold</option>
          <option value="baseline">Times the baseline</option>
        </Select>
      </Field>
      <Field
        label={
          mode === "threshold" ? `Threshold (${METRIC_INFO[metric].unit})` : "Factor (× the usual)"
        }
        error={errors.bar?.message}
      >
        <Input
          inputMode="decimal"
          {...form.register("bar")}
          defaultValue={initial.bar}
          disabled={busy}
          className={INPUT}
        />
      </Field>
      {NUMBERS.map(([field, label]) => (
        <Field key={field} label={label} error={errors[field]?.message}>
          <Input
            inputMode="numeric"
            {...form.register(field)}
            defaultValue={initial[field]}
            disabled={busy}
            className={INPUT}
          />
        </Field>
      ))}
      {/* Tick boxes are disabled through a fieldset or only while saving: register() reads a
          pre-ticked box from the page when hydrating, and skips one that is itself disabled. */}
      <fieldset disabled={busy} className="text-sm">
        <legend className="font-medium">Channels</legend>
        {ALERT_CHANNELS.map((c) => (
          <label key={c} className="mr-3 inline-flex items-center gap-1">
            <Checkbox
              {...form.register("channels")}
              value={c}
              defaultChecked={initial.channels.includes(c)}
            />
            {CHANNEL_LABELS[c]}
          </label>
        ))}
        {errors.channels && (
          <span role="alert" className="mt-0.5 block text-xs text-red-700">
            {errors.channels.message}
          </span>
        )}
      </fieldset>
      <Field label="Runbook" error={errors.runbook?.message}>
        <Select
          {...form.register("runbook")}
          defaultValue={initial.runbook}
          disabled={busy}
          className={INPUT}
        >
          {RUNBOOKS.map((r) => (
            <option key={r} value={r}>
              {RUNBOOK_TITLES[r]}
            </option>
          ))}
        </Select>
      </Field>
      <label className="flex items-center gap-2 text-sm font-medium">
        <Checkbox
          {...form.register("enabled")}
          defaultChecked={initial.enabled}
          disabled={save.isPending}
        />
        Enabled
      </label>
      <Field
        label="Resolved message"
        error={errors.resolvedMessage?.message}
        className="sm:col-span-3"
      >
        <Input
          {...form.register("resolvedMessage")}
          defaultValue={initial.resolvedMessage}
          disabled={busy}
          className={INPUT}
        />
      </Field>
      <Field label="Reason for the change" error={errors.reason?.message} className="sm:col-span-2">
        <Input {...form.register("reason")} disabled={busy} className={INPUT} />
      </Field>
      <div className="flex items-end gap-3">
        <Button
          type="submit"
          disabled={busy}
          variant="primary"
          size="sm"
          className="px-3 py-1.5 text-sm"
        >
          {save.isPending ? "Saving…" : ruleKey ? `Save as version ${version + 1}` : "Create rule"}
        </Button>
      </div>
      {feedback && (
        <Alert tone={feedback.tone} className="sm:col-span-3">
          {feedback.text}
        </Alert>
      )}
    </form>
  );
}
