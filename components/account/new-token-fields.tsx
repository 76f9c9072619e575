"use client";

import type { TokenScope } from "@/lib/generated/prisma/enums";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Checkbox } from "@/components/ui/checkbox";

export type NewToken = {
  name: string;
  expiresInDays: number;
  scopes: TokenScope[];
  password: string;
};

/** The fields of a new token: name, lifetime, scopes and the password asked for again. */
export function NewTokenFields({
  value,
  onChange,
  disabled,
  lifetimes,
  scopes,
}: {
  value: NewToken;
  onChange: (next: NewToken) => void;
  disabled: boolean;
  lifetimes: readonly number[];
  scopes: Record<TokenScope, string>;
}) {
  const toggle = (scope: TokenScope, on: boolean) =>
    onChange({
      ...value,
      scopes: on ? [...value.scopes, scope] : value.scopes.filter((s) => s !== scope),
    });
  return (
    <fieldset disabled={disabled} className="space-y-3">
      <div className="flex gap-3">
        <label className="flex-1 text-sm font-medium">
          Token name
          <Input
            value={value.name}
            onChange={(e) => onChange({ ...value, name: e.target.value })}
            required
            maxLength={80}
            placeholder="e.g. ops dashboard"
            className="mt-1 block"
          />
        </label>
        <label className="text-sm font-medium">
          Expires after
          <Select
            value={value.expiresInDays}
            onChange={(e) => onChange({ ...value, expiresInDays: Number(e.target.value) })}
            className="mt-1 block w-auto"
          >
            {lifetimes.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </Select>
        </label>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {(Object.keys(scopes) as TokenScope[]).map((scope) => (
            <label key={scope} className="flex items-center gap-1.5" title={scopes[scope]}>
              <Checkbox
                checked={value.scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              <span className="font-mono">{scope}</span>
              <span className="text-slate-500">— {scopes[scope]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <label className="block text-sm font-medium">
        Your password (asked again to create a token)
        <Input
          type="password"
          autoComplete="current-password"
          value={value.password}
          onChange={(e) => onChange({ ...value, password: e.target.value })}
          required
          className="mt-1 block"
        />
      </label>
    </fieldset>
  );
}
