"use client";

import type { FieldErrors, UseFormRegister } from "react-hook-form";
import type { z } from "zod";
import type { TokenScope } from "@/lib/generated/prisma/enums";
import type { createTokenInput } from "@/lib/auth/inputs";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Checkbox } from "@/components/ui/checkbox";

/** What the new-token form holds: the server schema's input. */
export type NewToken = z.input<typeof createTokenInput>;

/** The fields of a new token: name, lifetime, scopes and the password asked for again. */
export function NewTokenFields({
  register,
  initial,
  errors,
  disabled,
  lifetimes,
  scopes,
}: {
  register: UseFormRegister<NewToken>;
  /** Shown by the server-rendered page too (register() fills in only in the browser). */
  initial: NewToken;
  errors: FieldErrors<NewToken>;
  disabled: boolean;
  lifetimes: readonly number[];
  scopes: Record<TokenScope, string>;
}) {
  return (
    <fieldset disabled={disabled} className="space-y-3">
      <div className="flex gap-3">
        <Field label="Token name" error={errors.name?.message} className="flex-1">
          <Input
            {...register("name")}
            defaultValue={initial.name}
            maxLength={80}
            placeholder="e.g. ops dashboard"
            className="mt-1 block"
          />
        </Field>
        <Field label="Expires after" error={errors.expiresInDays?.message}>
          <Select
            {...register("expiresInDays", { valueAsNumber: true })}
            defaultValue={initial.expiresInDays}
            className="mt-1 block w-auto"
          >
            {lifetimes.map((days) => (
              <option key={days} value={days}>
                {days} days
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Scopes</legend>
        <div className="mt-1 flex flex-wrap gap-4 text-sm">
          {(Object.keys(scopes) as TokenScope[]).map((scope) => (
            <label key={scope} className="flex items-center gap-1.5" title={scopes[scope]}>
              <Checkbox
                {...register("scopes")}
                value={scope}
                defaultChecked={initial.scopes.includes(scope)}
              />
              <span className="font-mono">{scope}</span>
              <span className="text-slate-500">— {scopes[scope]}</span>
            </label>
          ))}
        </div>
        {errors.scopes && (
          <span role="alert" className="mt-0.5 block text-xs text-red-700">
            {errors.scopes.message}
          </span>
        )}
      </fieldset>
      <Field label="Your password (asked again to create a token)" error={errors.password?.message}>
        <Input
          type="password"
          autoComplete="current-password"
          {...register("password")}
          className="mt-1 block"
        />
      </Field>
    </fieldset>
  );
}
