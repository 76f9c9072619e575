"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { DelegationView } from "@/lib/teams/delegations";
import { delegateQueuesAction, revokeDelegationAction } from "@/lib/teams/actions";
import { delegationForm, type DelegationInput } from "@/lib/teams/inputs";
import { formatDateTime } from "@/lib/format";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

type Props = {
  delegations: DelegationView[];
  reviewers: Array<{ email: string; name: string }>;
  selfEmail: string;
};

const shown = (iso: string) => formatDateTime(iso);

export function QueueDelegation({ delegations, reviewers, selfEmail }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const form = useForm<z.input<typeof delegationForm>, unknown, DelegationInput>({
    resolver: zodResolver(delegationForm),
    defaultValues: { toEmail: "", startsAt: "", endsAt: "" },
  });
  const errors = form.formState.errors;
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
      setFeedback({
        tone: "success",
        text: `Your queues go to ${form.getValues("toEmail")} for that period.`,
      });
      form.reset();
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

  return (
    <div className="space-y-4">
      <form
        noValidate
        aria-label="Hand my queues to another reviewer"
        className="grid gap-3 sm:grid-cols-4"
        onSubmit={form.handleSubmit(
          (input) => {
            setFeedback(null);
            // The action parses the instants again (never trusting the browser), as ISO text.
            create.mutate({
              toEmail: input.toEmail,
              startsAt: input.startsAt.toISOString(),
              endsAt: input.endsAt.toISOString(),
            });
          },
          () =>
            setFeedback({
              tone: "error",
              text: "Some values need fixing; nothing was handed over.",
            }),
        )}
      >
        <Field label="To" error={errors.toEmail?.message}>
          <Select {...form.register("toEmail")} disabled={busy} className="mt-1">
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
        <Field label="From" error={errors.startsAt?.message}>
          <Input
            type="datetime-local"
            {...form.register("startsAt")}
            disabled={busy}
            className="mt-1"
          />
        </Field>
        <Field label="Until" error={errors.endsAt?.message}>
          <Input
            type="datetime-local"
            {...form.register("endsAt")}
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
