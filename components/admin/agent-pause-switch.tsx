"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { setAgentPause } from "@/lib/agent-pause/actions";
import type { PauseState } from "@/lib/agent-pause/state";
import { useHydrated } from "@/components/ui/use-hydrated";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** The agent's kill switch: pause (new runs answer honestly, runs in flight stop) or resume, with a reason. */
export function AgentPauseSwitch({ state }: { state: PauseState }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [reason, setReason] = useState("");
  const [feedback, setFeedback] = useState<{ tone: "ok" | "error"; text: string } | null>(null);
  const flip = useMutation({
    mutationFn: setAgentPause,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setFeedback({ tone: "ok", text: result.data.paused ? "Paused." : "Resumed." });
      setReason("");
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing changed. Try again.",
      }),
  });
  const action = state.paused ? "Resume agent" : "Pause agent";

  return (
    <form
      noValidate
      aria-label="Kill switch"
      className={`rounded-lg border p-5 ${state.paused ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`}
      onSubmit={(e) => {
        e.preventDefault();
        setFeedback(null);
        flip.mutate({ agent: state.agent, paused: !state.paused, reason });
      }}
    >
      <h2 className="text-lg font-semibold">Kill switch</h2>
      <p role="status" aria-label="Agent status" className="mt-1 text-sm">
        {state.paused
          ? `Paused by ${state.changedBy ?? "an admin"} at ${state.changedAt?.replace("T", " ").slice(0, 19)} UTC: ${state.reason}. New requests are answered "this assistant is paused" and handed to the team; runs in flight stop at their next step; parked items can still be decided.`
          : "Running. Pausing stops new and running requests of this agent at their next step; parked items stay decidable."}
      </p>
      <label htmlFor="pause-reason" className="mt-3 block text-sm font-medium">
        Reason
      </label>
      <Input
        id="pause-reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        className="rounded mt-1 text-sm"
        placeholder={state.paused ? "Why it may run again" : "Why it must stop"}
      />
      <Button
        type="submit"
        disabled={!hydrated || flip.isPending}
        variant="primary"
        size="sm"
        className="mt-3 px-3 py-1.5 text-sm disabled:opacity-50 rounded"
      >
        {action}
      </Button>
      {feedback && (
        <p
          role={feedback.tone === "error" ? "alert" : "status"}
          className={`mt-2 text-sm ${feedback.tone === "error" ? "text-red-700" : "text-emerald-700"}`}
        >
          {feedback.text}
        </p>
      )}
    </form>
  );
}
