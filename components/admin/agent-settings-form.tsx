"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { saveAgentSettings } from "@/lib/evals/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { AgentSettings } from "@/lib/agent-settings/settings-schema";
import {
  NUMERIC_FIELDS,
  ON_LOOP_LABELS,
  TIER_LABELS,
  type Bounds,
  type NumericSettingKey,
} from "@/lib/agent-settings/setting-fields";
import {
  draftOf,
  settingsFormSchema,
  type CheckedSettings,
  type SettingsDraft,
  type ToolInfo,
} from "@/lib/agent-settings/settings-form";
import { AgentSloFields } from "./agent-slo-fields";
import { AgentToolPolicies } from "./agent-tool-policies";
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

const INPUT = "mt-1 text-sm";

export function AgentSettingsForm({ agent, current, defaults, bounds }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  // The server's schemas check the draft here first (lib/agent-settings/settings-form.ts), so a
  // mistake shows beside its field before a round trip; the action still parses what arrives.
  // Each control also gets its loaded value for the server-rendered page (register() fills in
  // only in the browser).
  const initial = draftOf(current.settings, agent.tools);
  const schema = useMemo(() => settingsFormSchema(bounds, agent.tools), [bounds, agent.tools]);
  const form = useForm<SettingsDraft, unknown, CheckedSettings>({
    resolver: zodResolver(schema),
    defaultValues: { ...initial, reason: "" },
  });
  const errors = form.formState.errors;
  const [basedOnVersion, setBasedOnVersion] = useState(current.version);
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const [gateFailure, setGateFailure] = useState<GateFailureInfo | null>(null);

  const save = useMutation({
    mutationFn: saveAgentSettings,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      form.setValue("reason", "");
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

  const errorProps = (id: string, message: string | undefined) => ({
    "aria-invalid": message ? true : undefined,
    "aria-describedby": `${id}-hint${message ? ` ${id}-error` : ""}`,
  });

  return (
    <form
      noValidate
      aria-label="Agent settings"
      className="space-y-6"
      onSubmit={form.handleSubmit(
        (checked) => {
          setFeedback(null);
          setGateFailure(null);
          save.mutate({
            agent: agent.name,
            settings: checked.settings,
            reason: checked.reason,
            basedOnVersion,
          });
        },
        () =>
          setFeedback({
            tone: "error",
            text: "Some values need fixing; see the messages next to them. Nothing was saved.",
          }),
      )}
    >
      {/* Tick boxes and radios are disabled through their fieldset, never their own attribute:
          register() reads a pre-ticked box from the page, and skips one that is itself disabled. */}
      <fieldset disabled={busy} className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold uppercase text-slate-500">Limits</legend>
        {NUMERIC_FIELDS.map((field) => {
          const error = errors.numbers?.[field.key]?.message;
          return (
            <div key={field.key}>
              <Label htmlFor={field.key} className="block">
                {field.label}
              </Label>
              <Input
                id={field.key}
                inputMode="decimal"
                {...form.register(`numbers.${field.key}`)}
                defaultValue={initial.numbers[field.key]}
                disabled={busy}
                className={INPUT}
                {...errorProps(field.key, error)}
              />
              <p id={`${field.key}-hint`} className="mt-0.5 text-xs text-slate-500">
                {field.hint}
              </p>
              {error && (
                <p id={`${field.key}-error`} className="mt-0.5 text-xs text-red-700">
                  {error}
                </p>
              )}
            </div>
          );
        })}
        <div>
          <Label htmlFor="onLoop" className="block">
            On loop
          </Label>
          <Select
            id="onLoop"
            {...form.register("onLoop")}
            defaultValue={initial.onLoop}
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
            {...form.register("tier")}
            defaultValue={initial.tier}
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
              {...form.register("anomalyHold")}
              defaultChecked={initial.anomalyHold}
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
        register={form.register}
        initial={initial.slo}
        errors={errors.slo}
        disabled={busy}
      />

      <fieldset>
        <legend className="mb-2 text-sm font-semibold uppercase text-slate-500">
          Tool policies
        </legend>
        <AgentToolPolicies
          tools={agent.tools}
          register={form.register}
          initial={initial.policies}
          errors={errors.policies}
          disabled={busy}
        />
      </fieldset>

      <div>
        <Label htmlFor="reason" className="block">
          Reason for the change
        </Label>
        <Textarea
          id="reason"
          rows={2}
          {...form.register("reason")}
          disabled={busy}
          className={INPUT}
          {...errorProps("reason", errors.reason?.message)}
        />
        <p id="reason-hint" className="mt-0.5 text-xs text-slate-500">
          Kept with the new version, with your name and the time.
        </p>
        {errors.reason && (
          <p id="reason-error" className="mt-0.5 text-xs text-red-700">
            {errors.reason.message}
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
          onClick={() =>
            // keepFieldsRef: the controls are set in place, so pre-ticked boxes show the defaults too.
            form.reset(
              { ...draftOf(defaults, agent.tools), reason: form.getValues("reason") },
              { keepFieldsRef: true },
            )
          }
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
