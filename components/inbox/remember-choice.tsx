"use client";

import { Checkbox } from "@/components/ui/checkbox";

// "Approve calls like this automatically": the reviewer's choice beside Approve (lib/policy/grant-store.ts).
// For an hour and five calls, the same kind of call for the same customer, up to the approved amounts.
// Not offered where a grant could not be made: an item that needs several people.
export const REMEMBER_DEFAULT = { minutes: 60, uses: 5 } as const;

export function RememberChoice({
  checked,
  onChange,
  disabled,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled: boolean;
}) {
  return (
    <label className="mt-3 flex items-start gap-2 text-sm">
      <Checkbox
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
        className="mt-0.5"
      />
      <span>
        Approve calls like this automatically
        <span className="block text-xs text-slate-500">
          For the next {REMEMBER_DEFAULT.minutes} minutes and up to {REMEMBER_DEFAULT.uses} calls:
          the same action for the same customer, up to what you approve. You can revoke it at any
          time.
        </span>
      </span>
    </label>
  );
}
