"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { saveAgentSettings } from "@/lib/evals/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { AgentSettings, ToolPolicy } from "@/lib/agent-settings/settings";
import {
  NUMERIC_FIELDS,
  ON_LOOP_LABELS,
  parseNumericInput,
  settingsReason,
  TIER_LABELS,
  toInputValue,
  type Bounds,
  type NumericSettingKey,
} from "@/lib/agent-settings/setting-fields";
import { AgentSloFields, parseSloDraft, sloDraftOf, type SloDraft } from "./agent-slo-fields";
import { AgentToolPolicies, type ToolInfo } from "./agent-tool-policies";
import { Button } from "@/components/ui/button";
import { GateFailure, type GateFailureInfo } from "./gate-failure";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";

type Props = {
  agent: { name: string; tools: ToolInfo[] };
  current: { version: number; settings: AgentSettings };
  defaults: AgentSettings;
  bounds: Record<NumericSettingKey, Bounds>;
};

type Draft = {
  numbers: Record<NumericSettingKey, string>;
  onLoop: AgentSettings["onLoop"];
  tier: AgentSettings["tier"];
  anomalyHold: boolean;
  policies: Record<string, ToolPolicy | undefined>;
  slo: SloDraft;
};

const INPUT = "mt-1 text-sm";

function draftOf(settings: AgentSettings, tools: ToolInfo[]): Draft {
  return {
    numbers: Object.fromEntries(
      NUMERIC_FIELDS.map((f) => [f.key, toInputValue(f, settings[f.key])]),
    ) as Draft["numbers"],
    onLoop: settings.onLoop,
    tier: settings.tier,
    anomalyHold: settings.anomalyHold,
    policies: Object.fromEntries(tools.map((t) => [t.name, settings.toolPolicies[t.name]])),
    slo: sloDraftOf(settings.slo),
  };
}

/** The same checks the server makes, so mistakes show next to their field before a round trip. */
function validate(
  draft: Draft,
  reason: string,
  tools: ToolInfo[],
  bounds: Props["bounds"],
): { errors: Record<string, string> } | { settings: AgentSettings; reason: string } {
  const errors: Record<string, string> = {};
  const numbers: Partial<Record<NumericSettingKey, number>> = {};
  for (const field of NUMERIC_FIELDS) {
    const parsed = parseNumericInput(field, draft.numbers[field.key], bounds[field.key]);
    if ("error" in parsed) errors[field.key] = parsed.error;
    else numbers[field.key] = parsed.value;
  }
  const toolPolicies: Record<string, ToolPolicy> = {};
  for (const tool of tools) {
    const policy = draft.policies[tool.name];
    if (!policy) errors[`tool:${tool.name}`] = "Choose a policy";
    else if (tool.irreversible && policy === "auto")
      errors[`tool:${tool.name}`] = "An irreversible tool can never run without approval";
    else toolPolicies[tool.name] = policy;
  }
  const slo = parseSloDraft(draft.slo);
  if ("errors" in slo) Object.assign(errors, slo.errors);
  const why = settingsReason.safeParse(reason);
  if (!why.success) errors.reason = why.error.issues[0]?.message ?? "Say why";
  if (Object.keys(errors).length || "errors" in slo || !why.success) return { errors };
  const settings = {
    ...(numbers as Record<NumericSettingKey, number>),
    onLoop: draft.onLoop,
    tier: draft.tier,
    anomalyHold: draft.anomalyHold,
    toolPolicies,
    slo: slo.slo,
  };
  return { settings, reason: why.data };
}

