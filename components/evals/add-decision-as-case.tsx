"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { EvalCase } from "@/lib/agent-kit";
import { addDecisionAsCase } from "@/lib/evals/actions";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type DecisionDraft = {
  approvalId: string;
  agent: string;
  decision: string;
  producedByVersion: number | null;
  case: EvalCase;
};

type Added = {
  caseKey: string;
  suiteVersion: number;
  evalRunId: string;
  check: { version: number; passed: boolean; failures: string[] };
};

/** The demo shop's order in words; any other agent's state as it is written. */
function describeState(state: Record<string, unknown>): string {
  const order = state.order as
    { totalCents?: number; status?: string; refundedCents?: number } | undefined;
  if (
    order?.totalCents !== undefined &&
    Object.keys(state).every((k) => k === "order" || k === "faults")
  ) {
    return `an order of €${(order.totalCents / 100).toFixed(2)}, ${order.status}, €${((order.refundedCents ?? 0) / 100).toFixed(2)} refunded before`;
  }
  return JSON.stringify(state);
}

/** A decided call, offered as an eval case pre-filled from what happened: one action adds it. */
export function AddDecisionAsCase({ draft }: { draft: DecisionDraft }) {
  const [suite, setSuite] = useState("decisions");
  const [added, setAdded] = useState<Added | null>(null);
  const [error, setError] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: addDecisionAsCase,
    onSuccess: (result) => (result.ok ? setAdded(result.data) : setError(result.error.message)),
    onError: () => setError("Could not reach the server; nothing was added. Try again."),
  });
  const expected = draft.case.expect;
  return (
    <section
      aria-label="Eval case from this decision"
      className="rounded-lg border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 className="font-semibold">Eval case from this decision</h2>
      <p className="mt-1">{draft.case.title}</p>
      <p className="mt-1 text-slate-600">Request: “{draft.case.message}”</p>
      {Object.keys(draft.case.state).length > 0 && (
        <p className="text-slate-600">State: {describeState(draft.case.state)}</p>
      )}
      {draft.case.reads.length > 0 && (
        <p className="text-slate-600">
          Reads served again:{" "}
          {draft.case.reads.map((r) => `${r.tool}(${JSON.stringify(r.arguments)})`).join(", ")}
        </p>
      )}
      <p className="text-slate-600">
        Expected:{" "}
        {expected.notProposed
          ?.map((p) => `should not propose ${p.tool}(${JSON.stringify(p.arguments ?? {})})`)
          .join("; ")}
        {expected.parked
          ?.map((p) => `parks ${p.tool}(${JSON.stringify(p.arguments ?? {})})`)
          .join("; ")}
      </p>
      {added ? (
        <div
          role="status"
          className="mt-2 space-y-1 rounded bg-emerald-50 px-2 py-1 text-emerald-900"
        >
          <p>
            Added <span className="font-mono">{added.caseKey}</span> (suite version{" "}
            {added.suiteVersion}).
          </p>
          <p>
            On v{added.check.version}, the version that produced this call, the case{" "}
            {added.check.passed ? "passes" : "fails"}
            {added.check.failures.length > 0 && `: ${added.check.failures.join("; ")}`}.
          </p>
          <Link href={`/evals/runs/${added.evalRunId}`} className="underline">
            Open the eval run
          </Link>
        </div>
      ) : (
        <div className="mt-2 flex flex-wrap items-end gap-2">
          <label className="text-slate-700">
            Suite
            <Input
              value={suite}
              onChange={(e) => setSuite(e.target.value)}
              className="rounded ml-1 w-32"
            />
          </label>
          <Button
            type="button"
            disabled={add.isPending}
            onClick={() => {
              setError(null);
              add.mutate({ approvalId: draft.approvalId, suite });
            }}
            variant="primary"
            size="sm"
            className="px-3 py-1.5"
          >
            {add.isPending ? "Adding and running it…" : "Add to eval suite"}
          </Button>
        </div>
      )}
      {error && (
        <p role="alert" className="mt-2 text-red-700">
          {error}
        </p>
      )}
    </section>
  );
}
