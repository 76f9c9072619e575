"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import type { ToolPolicy } from "@/lib/agent-settings/settings-schema";
import type { SettingsDraft, ToolInfo } from "@/lib/agent-settings/settings-form";
import { POLICY_LABELS } from "@/lib/agent-settings/setting-fields";
import { Checkbox } from "@/components/ui/checkbox";

const POLICIES = Object.keys(POLICY_LABELS) as ToolPolicy[];

/** One radio group per tool; irreversible tools show "Auto" disabled, with the reason. */
export function AgentToolPolicies({
  tools,
  register,
  initial,
  errors,
  disabled,
}: {
  tools: ToolInfo[];
  register: UseFormRegister<SettingsDraft>;
  /** The policies as loaded, ticked in the server-rendered page too. */
  initial: SettingsDraft["policies"];
  errors: FieldErrors<SettingsDraft>["policies"];
  disabled: boolean;
}) {
  return (
    <div className="space-y-3">
      {tools.map((tool) => {
        const error = errors?.[tool.name]?.message;
        const noteId = `tool-note-${tool.name}`;
        return (
          // Disabled as a whole: register() reads the pre-ticked radio from the page and skips a
          // disabled one, so only the blocked "Auto" carries its own attribute.
          <fieldset
            key={tool.name}
            disabled={disabled}
            className="rounded-md border border-slate-200 p-3"
            aria-describedby={noteId}
            aria-invalid={error ? true : undefined}
          >
            <legend className="px-1 font-mono text-sm font-medium">{tool.name}</legend>
            <p id={noteId} className="text-xs text-slate-600">
              {tool.description}
              {tool.irreversible && (
                <strong className="block text-slate-800">
                  Irreversible: it always waits for a human, so “Auto” is not available.
                </strong>
              )}
            </p>
            <div className="mt-2 flex flex-wrap gap-4 text-sm">
              {POLICIES.map((policy) => {
                const blocked = tool.irreversible && policy === "auto";
                return (
                  <label
                    key={policy}
                    className={`flex items-center gap-1.5 ${blocked ? "text-slate-400" : ""}`}
                  >
                    <Checkbox
                      radio
                      {...register(`policies.${tool.name}`)}
                      value={policy}
                      defaultChecked={initial[tool.name] === policy}
                      disabled={blocked}
                    />
                    {POLICY_LABELS[policy]}
                  </label>
                );
              })}
            </div>
            {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
          </fieldset>
        );
      })}
    </div>
  );
}
