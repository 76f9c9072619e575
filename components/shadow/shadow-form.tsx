"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { startShadowMode, stopShadowMode } from "@/lib/shadow/actions";
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
  const [choice, setChoice] = useState(
    candidates[0] ? `${candidates[0].agent}:${candidates[0].version}` : "",
  );
  const [rate, setRate] = useState("100");
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
          onSubmit={(e) => {
            e.preventDefault();
            setFeedback(null);
            const [agent, version] = choice.split(":");
            const percent = Number(rate);
            if (!Number.isFinite(percent) || percent < 0 || percent > 100)
              return setFeedback({
                tone: "error",
                text: "Sampling rate: a percentage from 0 to 100",
              });
            start.mutate({ agent, version: Number(version), sampleRate: percent / 100 });
          }}
        >
          <label className="text-sm">
            <span className="block text-slate-600">Candidate version</span>
            <Select
              value={choice}
              onChange={(e) => setChoice(e.target.value)}
              className="rounded w-auto"
            >
              {candidates.map((c) => (
                <option key={`${c.agent}:${c.version}`} value={`${c.agent}:${c.version}`}>
                  {c.label}
                </option>
              ))}
            </Select>
          </label>
          <label className="text-sm">
            <span className="block text-slate-600">Sampling rate (%)</span>
            <Input
              value={rate}
              onChange={(e) => setRate(e.target.value)}
              inputMode="decimal"
              className="rounded w-24"
            />
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
