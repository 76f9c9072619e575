"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { setShopFault } from "@/agents/demo-shop/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { Bounds } from "@/lib/agent-settings/setting-fields";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Label } from "@/components/ui/label";

type Fault = { operation: string; mode: string; remaining: number | null };

const MODE_LABELS: Record<string, string> = {
  rate_limited: "Rate limited (429, retry after 1 s)",
  not_found: "Not found",
  upstream_error: "Upstream error (500)",
  stall: "Stall (hangs past any tool deadline)",
};
const NONE = "none";

const describe = (fault: Fault | undefined) =>
  !fault
    ? "Works normally"
    : `${MODE_LABELS[fault.mode] ?? fault.mode}${fault.remaining === null ? ", until switched off" : `, for ${fault.remaining} more ${fault.remaining === 1 ? "call" : "calls"}`}`;

/** One switch per shop operation, for demos: how it fails, and for how many calls. */
export function ShopFaultSwitches({
  operations,
  modes,
  faults,
  timesBounds,
}: {
  operations: string[];
  modes: string[];
  faults: Fault[];
  timesBounds: Bounds;
}) {
  return (
    <div className="mt-6 grid gap-3 sm:grid-cols-2">
      {operations.map((operation) => (
        <FaultSwitch
          key={operation}
          operation={operation}
          modes={modes}
          fault={faults.find((f) => f.operation === operation)}
          timesBounds={timesBounds}
        />
      ))}
    </div>
  );
}

function FaultSwitch({
  operation,
  modes,
  fault,
  timesBounds,
}: {
  operation: string;
  modes: string[];
  fault: Fault | undefined;
  timesBounds: Bounds;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [mode, setMode] = useState(fault?.mode ?? NONE);
  const [times, setTimes] = useState(fault?.remaining ? String(fault.remaining) : "");
  const [timesError, setTimesError] = useState<string | null>(null);
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const apply = useMutation({
    mutationFn: setShopFault,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setFeedback({ tone: "ok", text: result.data.mode ? "Switched on." : "Switched off." });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing changed. Try again.",
      }),
  });
  const id = (suffix: string) => `fault-${operation}-${suffix}`;

  return (
    <form
      noValidate
      className="rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={(e) => {
        e.preventDefault();
        let remaining: number | null = null;
        if (mode !== NONE && times.trim() !== "") {
          const n = Number(times.trim());
          if (!Number.isInteger(n) || n < timesBounds.min || n > timesBounds.max) {
            return setTimesError(
              `Use a whole number from ${timesBounds.min} to ${timesBounds.max}, or leave it empty`,
            );
          }
          remaining = n;
        }
        setTimesError(null);
        setFeedback(null);
        apply.mutate({ operation, mode: mode === NONE ? null : mode, remaining });
      }}
    >
      <fieldset disabled={apply.isPending || !hydrated}>
        <legend className="font-mono text-sm font-semibold">{operation}</legend>
        <p className="text-xs text-slate-600">Now: {describe(fault)}</p>
        <div className="mt-2 grid grid-cols-[1fr_8rem] gap-3">
          <div>
            <Label htmlFor={id("mode")} className="block">
              Failure
            </Label>
            <Select
              id={id("mode")}
              value={mode}
              onChange={(e) => setMode(e.target.value)}
              className="mt-1 text-sm"
            >
              <option value={NONE}>None (works normally)</option>
              {modes.map((m) => (
                <option key={m} value={m}>
                  {MODE_LABELS[m] ?? m}
                </option>
              ))}
            </Select>
          </div>
          <div>
            <Label htmlFor={id("times")} className="block">
              Fails N times
            </Label>
            <Input
              id={id("times")}
              inputMode="numeric"
              value={times}
              onChange={(e) => setTimes(e.target.value)}
              disabled={mode === NONE}
              placeholder="always"
              aria-invalid={timesError ? true : undefined}
              aria-describedby={timesError ? id("times-error") : undefined}
              className="mt-1 text-sm aria-[invalid=true]:border-red-600"
            />
          </div>
        </div>
        {timesError && (
          <p id={id("times-error")} className="mt-1 text-xs text-red-700">
            {timesError}
          </p>
        )}
        <Button type="submit" variant="primary" size="sm" className="mt-3">
          Apply
        </Button>
        {feedback && (
          <p
            role={feedback.tone === "error" ? "alert" : "status"}
            className={`mt-2 text-sm ${feedback.tone === "error" ? "text-red-700" : "text-emerald-800"}`}
          >
            {feedback.text}
          </p>
        )}
      </fieldset>
    </form>
  );
}
