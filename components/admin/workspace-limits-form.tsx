"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { saveWorkspaceLimits } from "@/lib/agent-settings/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { WorkspaceLimits } from "@/lib/agent-settings/workspace-limits-schema";
import { toInputValue } from "@/lib/agent-settings/setting-fields";
import { LIMIT_FIELDS, type LimitBounds } from "@/lib/agent-settings/limit-fields";
import { limitsFormSchema, type LimitsDraft } from "@/lib/agent-settings/limits-form";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { Label } from "@/components/ui/label";

type Props = {
  current: { version: number; limits: WorkspaceLimits };
  defaults: WorkspaceLimits;
  bounds: LimitBounds;
};

const INPUT = "mt-1 text-sm";
const draftOf = (limits: WorkspaceLimits) =>
  Object.fromEntries(LIMIT_FIELDS.map((f) => [f.key, toInputValue(f, limits[f.key])])) as Omit<
    LimitsDraft,
    "limitsReason"
  >;

export function WorkspaceLimitsForm({ current, defaults, bounds }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  // The server's schemas check the draft here first (lib/agent-settings/limits-form.ts), so a
  // mistake shows beside its field before a round trip; the action still parses what arrives.
  const initial = draftOf(current.limits);
  const schema = useMemo(() => limitsFormSchema(bounds), [bounds]);
  const form = useForm<LimitsDraft, unknown, { limits: WorkspaceLimits; reason: string }>({
    resolver: zodResolver(schema),
    defaultValues: { ...initial, limitsReason: "" },
  });
  const errors = form.formState.errors;
  const [basedOnVersion, setBasedOnVersion] = useState(current.version);
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);

  const save = useMutation({
    mutationFn: saveWorkspaceLimits,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setBasedOnVersion(result.data.version);
      form.setValue("limitsReason", "");
      setFeedback({
        tone: "ok",
        text: `Saved as version ${result.data.version}. New messages are checked against it.`,
      });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was saved. Try again.",
      }),
  });
  const busy = save.isPending || !hydrated;
  const errorProps = (key: keyof LimitsDraft) => ({
    "aria-invalid": errors[key] ? true : undefined,
    "aria-describedby": `${key}-hint${errors[key] ? ` ${key}-error` : ""}`,
  });

  return (
    <form
      noValidate
      aria-label="Limits per user"
      className="space-y-4"
      onSubmit={form.handleSubmit(
        (checked) => {
          setFeedback(null);
          save.mutate({ limits: checked.limits, reason: checked.reason, basedOnVersion });
        },
        () =>
          setFeedback({
            tone: "error",
            text: "Some values need fixing; see the messages next to them. Nothing was saved.",
          }),
      )}
    >
      <div className="grid gap-4 sm:grid-cols-3">
        {LIMIT_FIELDS.map((field) => (
          <div key={field.key}>
            <Label htmlFor={field.key} className="block">
              {field.label}
            </Label>
            <Input
              id={field.key}
              inputMode="decimal"
              {...form.register(field.key)}
              // Shown by the server-rendered page too, before hydration (register() fills in only in the browser).
              defaultValue={initial[field.key]}
              disabled={busy}
              className={INPUT}
              {...errorProps(field.key)}
            />
            <p id={`${field.key}-hint`} className="mt-0.5 text-xs text-slate-500">
              {field.hint}
            </p>
            {errors[field.key] && (
              <p id={`${field.key}-error`} className="mt-0.5 text-xs text-red-700">
                {errors[field.key]?.message}
              </p>
            )}
          </div>
        ))}
      </div>
      <div>
        <Label htmlFor="limitsReason" className="block">
          Reason for changing the limits
        </Label>
        <Textarea
          id="limitsReason"
          rows={2}
          {...form.register("limitsReason")}
          disabled={busy}
          className={INPUT}
          {...errorProps("limitsReason")}
        />
        <p id="limitsReason-hint" className="mt-0.5 text-xs text-slate-500">
          Kept with the new version, with your name and the time.
        </p>
        {errors.limitsReason && (
          <p id="limitsReason-error" className="mt-0.5 text-xs text-red-700">
            {errors.limitsReason.message}
          </p>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy} variant="primary">
          {save.isPending ? "Saving…" : "Save the limits"}
        </Button>
        <Button
          type="button"
          disabled={busy}
          onClick={() =>
            form.reset({ ...draftOf(defaults), limitsReason: form.getValues("limitsReason") })
          }
          variant="secondary"
          size="sm"
          className="px-3 py-2 text-sm font-normal"
        >
          Fill in the defaults
        </Button>
        <span className="text-xs text-slate-500">Editing limits version {basedOnVersion}.</span>
      </div>
      {feedback && (
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`rounded px-2 py-1 text-sm ${feedback.tone === "error" ? "bg-red-50 text-red-700" : "bg-emerald-50 text-emerald-800"}`}
        >
          {feedback.text}
        </p>
      )}
    </form>
  );
}
