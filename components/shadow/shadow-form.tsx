"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useHydrated } from "@/components/ui/use-hydrated";
import { startShadowMode, stopShadowMode } from "@/lib/shadow/actions";
import { shadowForm, type shadowInput } from "@/lib/shadow/inputs";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Candidate = { agent: string; version: number; label: string };
type Current = { agent: string; version: number; sampleRate: number; enabled: boolean };

/** Admins: put a candidate settings version in shadow at a sampling rate, or stop it. */
export function ShadowForm({
  candidates,
  current,
}: {
  candidates: Candidate[];
  current: Current[];
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const initial = {
    choice: candidates[0] ? `${candidates[0].agent}:${candidates[0].version}` : "",
    rate: "100",
  };
  // Checked with the server action's own schema (lib/shadow/inputs.ts) before sending, the rate's
  // message beside it; the action still parses what arrives. Each control also gets its
  // defaultValue so the server-rendered page shows it before hydration.
  const form = useForm<z.input<typeof shadowForm>, unknown, z.output<typeof shadowInput>>({
    resolver: zodResolver(shadowForm),
    defaultValues: initial,
  });
  const errors = form.formState.errors;
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const done =
    (text: string) => (result: { ok: true } | { ok: false; error: { message: string } }) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setFeedback({ tone: "ok", text });
      router.refresh();
    };
  const onError = () =>
    setFeedback({ tone: "error", text: "Could not reach the server; nothing changed. Try again." });
  const start = useMutation({
    mutationFn: startShadowMode,
    onSuccess: done("Shadow mode is on."),
    onError,
  });
  const stop = useMutation({
    mutationFn: stopShadowMode,
    onSuccess: done("Shadow mode is off."),
    onError,
  });

  return (
    <section
      aria-labelledby="shadow-settings"
      className="rounded-lg border border-slate-200 bg-white p-5"
    >
      <h2 id="shadow-settings" className="text-sm font-semibold uppercase text-slate-500">
        Shadow settings
      </h2>
      <ul className="mt-2 space-y-1 text-sm">
        {current
          .filter((c) => c.enabled)
          .map((c) => (
            <li key={c.agent}>
              {c.agent}: settings v{c.version} in shadow on {Math.round(c.sampleRate * 100)}% of
              live runs{" "}
              <Button
                type="button"
                disabled={!hydrated || stop.isPending}
                onClick={() => stop.mutate({ agent: c.agent })}
                variant="link"
                size="inline"
                className="ml-2"
              >
                Stop shadow for {c.agent}
              </Button>
            </li>
          ))}
      </ul>
      {candidates.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">
          No candidate versions: save an agent&apos;s settings as a candidate first.
        </p>
      ) : (
        <form
          noValidate
          className="mt-3 flex flex-wrap items-end gap-3"
          onSubmit={form.handleSubmit(
            (input) => {
              setFeedback(null);
              start.mutate(input);
            },
            () => setFeedback(null),
          )}
        >
          <label className="text-sm">
            <span className="block text-slate-600">Candidate version</span>
            <Select
              {...form.register("choice")}
              defaultValue={initial.choice}
              className="rounded w-auto"
            >
              {candidates.map((c) => (
                <option key={`${c.agent}:${c.version}`} value={`${c.agent}:${c.version}`}>
                  {c.label}
                </option>
              ))}
            </Select>
            {errors.choice && <FieldError message={errors.choice.message} />}
          </label>
          <label className="text-sm">
            <span className="block text-slate-600">Sampling rate (%)</span>
            <Input
              {...form.register("rate")}
              defaultValue={initial.rate}
              inputMode="decimal"
              aria-invalid={errors.rate ? true : undefined}
              className="rounded w-24"
            />
            {errors.rate && <FieldError message={errors.rate.message} />}
          </label>
          <Button
            type="submit"
            disabled={!hydrated || start.isPending}
            variant="primary"
            size="sm"
            className="px-3 py-1.5 text-sm disabled:opacity-50 font-normal rounded"
          >
            Put in shadow
          </Button>
        </form>
      )}
      {feedback && (
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`mt-2 text-sm ${feedback.tone === "error" ? "text-red-700" : "text-green-700"}`}
        >
          {feedback.text}
        </p>
      )}
    </section>
  );
}

/** A field's message under its control, announced as Field (components/ui/field.tsx) does. */
function FieldError({ message }: { message?: string }) {
  return (
    <span role="alert" className="mt-0.5 block text-xs text-red-700">
      {message}
    </span>
  );
}
