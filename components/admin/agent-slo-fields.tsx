"use client";

import type { Slo } from "@/lib/agent-settings/settings";
import { Input } from "@/components/ui/input";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";

// The SLO part of the agent settings form: what /ops measures attainment and the error budget
// against. Entered as text like the other settings, checked by `parseSloDraft`.

export type SloDraft = {
  completionSeconds: string;
  maxCostDollars: string;
  targetPercent: string;
  withoutIntervention: boolean;
};

export const sloDraftOf = (slo: Slo): SloDraft => ({
  completionSeconds: String(slo.completionSeconds),
  maxCostDollars: String(slo.maxCostMicros / 1_000_000),
  targetPercent: String(slo.targetPercent),
  withoutIntervention: slo.withoutIntervention,
});

function numberIn(raw: string, min: number, max: number, integer: boolean): number | string {
  const value = Number(raw.trim());
  if (raw.trim() === "" || !Number.isFinite(value)) return "Enter a number";
  if (integer && !Number.isInteger(value)) return "Use a whole number";
  if (value < min || value > max) return `Must be from ${min} to ${max}`;
  return value;
}

/** The SLO, or the errors keyed by field id. Same bounds as lib/agent-settings/settings.ts's sloSchema. */
export function parseSloDraft(d: SloDraft): { slo: Slo } | { errors: Record<string, string> } {
  const seconds = numberIn(d.completionSeconds, 1, 3_600, true);
  const dollars = numberIn(d.maxCostDollars, 0, 100, false);
  const target = numberIn(d.targetPercent, 50, 99.99, false);
  const errors: Record<string, string> = {};
  if (typeof seconds === "string") errors["slo-completionSeconds"] = seconds;
  if (typeof dollars === "string") errors["slo-maxCost"] = dollars;
  if (typeof target === "string") errors["slo-targetPercent"] = target;
  if (Object.keys(errors).length) return { errors };
  return {
    slo: {
      completionSeconds: seconds as number,
      maxCostMicros: Math.round((dollars as number) * 1_000_000),
      targetPercent: target as number,
      withoutIntervention: d.withoutIntervention,
    },
  };
}

const INPUT = "mt-1 text-sm";

export function AgentSloFields({
  draft,
  errors,
  disabled,
  onChange,
}: {
  draft: SloDraft;
  errors: Record<string, string>;
  disabled: boolean;
  onChange: (d: SloDraft) => void;
}) {
  const text = (
    id: string,
    key: "completionSeconds" | "maxCostDollars" | "targetPercent",
    label: string,
    hint: string,
  ) => (
    <div>
      <Label htmlFor={id} className="block">
        {label}
      </Label>
      <Input
        id={id}
        inputMode="decimal"
        value={draft[key]}
        disabled={disabled}
        onChange={(e) => onChange({ ...draft, [key]: e.target.value })}
        className={INPUT}
        aria-invalid={errors[id] ? true : undefined}
        aria-describedby={`${id}-hint`}
      />
      <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
        {hint}
      </p>
      {errors[id] && <p className="mt-0.5 text-xs text-red-700">{errors[id]}</p>}
    </div>
  );
  return (
    <fieldset className="grid gap-4 sm:grid-cols-2">
      <legend className="mb-2 text-sm font-semibold uppercase text-slate-500">
        Service level objective
      </legend>
      {text(
        "slo-targetPercent",
        "targetPercent",
        "SLO target in percent",
        "Share of runs that must meet the objective; the rest is the error budget /ops shows.",
      )}
      {text(
        "slo-completionSeconds",
        "completionSeconds",
        "SLO completion time in seconds",
        "A good run completes within this time.",
      )}
      {text(
        "slo-maxCost",
        "maxCostDollars",
        "SLO cost per run in dollars",
        "A good run costs at most this.",
      )}
      <label className="flex items-center gap-2 self-center text-sm font-medium">
        <Checkbox
          checked={draft.withoutIntervention}
          disabled={disabled}
          onChange={(e) => onChange({ ...draft, withoutIntervention: e.target.checked })}
        />
        A good run needs no human (no parked call, no follow-up)
      </label>
    </fieldset>
  );
}
