"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { savePolicyAction, simulatePolicyAction } from "@/lib/policy/actions";
import { parsePolicyDocument } from "@/lib/policy/document";
import { policyReason, simulationDays } from "@/lib/policy/form-fields";
import type { SimulationReport } from "@/lib/policy/simulate";
import { SimulationResult } from "./policy-simulation";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

type Props = { version: number; documentJson: string };

/** The draft's rules, or the problems to show (each naming its field), checked with the server's own schemas. */
type Draft = { rules: unknown[]; grantsOff?: string[] };

/** The draft's document (rules, and the tools with automatic approvals off), or the problems to show (each naming its field), checked with the server's own schemas. */
function checkDraft(text: string): Draft | { problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return {
      problems: [
        `document: not valid JSON (${error instanceof Error ? error.message : "cannot be read"})`,
      ],
    };
  }
  const parsed = parsePolicyDocument(raw);
  if (!parsed.ok) return { problems: parsed.problems };
  return {
    rules: (raw as Draft).rules,
    ...(parsed.document.grantsOff && { grantsOff: parsed.document.grantsOff }),
  };
}

const firstMessage = (result: { success: false; error: { issues: { message: string }[] } }) =>
  result.error.issues[0]?.message ?? "not valid";

export function PolicyEditor({ version, documentJson }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [text, setText] = useState(documentJson);
  const [reason, setReason] = useState("");
  const [days, setDays] = useState("30");
  const [basedOn, setBasedOn] = useState(version);
  const [problems, setProblems] = useState<string[]>([]);
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const [report, setReport] = useState<SimulationReport | null>(null);

  const unreachable = () =>
    setFeedback({
      tone: "error",
      text: "Could not reach the server; nothing was changed. Try again.",
    });
  const save = useMutation({
    mutationFn: savePolicyAction,
    onSuccess: (result) => {
      if (!result.ok) {
        if (result.error.code === "conflict") {
          return setFeedback({
            tone: "error",
            text: `Someone else saved the policy first, so yours was not saved. ${result.error.message} Your draft is still here: copy it, reload the page, and apply your change to theirs.`,
          });
        }
        return setFeedback({ tone: "error", text: `Nothing was saved. ${result.error.message}` });
      }
      setBasedOn(result.data.version);
      setReason("");
      setFeedback({
        tone: "success",
        text: `Saved as version ${result.data.version}. New calls are judged by it from now on.`,
      });
      router.refresh();
    },
    onError: unreachable,
  });
  const simulate = useMutation({
    mutationFn: simulatePolicyAction,
    onSuccess: (result) => {
      if (!result.ok)
        return setFeedback({
          tone: "error",
          text: `The simulation did not run. ${result.error.message}`,
        });
      setFeedback(null);
      setReport(result.data);
    },
    onError: unreachable,
  });
  const busy = !hydrated || save.isPending || simulate.isPending;

  const draftOrProblems = (): Draft | null => {
    const checked = checkDraft(text);
    if ("problems" in checked) {
      setProblems(checked.problems);
      setFeedback({
        tone: "error",
        text: "The document needs fixing; see the problems under it. Nothing was changed.",
      });
      return null;
    }
    setProblems([]);
    return checked;
  };

  const onSave = () => {
    const draft = draftOrProblems();
    if (!draft) return;
    const why = policyReason.safeParse(reason);
    if (!why.success)
      return setFeedback({ tone: "error", text: `Nothing was saved. ${firstMessage(why)}` });
    save.mutate({ replaces: basedOn, reason: why.data, ...draft });
  };
  const onSimulate = () => {
    const draft = draftOrProblems();
    if (!draft) return;
    const span = simulationDays.safeParse(Number(days));
    if (!span.success || days.trim() === "")
      return setFeedback({
        tone: "error",
        text: `The simulation did not run. ${span.success ? "days: say how many" : firstMessage(span)}`,
      });
    simulate.mutate({ rules: draft.rules, days: span.data });
  };

  return (
    <div className="space-y-4">
      <label className="block text-sm font-medium">
        Rule set (JSON)
        <Textarea
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={22}
          spellCheck={false}
          disabled={busy}
          aria-invalid={problems.length > 0 || undefined}
          aria-describedby="policy-problems"
          className="mt-1 font-mono text-xs"
        />
      </label>
      {problems.length > 0 && (
        <ul id="policy-problems" role="alert" className="list-disc pl-5 text-sm text-red-700">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="grid gap-4 sm:grid-cols-[1fr_auto]">
        <label className="block text-sm font-medium">
          Why (kept with the version)
          <Input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            disabled={busy}
            className="mt-1"
            maxLength={500}
          />
        </label>
        <div className="flex items-end gap-2">
          <Button onClick={onSave} disabled={busy}>
            {save.isPending ? "Saving…" : `Save as version ${basedOn + 1}`}
          </Button>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className="block text-sm font-medium">
          Simulate over the last
          <span className="flex items-center gap-2">
            <Input
              inputMode="numeric"
              value={days}
              onChange={(e) => setDays(e.target.value)}
              disabled={busy}
              className="mt-1 w-20"
            />
            days
          </span>
        </label>
        <Button variant="secondary" onClick={onSimulate} disabled={busy}>
          {simulate.isPending ? "Simulating…" : "Simulate this draft"}
        </Button>
      </div>
      {feedback && <Alert tone={feedback.tone}>{feedback.text}</Alert>}
      {report && <SimulationResult report={report} />}
    </div>
  );
}
