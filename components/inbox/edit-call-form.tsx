"use client";

import { useMemo, useState } from "react";
import { ArgumentsDiff } from "./arguments-diff";
import {
  diffArguments,
  fieldsOf,
  fromFormValues,
  toFormValues,
  validateArguments,
  type FieldSpec,
  type FormValues,
} from "./json-schema-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { Checkbox } from "@/components/ui/checkbox";

/**
 * The call's arguments as a form generated from the tool's schema, checked as the reviewer types,
 * with the changes against the proposed call shown before anything is approved.
 */
export function EditCallForm({
  schema,
  proposed,
  busy,
  onApprove,
  onCancel,
}: {
  schema: Record<string, unknown>;
  proposed: Record<string, unknown>;
  busy: boolean;
  onApprove: (args: Record<string, unknown>, note: string) => void;
  onCancel: () => void;
}) {
  const fields = useMemo(() => fieldsOf(schema, proposed), [schema, proposed]);
  const [values, setValues] = useState<FormValues>(() => toFormValues(fields, proposed));
  const [note, setNote] = useState("");
  const [submitted, setSubmitted] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());

  const { args, errors: readErrors } = fromFormValues(fields, values);
  const errors = { ...validateArguments(schema, args), ...readErrors };
  const changes = diffArguments(proposed, args);
  const valid = Object.keys(errors).length === 0;
  const shownError = (name: string) => (submitted || touched.has(name) ? errors[name] : undefined);

  if (fields.length === 0)
    return <p className="mt-4 text-sm text-slate-600">This tool takes no arguments to edit.</p>;

  return (
    <form
      noValidate
      aria-label="Edit the call"
      className="mt-4 space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (valid && changes.length > 0) onApprove(args, note.trim());
      }}
    >
      {/* Disabled while deciding, and until hydrated: typing into a controlled field before then would be reset. */}
      <fieldset disabled={busy} className="contents">
        {fields.map((field) => (
          <Field
            key={field.name}
            field={field}
            value={values[field.name] ?? ""}
            error={shownError(field.name)}
            onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
            onBlur={() => setTouched((current) => new Set(current).add(field.name))}
          />
        ))}
        {submitted && errors[""] && (
          <p role="alert" className="text-sm text-red-700">
            {errors[""]}
          </p>
        )}
        <ArgumentsDiff changes={changes} />
        {submitted && valid && changes.length === 0 && (
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
  value,
  error,
  onChange,
  onBlur,
}: {
  field: FieldSpec;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
  onBlur: () => void;
}) {
  const id = `arg-${field.name}`;
  const describedBy =
    [field.description && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") ||
    undefined;
  const common = {
    id,
    onBlur,
    "aria-required": field.required || undefined,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": describedBy,
    className: "mt-1 text-sm",
  };
  const text = typeof value === "string" ? value : "";
  let input: React.ReactNode;
  switch (field.kind) {
    case "boolean":
      input = (
        <Checkbox
          {...common}
          checked={value === true}
          onChange={(e) => onChange(e.target.checked)}
          className="ml-2"
        />
      );
      break;
    case "enum":
      input = (
        <Select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
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
          value={text}
          onChange={(e) => onChange(e.target.value)}
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
            value={text}
            onChange={(e) => onChange(e.target.value)}
            className={`${common.className} mt-0 max-w-40 text-right tabular-nums`}
          />
          <span className="text-sm text-slate-600">{field.currency}</span>
        </span>
      );
      break;
    case "date":
      input = (
        <Input
          {...common}
          type="date"
          min={field.min}
          max={field.max}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
      );
      break;
    case "string":
      input = field.multiline ? (
        <Textarea {...common} rows={3} value={text} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <Input {...common} type="text" value={text} onChange={(e) => onChange(e.target.value)} />
      );
      break;
    case "json":
      input = (
        <Textarea
          {...common}
          rows={4}
          spellCheck={false}
          value={text}
          onChange={(e) => onChange(e.target.value)}
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
