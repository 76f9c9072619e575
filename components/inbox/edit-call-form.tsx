"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { useForm, useWatch, type UseFormRegisterReturn } from "react-hook-form";
import { ArgumentsDiff } from "./arguments-diff";
import {
  diffArguments,
  editFormSchema,
  fieldsOf,
  fromFormValues,
  toFormValues,
  type FieldSpec,
  type FormValues,
} from "./json-schema-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Checkbox } from "@/components/ui/checkbox";

type Args = Record<string, unknown>;

/**
 * The call's arguments as a form generated from the tool's schema, checked by that schema as the
 * reviewer types (react-hook-form with zodResolver), with the changes against the proposed call
 * shown before anything is approved. The server checks the edit again with the tool's own schema.
 */
export function EditCallForm({
  schema,
  proposed,
  busy,
  onApprove,
  onCancel,
}: {
  schema: Record<string, unknown>;
  proposed: Args;
  busy: boolean;
  onApprove: (args: Args, note: string) => void;
  onCancel: () => void;
}) {
  const fields = useMemo(() => fieldsOf(schema, proposed), [schema, proposed]);
  const defaultValues = useMemo(() => toFormValues(fields, proposed), [fields, proposed]);
  const resolver = useMemo(() => zodResolver(editFormSchema(fields, schema)), [fields, schema]);
  const form = useForm<FormValues, unknown, Args>({ defaultValues, resolver, mode: "onTouched" });
  const { errors } = form.formState;
  const [note, setNote] = useState("");
  const [unchanged, setUnchanged] = useState(false);
  // The changes as typed, shown live; what is sent is what the schema's check returns.
  const values = useWatch({ control: form.control });
  const changes = diffArguments(
    proposed,
    fromFormValues(fields, { ...defaultValues, ...values } as FormValues).args,
  );

  if (fields.length === 0)
    return <p className="mt-4 text-sm text-slate-600">This tool takes no arguments to edit.</p>;

  return (
    <form
      noValidate
      aria-label="Edit the call"
      className="mt-4 space-y-3"
      onSubmit={form.handleSubmit((args) => {
        const nothing = diffArguments(proposed, args).length === 0;
        setUnchanged(nothing);
        if (!nothing) onApprove(args, note.trim());
      })}
    >
      {/* Disabled through the fieldset, not per control: react-hook-form reads a disabled control as unset. */}
      <fieldset disabled={busy} className="contents">
        {fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            registration={form.register(field.name)}
            initial={defaultValues[field.name]}
            error={errors[field.name]?.message}
          />
        ))}
        {errors.root?.message && (
          <p role="alert" className="text-sm text-red-700">
            {errors.root.message}
          </p>
        )}
        <ArgumentsDiff changes={changes} />
        {unchanged && changes.length === 0 && (
          <p role="alert" className="text-sm text-amber-800">
            Nothing changed: use Approve to approve the call as proposed.
          </p>
        )}
        <label className="block text-sm font-medium">
          Note for the customer (optional)
          <Input
            value={note}
            onChange={(e) => setNote(e.target.value)}
            maxLength={1000}
            aria-describedby="edit-note-reader"
            className="mt-1"
          />
        </label>
        <p id="edit-note-reader" className="text-xs text-slate-500">
          The customer is told what you changed; this note is shown to them word for word beside it.
        </p>
        <div className="flex gap-2">
          <Button type="submit" variant="approve">
            Approve edited call
          </Button>
          <Button type="button" onClick={onCancel} variant="secondary">
            Cancel edit
          </Button>
        </div>
      </fieldset>
    </form>
  );
}

function Field({
  field,
  registration,
  initial,
  error,
}: {
  field: FieldSpec;
  registration: UseFormRegisterReturn;
  /** Rendered with the page, so the proposed values show before the form hydrates. */
  initial: string | boolean | undefined;
  error?: string;
}) {
  const id = `arg-${field.name}`;
  const describedBy =
    [field.description && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") ||
    undefined;
  const common = {
    ...registration,
    id,
    "aria-required": field.required || undefined,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    className: "mt-1 text-sm",
    ...(typeof initial === "string" ? { defaultValue: initial } : { defaultChecked: initial }),
  };
  let input: React.ReactNode;
  switch (field.kind) {
    case "boolean":
      input = <Checkbox {...common} className="ml-2" />;
      break;
    case "enum":
      input = (
        <Select {...common}>
          {!field.required && <option value="">(none)</option>}
          {field.options.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </Select>
      );
      break;
    case "number":
      input = (
        <Input
          {...common}
          type="number"
          inputMode={field.integer ? "numeric" : "decimal"}
          step={field.integer ? 1 : "any"}
          min={field.min}
          max={field.max}
        />
      );
      break;
    case "money":
      input = (
        <span className="mt-1 flex items-center gap-2">
          <Input
            {...common}
            type="text"
            inputMode="decimal"
            className={`${common.className} mt-0 max-w-40 text-right tabular-nums`}
          />
          <span className="text-sm text-slate-600">{field.currency}</span>
        </span>
      );
      break;
    case "date":
      input = <Input {...common} type="date" min={field.min} max={field.max} />;
      break;
    case "string":
      input = field.multiline ? (
        <Textarea {...common} rows={3} />
      ) : (
        <Input {...common} type="text" />
      );
      break;
    case "json":
      input = (
        <Textarea
          {...common}
          rows={4}
          spellCheck={false}
          className={`${common.className} font-mono text-xs`}
        />
      );
  }
  return (
    <div>
      <label htmlFor={id} className="block font-mono text-sm font-medium">
        {field.name}
        {field.kind === "money" && (
          <span className="font-sans font-normal text-slate-600"> ({field.currency})</span>
        )}
        {field.required && (
          <span aria-hidden="true" className="text-red-700">
            {" *"}
          </span>
        )}
      </label>
      {input}
      {(field.description || rangeOf(field)) && (
        <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
          {[field.description, rangeOf(field)].filter(Boolean).join(" · ")}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="mt-0.5 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

/** The allowed range in words, when the schema gives one: "from 0.01 to 10,000.00 EUR", "up to 2026-12-20". */
function rangeOf(field: FieldSpec): string | null {
  if (field.kind === "money") {
    const money = (cents: number) =>
      (cents / 100).toLocaleString("en-GB", { minimumFractionDigits: 2 });
    if (field.min !== undefined && field.max !== undefined)
      return `from ${money(field.min)} to ${money(field.max)} ${field.currency}`;
    if (field.max !== undefined) return `up to ${money(field.max)} ${field.currency}`;
    return null;
  }
  if (field.kind === "date") {
    if (field.min && field.max) return `a day from ${field.min} to ${field.max}`;
    if (field.max) return `a day up to ${field.max}`;
    if (field.min) return `a day from ${field.min}`;
  }
  return null;
}
