"use client";

import type { ToolPolicy } from "@/lib/agent-settings/settings";
import { POLICY_LABELS } from "@/lib/agent-settings/setting-fields";
import { Checkbox } from "@/components/ui/checkbox";

export type ToolInfo = { name: string; description: string; irreversible: boolean };

const POLICIES = Object.keys(POLICY_LABELS) as ToolPolicy[];

/** One radio group per tool; irreversible tools show "Auto" disabled, with the reason. */
export function AgentToolPolicies({
  tools,
  policies,
  errors,
  disabled,
  onChange,
}: {
  tools: ToolInfo[];
  policies: Record<string, ToolPolicy | undefined>;
  errors: Record<string, string | undefined>;
  disabled: boolean;
  onChange: (tool: string, policy: ToolPolicy) => void;
}) {
  return (
    <div className="space-y-3">
      {tools.map((tool) => {
        const error = errors[`tool:${tool.name}`];
        const noteId = `tool-note-${tool.name}`;
        return (
          <fieldset
            key={tool.name}
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
                      name={`policy-${tool.name}`}
                      value={policy}
                      checked={policies[tool.name] === policy}
                      disabled={disabled || blocked}
                      onChange={() => onChange(tool.name, policy)}
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