export function AgentSettingsForm({ agent, current, defaults, bounds }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [draft, setDraft] = useState(() => draftOf(current.settings, agent.tools));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [basedOnVersion, setBasedOnVersion] = useState(current.version);
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [gateFailure, setGateFailure] = useState<GateFailureInfo | null>(null);

  const save = useMutation({
    mutationFn: saveAgentSettings,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setReason("");
      const { gate } = result.data;
      if (!gate.activated) {
        // Saved, but a candidate: the admin sees the failed cases and may override with a reason.
        setGateFailure({
          agent: agent.name,
          version: gate.version,
          basedOnVersion,
          evalRunId: gate.evalRunId,
          passed: gate.passed,
          total: gate.total,
          failed: gate.failed,
        });
        return router.refresh();
      }
      setBasedOnVersion(result.data.version);
      const checked = gate.gate === "passed" ? " Its eval suites passed." : "";
      setFeedback({
        tone: "ok",
        text: `Saved as version ${result.data.version}. New runs of this agent use it.${checked}`,
      });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was saved. Try again.",
      }),
  });
  const busy = save.isPending || !hydrated;

  const setNumber = (key: NumericSettingKey, value: string) =>
    setDraft((d) => ({ ...d, numbers: { ...d.numbers, [key]: value } }));
  const errorProps = (key: string) => ({
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": `${key}-hint${errors[key] ? ` ${key}-error` : ""}`,
  });

  return (
    <form
      noValidate
      aria-label="Agent settings"
      className="space-y-6"
      onSubmit={(e) => {
        e.preventDefault();
        const checked = validate(draft, reason, agent.tools, bounds);
        if ("errors" in checked) {
          setErrors(checked.errors);
          return setFeedback({
            tone: "error",
            text: "Some values need fixing; see the messages next to them. Nothing was saved.",
          });
        }
        setErrors({});
        setFeedback(null);
        setGateFailure(null);
        save.mutate({
          agent: agent.name,
          settings: checked.settings,
          reason: checked.reason,
          basedOnVersion,
        });
      }}
    >
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold uppercase text-slate-500">Limits</legend>
        {NUMERIC_FIELDS.map((field) => (
          <div key={field.key}>
            <Label htmlFor={field.key} className="block">
              {field.label}
            </Label>
            <Input
              id={field.key}
              inputMode="decimal"
              value={draft.numbers[field.key]}
              onChange={(e) => setNumber(field.key, e.target.value)}
              disabled={busy}
              className={INPUT}
              {...errorProps(field.key)}
            />
            <p id={`${field.key}-hint`} className="mt-0.5 text-xs text-slate-500">
              {field.hint}
            </p>
            {errors[field.key] && (
              <p id={`${field.key}-error`} className="mt-0.5 text-xs text-red-700">
                {errors[field.key]}
              </p>
            )}
          </div>
        ))}
        <div>
          <Label htmlFor="onLoop" className="block">
            On loop
          </Label>
          <Select
            id="onLoop"
            value={draft.onLoop}
            onChange={(e) => setDraft((d) => ({ ...d, onLoop: e.target.value as Draft["onLoop"] }))}
            disabled={busy}
            className={INPUT}
            aria-describedby="onLoop-hint"
          >
            {Object.entries(ON_LOOP_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          <p id="onLoop-hint" className="mt-0.5 text-xs text-slate-500">
            What happens when the run repeats itself or stops making progress.
          </p>
        </div>
        <div>
          <Label htmlFor="tier" className="block">
            Model tier
          </Label>
          <Select
            id="tier"
            value={draft.tier}
            onChange={(e) => setDraft((d) => ({ ...d, tier: e.target.value as Draft["tier"] }))}
            disabled={busy}
            className={INPUT}
            aria-describedby="tier-hint"
          >
            {Object.entries(TIER_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          <p id="tier-hint" className="mt-0.5 text-xs text-slate-500">
            The model the executor runs on.
          </p>
        </div>
        <div className="sm:col-span-2">
          <label className="flex items-center gap-2 text-sm font-medium">
            <Checkbox
              checked={draft.anomalyHold}
              onChange={(e) => setDraft((d) => ({ ...d, anomalyHold: e.target.checked }))}
              disabled={busy}
              aria-describedby="anomalyHold-hint"
            />
            Hold anomalous runs
          </label>
          <p id="anomalyHold-hint" className="mt-0.5 text-xs text-slate-500">
            When a run goes far outside this agent&apos;s baseline (e.g. 4× its usual tokens), every
            later call of that run waits for a reviewer.
          </p>
        </div>
      </fieldset>

      <AgentSloFields
        draft={draft.slo}
        errors={errors}
        disabled={busy}
        onChange={(slo) => setDraft((d) => ({ ...d, slo }))}
      />

      <fieldset>
        <legend className="mb-2 text-sm font-semibold uppercase text-slate-500">
          Tool policies
        </legend>
        <AgentToolPolicies
          tools={agent.tools}
          policies={draft.policies}
          errors={errors}
          disabled={busy}
          onChange={(tool, policy) =>
            setDraft((d) => ({ ...d, policies: { ...d.policies, [tool]: policy } }))
          }
        />
      </fieldset>

      <div>
        <Label htmlFor="reason" className="block">
          Reason for the change
        </Label>
        <Textarea
          id="reason"
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          disabled={busy}
          className={INPUT}
          {...errorProps("reason")}
        />
        <p id="reason-hint" className="mt-0.5 text-xs text-slate-500">
          Kept with the new version, with your name and the time.
        </p>
        {errors.reason && (
          <p id="reason-error" className="mt-0.5 text-xs text-red-700">
            {errors.reason}
          </p>
        )}
      </div>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy} variant="primary">
          {save.isPending ? "Saving and running the eval suites…" : "Save as a new version"}
        </Button>
        <Button
          type="button"
          disabled={busy}
          onClick={() => setDraft(draftOf(defaults, agent.tools))}
          variant="secondary"
          size="sm"
          className="px-3 py-2 text-sm font-normal"
        >
          Fill in the defaults
        </Button>
        <span className="text-xs text-slate-500">
          Editing version {basedOnVersion}. Runs already under way keep the version they started
          with.
        </span>
      </div>
      {gateFailure && (
        <GateFailure
          info={gateFailure}
          onActivated={(version) => {
            setGateFailure(null);
            setBasedOnVersion(version);
            setFeedback({
              tone: "ok",
              text: `Version ${version} is active, the gate overridden. New runs of this agent use it.`,
            });
          }}
        />
      )}
      {feedback && (
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`rounded px-2 py-1 text-sm ${feedback.tone === "error" ? "bg-red-50 text-red-700" : "bg-emerald-50 text-emerald-800"}`}
        >
          {feedback.text}
        </p>
      )}
    </form>
  );
}
