// Turns a tool's JSON Schema (as z.toJSONSchema writes it) into form fields, form values back
// into arguments, and validates them with the same schema, so the reviewer learns what is
// wrong before the server (which validates again with the tool's own zod schema) refuses it.
import { z } from "zod";
import "@/lib/validation/zod-csp";

type Common = { name: string; required: boolean; description?: string };
export type FieldSpec = Common &
  (
    | { kind: "number"; integer: boolean; min?: number; max?: number }
    /** An amount in cents shown as money in its currency (89.90 EUR), stored as cents. */
    | { kind: "money"; currency: string; min?: number; max?: number }
    /** A calendar day (YYYY-MM-DD) with a date picker and the allowed range when the schema gives one. */
    | { kind: "date"; min?: string; max?: string }
    | { kind: "string"; minLength?: number; maxLength?: number; multiline: boolean }
    | { kind: "enum"; options: Array<string | number> }
    | { kind: "boolean" }
    | { kind: "json" }
  );

/** What each input holds: text for text-like inputs, a flag for checkboxes. */
export type FormValues = Record<string, string | boolean>;

const propertySchema = z
  .object({
    type: z.union([z.string(), z.array(z.string())]).optional(),
    enum: z.array(z.union([z.string(), z.number()])).optional(),
    description: z.string().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    exclusiveMinimum: z.number().optional(),
    exclusiveMaximum: z.number().optional(),
    minLength: z.number().optional(),
    maxLength: z.number().optional(),
    format: z.string().optional(),
    formatMinimum: z.string().optional(),
    formatMaximum: z.string().optional(),
  })
  .loose();
const objectSchema = z
  .object({
    properties: z.record(z.string(), propertySchema).default({}),
    required: z.array(z.string()).default([]),
  })
  .loose();

// Wider than this, a string gets a text area.
const MULTILINE_FROM = 200;

// Amounts in cents are named so by convention (amount_cents, totalCents): the form shows them as money.
const CENTS_NAME = /(_cents|Cents)$/;
// Without a currency argument beside it, an amount is in the shop's currency.
const DEFAULT_CURRENCY = "EUR";

/** The form's fields; `args` gives a money field its currency when the call names one. */
export function fieldsOf(schema: unknown, args: Record<string, unknown> = {}): FieldSpec[] {
  const parsed = objectSchema.safeParse(schema);
  if (!parsed.success) return [];
  return Object.entries(parsed.data.properties).map(([name, p]): FieldSpec => {
    const common = {
      name,
      required: parsed.data.required.includes(name),
      description: p.description,
    };
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== "null") : p.type;
    if (p.enum) return { ...common, kind: "enum", options: p.enum };
    if (type === "integer" && CENTS_NAME.test(name)) {
      const currency =
        typeof args.currency === "string" && /^[A-Z]{3}$/.test(args.currency)
          ? args.currency
          : DEFAULT_CURRENCY;
      const min =
        p.minimum ?? (p.exclusiveMinimum !== undefined ? p.exclusiveMinimum + 1 : undefined);
      const max =
        p.maximum ?? (p.exclusiveMaximum !== undefined ? p.exclusiveMaximum - 1 : undefined);
      return { ...common, kind: "money", currency, min, max };
    }
    if (type === "string" && p.format === "date")
      return { ...common, kind: "date", min: p.formatMinimum, max: p.formatMaximum };
    if (type === "integer" || type === "number") {
      const integer = type === "integer";
      const step = integer ? 1 : Number.EPSILON;
      const min =
        p.minimum ?? (p.exclusiveMinimum !== undefined ? p.exclusiveMinimum + step : undefined);
      const max =
        p.maximum ?? (p.exclusiveMaximum !== undefined ? p.exclusiveMaximum - step : undefined);
      return { ...common, kind: "number", integer, min, max };
    }
    if (type === "string")
      return {
        ...common,
        kind: "string",
        minLength: p.minLength,
        maxLength: p.maxLength,
        multiline: (p.maxLength ?? Infinity) > MULTILINE_FROM,
      };
    if (type === "boolean") return { ...common, kind: "boolean" };
    return { ...common, kind: "json" };
  });
}

