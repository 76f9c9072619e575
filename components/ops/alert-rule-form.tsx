"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { saveAlertRuleAction } from "@/lib/alerts/actions";
import {
  ALERT_CHANNELS,
  ALERT_METRICS,
  METRIC_INFO,
  RUNBOOK_TITLES,
  RUNBOOKS,
  type AlertChannel,
  type AlertMetric,
  type Runbook,
} from "@/lib/alerts/rule-options";
import type { AlertRule } from "@/lib/alerts/rule-schema";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";

type Props = { ruleKey: string | null; version: number; rule: AlertRule; agents: string[] };

const INPUT = "mt-1 text-sm";
const NUMBERS = [
  ["windowMinutes", "Window (minutes)"],
  ["minSample", "Minimum sample"],
  ["sustainedMinutes", "Sustained for (minutes)"],
  ["renotifyMinutes", "Renotify every (minutes, 0: never)"],
] as const;

/** One alert rule: a new one (with a key) or the next version of an existing one. */
export function AlertRuleForm({ ruleKey, version, rule, agents }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [draft, setDraft] = useState(rule);
  const [key, setKey] = useState(ruleKey ?? "");
  const [bar, setBar] = useState(
    String(rule.condition.mode === "threshold" ? rule.condition.above : rule.condition.factor),
  );
  const [reason, setReason] = useState("");
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const save = useMutation({
    mutationFn: saveAlertRuleAction,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setReason("");
      setFeedback({
        tone: "ok",
        text: `Saved ${result.data.key} as version ${result.data.version}; it is evaluated from the next minute.`,
      });
      router.refresh();
    },
    onError: () =>
      setFeedback({ tone: "error", text: "Could not reach the server; nothing was saved." }),
  });
  const busy = !hydrated || save.isPending;
  const id = (field: string) => `${ruleKey ?? "new"}-${field}`;
  const set = <K extends keyof AlertRule>(field: K, value: AlertRule[K]) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const mode = draft.condition.mode;

  return (
    <form
      noValidate
      aria-label={ruleKey ? `Alert rule ${ruleKey}` : "New alert rule"}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        const value = Number(bar);
        const condition = mode === "threshold" ? { mode, above: value } : { mode, factor: value };
        save.mutate({
          key,
          rule: { ...draft, condition },
          reason,
          ...(ruleKey && { basedOnVersion: version }),
        });
      }}
    >
      <div>
        <Label htmlFor={id("key")} className="block">
          Key
        </Label>
        <Input
          id={id("key")}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          disabled={busy || ruleKey !== null}
          className={INPUT}
        />
      </div>
      <div className="sm:col-span-2">
        <Label htmlFor={id("name")} className="block">
          Name
        </Label>
        <Input
          id={id("name")}
          value={draft.name}
          onChange={(e) => set("name", e.target.value)}
          disabled={busy}
          className={INPUT}
        />
      </div>
      <div>
        <Label htmlFor={id("metric")} className="block">
          Metric
        </Label>
        <Select
          id={id("metric")}
          value={draft.metric}
          onChange={(e) => set("metric", e.target.value as AlertMetric)}
          disabled={busy}
          className={INPUT}
        >
          {ALERT_METRICS.map((m) => (
            <option key={m} value={m}>
              {METRIC_INFO[m].label}
            </option>
          ))}
        </Select>
      </div>
      <div>
        <Label htmlFor={id("agent")} className="block">
          Agent
        </Label>
        <Select
          id={id("agent")}
          value={draft.agent ?? ""}
          onChange={(e) => set("agent", e.target.value || null)}
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
      </div>
      <div>
        <Label htmlFor={id("mode")} className="block">
          Condition
        </Label>
        <Select
          id={id("mode")}
          value={mode}
          onChange={(e) =>
            setDraft((d) => ({
              ...d,
              condition:
                e.target.value === "baseline"
                  ? { mode: "baseline", factor: Number(bar) }
                  : { mode: "threshold", above: Number(bar) },
            }))
          }
          disabled={busy}
          className={INPUT}
        >
          <option value="threshold">Above a threshold</option>
          <option value="baseline">Times the baseline</option>
        </Select>
      </div>
      <div>
        <Label htmlFor={id("bar")} className="block">
          {mode === "threshold"
            ? `Threshold (${METRIC_INFO[draft.metric].unit})`
            : "Factor (× the usual)"}
        </Label>
        <Input
          id={id("bar")}
          inputMode="decimal"
          value={bar}
          onChange={(e) => setBar(e.target.value)}
          disabled={busy}
          className={INPUT}
        />
      </div>
      {NUMBERS.map(([field, label]) => (
        <div key={field}>
          <Label htmlFor={id(field)} className="block">
            {label}
          </Label>
          <Input
            id={id(field)}
            inputMode="numeric"
            value={String(draft[field])}
            onChange={(e) => set(field, Number(e.target.value))}
            disabled={busy}
            className={INPUT}
          />
        </div>
      ))}
      <fieldset className="text-sm">
        <legend className="font-medium">Channels</legend>
        {ALERT_CHANNELS.map((c) => (
          <label key={c} className="mr-3 inline-flex items-center gap-1">
            <Checkbox
              checked={draft.channels.includes(c)}
              disabled={busy}
              onChange={(e) =>
                set(
                  "channels",
                  e.target.checked
                    ? [...draft.channels, c]
                    : draft.channels.filter((x: AlertChannel) => x !== c),
                )
              }
            />
            {c === "in_app" ? "In-app" : c === "webhook" ? "Webhook" : "Email"}
          </label>
        ))}
      </fieldset>
      <div>
        <Label htmlFor={id("runbook")} className="block">
          Runbook
        </Label>
        <Select
          id={id("runbook")}
          value={draft.runbook}
          onChange={(e) => set("runbook", e.target.value as Runbook)}
          disabled={busy}
          className={INPUT}
        >
          {RUNBOOKS.map((r) => (
            <option key={r} value={r}>
              {RUNBOOK_TITLES[r]}
            </option>
          ))}
        </Select>
      </div>
      <label className="flex items-center gap-2 text-sm font-medium">
        <Checkbox
          checked={draft.enabled}
          onChange={(e) => set("enabled", e.target.checked)}
          disabled={busy}
        />
        Enabled
      </label>
      <div className="sm:col-span-3">
        <Label htmlFor={id("resolved")} className="block">
          Resolved message
        </Label>
        <Input
          id={id("resolved")}
          value={draft.resolvedMessage}
          onChange={(e) => set("resolvedMessage", e.target.value)}
          disabled={busy}
          className={INPUT}
        />
      </div>
      <div className="sm:col-span-2">
        <Label htmlFor={id("reason")} className="block">
          Reason for the change
        </Label>
        <Input
          id={id("reason")}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          disabled={busy}
          className={INPUT}
        />
      </div>
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
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`sm:col-span-3 rounded px-2 py-1 text-sm ${feedback.tone === "error" ? "bg-red-50 text-red-700" : "bg-emerald-50 text-emerald-800"}`}
        >
          {feedback.text}
        </p>
      )}
    </form>
  );
}
