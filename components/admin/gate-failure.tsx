"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { activateDespiteGate } from "@/lib/evals/actions";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

export type GateFailureInfo = {
  agent: string;
  version: number;
  basedOnVersion: number;
  evalRunId: string;
  passed: number;
  total: number;
  failed: Array<{ key: string; failures: string[] }>;
};

/** A saved version whose eval suites failed: which cases and why, and an override with a reason. */
export function GateFailure({
  info,
  onActivated,
}: {
  info: GateFailureInfo;
  onActivated: (version: number) => void;
}) {
  const router = useRouter();
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | null>(null);
  const override = useMutation({
    mutationFn: activateDespiteGate,
    onSuccess: (result) => {
      if (!result.ok) return setError(result.error.message);
      onActivated(result.data.version);
      router.refresh();
    },
    onError: () => setError("Could not reach the server; nothing was activated. Try again."),
  });
  return (
    <section
      aria-label="Promotion gate failed"
      className="space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm"
    >
      <p role="alert" className="font-medium text-red-800">
        Saved as version {info.version}, a candidate: the promotion gate failed ({info.passed} of{" "}
        {info.total} eval cases passed). New runs keep version {info.basedOnVersion}.
      </p>
      <ul aria-label="Failed eval cases" className="space-y-1">
        {info.failed.map((c) => (
          <li key={c.key}>
            <span className="font-mono">{c.key}</span>
            <ul className="ml-4 list-disc text-red-700">
              {c.failures.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <a href={`/evals/runs/${info.evalRunId}`} className="text-slate-700 underline">
        Open the eval run
      </a>
      <div>
        <label htmlFor="override-reason" className="block font-medium">
          Reason to activate anyway
        </label>
        <Textarea
          id="override-reason"
          rows={2}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          className="mt-1"
        />
        {error && <p className="text-xs text-red-700">{error}</p>}
      </div>
      <Button
        type="button"
        disabled={override.isPending}
        onClick={() => {
          setError(null);
          override.mutate({
            agent: info.agent,
            version: info.version,
            evalRunId: info.evalRunId,
            reason,
            basedOnVersion: info.basedOnVersion,
          });
        }}
        variant="danger"
        size="sm"
        className="px-4 py-2"
      >
        {override.isPending ? "Activating…" : "Activate anyway"}
      </Button>
    </section>
  );
}
