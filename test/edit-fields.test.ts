// The edit form's typed fields, generated from a tool's JSON Schema: money in its currency stored
// as cents, dates with their range, enums as choices, and the same schema's validation.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  fieldsOf,
  fromFormValues,
  editFormSchema,
  toFormValues,
  validateArguments,
} from "@/components/inbox/json-schema-form";

const refund = z.toJSONSchema(
  z.object({
    order_id: z.number().int().positive(),
    amount_cents: z.number().int().positive().max(1_000_000),
    speed: z.enum(["standard", "express"]),
  }),
);

describe("typed edit fields", () => {
  it("shows an amount in cents as money in its currency, and reads it back as cents", () => {
    const fields = fieldsOf(refund, { amount_cents: 8990 });
    expect(fields.find((f) => f.name === "amount_cents")).toMatchObject({
      kind: "money",
      currency: "EUR",
      max: 1_000_000,
    });
    expect(fields.find((f) => f.name === "speed")).toMatchObject({
      kind: "enum",
      options: ["standard", "express"],
    });
    const values = toFormValues(fields, { order_id: 1042, amount_cents: 8990, speed: "standard" });
    expect(values.amount_cents).toBe("89.90");
    expect(fromFormValues(fields, { ...values, amount_cents: "12,5" }).args.amount_cents).toBe(
      1250,
    );
    expect(fromFormValues(fields, { ...values, amount_cents: "1.999" }).errors.amount_cents).toBe(
      "Enter an amount in EUR, like 89.90",
    );
  });

  it("takes the currency from the call when it names one", () => {
    expect(
      fieldsOf(refund, { currency: "GBP" }).find((f) => f.name === "amount_cents"),
    ).toMatchObject({ kind: "money", currency: "GBP" });
  });

  it("gives a day a date field with the range the schema states", () => {
    const schema = {
      type: "object",
      properties: {
        date: {
          type: "string",
          format: "date",
          formatMinimum: "2026-12-07",
          formatMaximum: "2026-12-20",
        },
      },
    };
    expect(fieldsOf(schema)).toEqual([
      { name: "date", required: false, kind: "date", min: "2026-12-07", max: "2026-12-20" },
    ]);
  });

  it("validates with the tool's own schema: a zero refund is refused", () => {
    expect(
      validateArguments(refund, { order_id: 1042, amount_cents: 0, speed: "standard" })
        .amount_cents,
    ).toMatch(/Too small/);
    expect(
      validateArguments(refund, { order_id: 1042, amount_cents: 1500, speed: "standard" }),
    ).toEqual({});
  });

  it("is one schema for the form: values read as arguments, then the tool's check, one message per field", () => {
    const fields = fieldsOf(refund, { amount_cents: 8990 });
    const form = editFormSchema(fields, refund);
    expect(form.parse({ order_id: "1042", amount_cents: "15,00", speed: "express" })).toEqual({
      order_id: 1042,
      amount_cents: 1500,
      speed: "express",
    });
    const refused = form.safeParse({ order_id: "", amount_cents: "0", speed: "standard" });
    expect(refused.success).toBe(false);
    const byField = Object.fromEntries(
      (refused.error?.issues ?? []).map((issue) => [issue.path.join("."), issue.message]),
    );
    expect(byField).toEqual({
      order_id: "Required",
      amount_cents: expect.stringMatching(/Too small/),
    });
  });

  it("puts a nested argument's error on its top-level field, and a whole-call error on root", () => {
    const nested = z.toJSONSchema(
      z.object({ items: z.array(z.object({ sku: z.string().min(3) })) }).strict(),
    );
    const fields = fieldsOf(nested);
    const result = editFormSchema(fields, nested).safeParse({ items: '[{"sku":"A"}]' });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([["items"]]);
    expect(validateArguments(z.toJSONSchema(z.object({}).strict()), { extra: 1 })).toHaveProperty(
      "root",
    );
  });
});
