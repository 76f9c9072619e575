"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { DelegationView } from "@/lib/teams/delegations";
import { delegateQueuesAction, revokeDelegationAction } from "@/lib/teams/actions";
import { delegationInput } from "@/lib/teams/inputs";
import { formatDateTime } from "@/lib/format";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Props = {
  delegations: DelegationView[];
  reviewers: Array<{ email: string; name: string }>;
  selfEmail: string;
};

/** A datetime-local value (the browser's time zone) as an instant, or the text as typed so the schema names it. */
const instant = (local: string) => {
  const date = new Date(local);
  return local && !Number.isNaN(date.getTime()) ? date.toISOString() : local;
};
const shown = (iso: string) => formatDateTime(iso);

export function QueueDelegation({ delegations, reviewers, selfEmail }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [draft, setDraft] = useState({ toEmail: "", startsAt: "", endsAt: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const onError = () =>
    setFeedback({
      tone: "error",
      text: "Could not reach the server; nothing was changed. Try again.",
    });
  const create = useMutation({
    mutationFn: delegateQueuesAction,
    onSuccess: (result) => {
      if (!result.ok)
        return setFeedback({
          tone: "error",
          text: `Nothing was handed over. ${result.error.message}`,
        });
      setFeedback({ tone: "success", text: `Your queues go to ${draft.toEmail} for that period.` });
      setDraft({ toEmail: "", startsAt: "", endsAt: "" });
      router.refresh();
    },
    onError,
  });
  const revoke = useMutation({
    mutationFn: revokeDelegationAction,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setFeedback({ tone: "success", text: "Revoked: your queues are yours alone again." });
      router.refresh();
    },
    onError,
  });
  const busy = !hydrated || create.isPending || revoke.isPending;
  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <div className="space-y-4">
      <form
        noValidate
        aria-label="Hand my queues to another reviewer"
        className="grid gap-3 sm:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          const input = {
            toEmail: draft.toEmail,
            startsAt: instant(draft.startsAt),
            endsAt: instant(draft.endsAt),
          };
          const parsed = delegationInput.safeParse(input);
          if (!parsed.success) {
            setErrors(
              Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
            );
            return setFeedback({
              tone: "error",
              text: "Some values need fixing; nothing was handed over.",
            });
          }
          setErrors({});
          setFeedback(null);
          create.mutate(input);
        }}
      >
        <Field label="To" error={errors.toEmail}>
          <Select value={draft.toEmail} onChange={set("toEmail")} disabled={busy} className="mt-1">
            <option value="">choose a reviewer…</option>
            {reviewers
              .filter((r) => r.email !== selfEmail)
              .map((r) => (
                <option key={r.email} value={r.email}>
                  {r.name} ({r.email})
                </option>
              ))}
          </Select>
        </Field>
        <Field label="From" error={errors.startsAt}>
          <Input
            type="datetime-local"
            value={draft.startsAt}
            onChange={set("startsAt")}
            disabled={busy}
            className="mt-1"
          />
        </Field>
        <Field label="Until" error={errors.endsAt}>
          <Input
            type="datetime-local"
            value={draft.endsAt}
            onChange={set("endsAt")}
            disabled={busy}
            className="mt-1"
          />
        </Field>
        <div className="flex items-end">
          <Button type="submit" disabled={busy}>
            Hand over
          </Button>
        </div>
      </form>
      {feedback && <Alert tone={feedback.tone}>{feedback.text}</Alert>}
      {delegations.length > 0 && (
        <TableScroll>
          <Table>
            <THead>
              <tr>
                <Th>From</Th>
                <Th>To</Th>
                <Th>Period</Th>
                <Th>State</Th>
                <Th />
              </tr>
            </THead>
            <tbody>
              {delegations.map((d) => (
                <tr key={d.id} className="border-t border-slate-100">
                  <Td>{d.from === selfEmail ? "you" : d.from}</Td>
                  <Td>{d.to === selfEmail ? "you" : d.to}</Td>
                  <Td>
                    {shown(d.startsAt)} – {shown(d.endsAt)}
                  </Td>
                  <Td>{d.state}</Td>
                  <Td className="text-right">
                    {d.from === selfEmail && (d.state === "active" || d.state === "upcoming") && (
                      <Button
                        size="sm"
                        variant="secondary"
                        disabled={busy}
                        onClick={() => revoke.mutate({ id: d.id })}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </TableScroll>
      )}
    </div>
  );
}
