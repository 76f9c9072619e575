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
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useHydrated } from "@/components/ui/use-hydrated";
import { createTeamAction, updateTeamAction } from "@/lib/teams/actions";
import { teamSettingsInput, type TeamSettingsInput } from "@/lib/teams/inputs";

type Settings = {
  name: string;
  title: string;
  slaMinutes: number;
  escalationEmail: string | null;
  escalateToTeam: string | null;
};
type Props = {
  /** The team as saved; none for a new one. */
  team?: Settings;
  reviewers: Array<{ email: string; name: string }>;
  otherTeams: string[];
};

/** A new team, or an existing one's title, SLA and escalation; checked with the server's schema first. */
export function TeamSettingsForm({ team, reviewers, otherTeams }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const initial = {
    name: team?.name ?? "",
    title: team?.title ?? "",
    slaMinutes: team?.slaMinutes ?? 60,
    escalationEmail: team?.escalationEmail ?? "",
    escalateToTeam: team?.escalateToTeam ?? "",
  };
  // Each control also gets its defaultValue so the server-rendered page shows the values before
  // hydration (register() alone fills them in only in the browser).
  // The server action's own schema checks the draft here first, so its messages show inline
  // before anything is sent; the action still parses what arrives (never trusts the browser).
  const form = useForm<z.input<typeof teamSettingsInput>, unknown, TeamSettingsInput>({
    resolver: zodResolver(teamSettingsInput),
    defaultValues: initial,
  });
  const errors = form.formState.errors;
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const save = useMutation({
    mutationFn: team ? updateTeamAction : createTeamAction,
    onSuccess: (result) => {
      if (!result.ok)
        return setFeedback({ tone: "error", text: `Nothing was saved. ${result.error.message}` });
      setFeedback({ tone: "success", text: team ? "Saved." : `Team ${result.data.name} created.` });
      if (!team) form.reset({ ...form.getValues(), name: "", title: "" });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was saved. Try again.",
      }),
  });
  const busy = !hydrated || save.isPending;
  const id = team ? `team-${team.name}` : "new-team";

  return (
    <form
      noValidate
      aria-label={team ? `Settings of ${team.title}` : "New team"}
      className="grid gap-3 sm:grid-cols-5"
      onSubmit={form.handleSubmit(
        (values) => {
          setFeedback(null);
          save.mutate(values);
        },
        () => setFeedback({ tone: "error", text: "Some values need fixing; nothing was saved." }),
      )}
    >
      <Field label="Name (rules route by it)" error={errors.name?.message}>
        <Input
          {...form.register("name")}
          defaultValue={initial.name}
          disabled={busy || Boolean(team)}
          className="mt-1"
        />
      </Field>
      <Field label="Title" error={errors.title?.message}>
        <Input
          {...form.register("title")}
          defaultValue={initial.title}
          disabled={busy}
          className="mt-1"
        />
      </Field>
      <Field label="SLA (minutes to decide)" error={errors.slaMinutes?.message}>
        <Input
          inputMode="numeric"
          {...form.register("slaMinutes", { valueAsNumber: true })}
          defaultValue={initial.slaMinutes}
          disabled={busy}
          className="mt-1"
        />
      </Field>
      <Field label="Escalation contact" error={errors.escalationEmail?.message}>
        <Select
          {...form.register("escalationEmail")}
          defaultValue={initial.escalationEmail}
          disabled={busy}
          className="mt-1"
        >
          <option value="">nobody</option>
          {reviewers.map((r) => (
            <option key={r.email} value={r.email}>
              {r.name} ({r.email})
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Escalation queue" error={errors.escalateToTeam?.message}>
        <Select
          {...form.register("escalateToTeam")}
          defaultValue={initial.escalateToTeam}
          disabled={busy}
          className="mt-1"
        >
          <option value="">stays here</option>
          {otherTeams.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
      </Field>
      <div className="flex items-center gap-3 sm:col-span-5">
        <Button type="submit" disabled={busy} aria-describedby={`${id}-feedback`}>
          {team ? "Save team" : "Create team"}
        </Button>
        <span id={`${id}-feedback`}>
          {feedback && <Alert tone={feedback.tone}>{feedback.text}</Alert>}
        </span>
      </div>
    </form>
  );
}