export function toFormValues(fields: FieldSpec[], args: Record<string, unknown>): FormValues {
  return Object.fromEntries(
    fields.map((f) => {
      const value = args[f.name];
      if (f.kind === "boolean") return [f.name, value === true];
      if (value === undefined || value === null) return [f.name, ""];
      if (f.kind === "json") return [f.name, JSON.stringify(value, null, 2)];
      if (f.kind === "money" && typeof value === "number")
        return [f.name, (value / 100).toFixed(2)];
      return [f.name, String(value)];
    }),
  );
}

/** Form values as arguments; an empty optional field is left out, a value that cannot be read is an error. */
export function fromFormValues(
  fields: FieldSpec[],
  values: FormValues,
): { args: Record<string, unknown>; errors: Record<string, string> } {
  const args: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.kind === "boolean") {
      args[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw : "";
    if (text.trim() === "" && f.kind !== "string") {
      if (f.required) errors[f.name] = "Required";
      continue;
    }
    if (f.kind === "money") {
      // "89.90", "89.9", "89" (and "89,90" as many keyboards write it): at most two decimals.
      const amount = /^\d+([.,]\d{1,2})?$/.exec(text.trim())
        ? Number(text.trim().replace(",", "."))
        : NaN;
      if (Number.isFinite(amount)) args[f.name] = Math.round(amount * 100);
      else errors[f.name] = `Enter an amount in ${f.currency}, like 89.90`;
    } else if (f.kind === "number") {
      const n = Number(text);
      if (Number.isFinite(n)) args[f.name] = n;
      else errors[f.name] = "Enter a number";
    } else if (f.kind === "enum") {
      args[f.name] = f.options.find((o) => String(o) === text) ?? text;
    } else if (f.kind === "json") {
      try {
        args[f.name] = JSON.parse(text);
      } catch {
        errors[f.name] = "Enter valid JSON";
      }
    } else if (text !== "" || f.required) {
      args[f.name] = text;
    }
  }
  return { args, errors };
}

/** The tool's own schema as zod, or null for a schema we cannot read (the server's check still applies). */
function toolValidator(schema: unknown): z.ZodType | null {
  try {
    return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
  } catch {
    return null;
  }
}

/** The tool's own check of arguments: the first message per top-level field ("root" for the call as a whole). */
function errorsByField(tool: z.ZodType | null, args: Record<string, unknown>) {
  const result = tool?.safeParse(args);
  const errors: Record<string, string> = {};
  for (const issue of result?.success === false ? result.error.issues : [])
    errors[String(issue.path[0] ?? "root")] ??= issue.message;
  return errors;
}

/**
 * The edit form's schema (for react-hook-form's zodResolver): form values read as arguments, then
 * checked by the tool's own schema, one message per field. Its output is the arguments to send.
 */
export function editFormSchema(fields: FieldSpec[], schema: unknown) {
  const tool = toolValidator(schema);
  return z.custom<FormValues>().transform((values, ctx) => {
    const { args, errors: unread } = fromFormValues(fields, values);
    // A field that could not be read says so; the tool's message is for what was read.
    const errors = { ...errorsByField(tool, args), ...unread };
    for (const [name, message] of Object.entries(errors))
      ctx.addIssue({ code: "custom", path: [name], message });
    return args;
  });
}

/** The tool's check of arguments by field, as the form shows it. */
export const validateArguments = (schema: unknown, args: Record<string, unknown>) =>
  errorsByField(toolValidator(schema), args);

export type ArgumentChange = { field: string; before: unknown; after: unknown };

/** Fields whose values differ between two argument sets, in a stable order. */
export function diffArguments(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): ArgumentChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field] }));
}

export function showValue(value: unknown): string {
  if (value === undefined) return "(none)";
  return typeof value === "string" ? value : JSON.stringify(value);
}
