"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import type { SettingsDraft } from "@/lib/agent-settings/settings-form";
import { Input } from "@/components/ui/input";
import { Checkbox } from "@/components/ui/checkbox";
import { Label } from "@/components/ui/label";

// The SLO part of the agent settings form: what /ops measures attainment and the error budget
// against. Entered as text like the other settings, checked by the form's schema
// (lib/agent-settings/settings-form.ts, with sloSchema's bounds).

type Slo = SettingsDraft["slo"];
const INPUT = "mt-1 text-sm";

export function AgentSloFields({
  register,
  initial,
  errors,
  disabled,
}: {
  register: UseFormRegister<SettingsDraft>;
  /** The values as loaded, for the server-rendered page (register() fills in only in the browser). */
  initial: Slo;
  errors: FieldErrors<SettingsDraft>["slo"];
  disabled: boolean;
}) {
  const text = (
    id: string,
    key: "completionSeconds" | "maxCostDollars" | "targetPercent",
    label: string,
    hint: string,
  ) => {
    const error = errors?.[key]?.message;
    return (
      <div>
        <Label htmlFor={id} className="block">
          {label}
        </Label>
        <Input
          id={id}
          inputMode="decimal"
          {...register(`slo.${key}`)}
          defaultValue={initial[key]}
          disabled={disabled}
          className={INPUT}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {hint}
        </p>
        {error && <p className="mt-0.5 text-xs text-red-700">{error}</p>}
      </div>
    );
  };
  return (
    // Disabled as a whole: the tick box itself never is (register() would read it as unticked).
    <fieldset disabled={disabled} className="grid gap-4 sm:grid-cols-2">
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
          {...register("slo.withoutIntervention")}
          defaultChecked={initial.withoutIntervention}
        />
        A good run needs no human (no parked call, no follow-up)
      </label>
    </fieldset>
  );
}
