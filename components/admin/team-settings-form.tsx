"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { createTeamAction, updateTeamAction } from "@/lib/teams/actions";
import { teamSettingsInput } from "@/lib/teams/inputs";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

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
  const [draft, setDraft] = useState({
    name: team?.name ?? "",
    title: team?.title ?? "",
    slaMinutes: String(team?.slaMinutes ?? 60),
    escalationEmail: team?.escalationEmail ?? "",
    escalateToTeam: team?.escalateToTeam ?? "",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const save = useMutation({
    mutationFn: team ? updateTeamAction : createTeamAction,
    onSuccess: (result) => {
      if (!result.ok)
        return setFeedback({ tone: "error", text: `Nothing was saved. ${result.error.message}` });
      setFeedback({ tone: "success", text: team ? "Saved." : `Team ${result.data.name} created.` });
      if (!team) setDraft((d) => ({ ...d, name: "", title: "" }));
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was saved. Try again.",
      }),
  });
  const set = (key: keyof typeof draft) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const busy = !hydrated || save.isPending;
  const id = team ? `team-${team.name}` : "new-team";

  return (
    <form
      noValidate
      aria-label={team ? `Settings of ${team.title}` : "New team"}
      className="grid gap-3 sm:grid-cols-5"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = teamSettingsInput.safeParse({
          ...draft,
          slaMinutes: draft.slaMinutes.trim() === "" ? NaN : Number(draft.slaMinutes),
        });
        if (!parsed.success) {
          setErrors(
            Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])),
          );
          return setFeedback({
            tone: "error",
            text: "Some values need fixing; nothing was saved.",
          });
        }
        setErrors({});
        setFeedback(null);
        save.mutate(parsed.data);
      }}
    >
      <Field label="Name (rules route by it)" error={errors.name}>
        <Input
          value={draft.name}
          onChange={set("name")}
          disabled={busy || Boolean(team)}
          className="mt-1"
        />
      </Field>
      <Field label="Title" error={errors.title}>
        <Input value={draft.title} onChange={set("title")} disabled={busy} className="mt-1" />
      </Field>
      <Field label="SLA (minutes to decide)" error={errors.slaMinutes}>
        <Input
          inputMode="numeric"
          value={draft.slaMinutes}
          onChange={set("slaMinutes")}
          disabled={busy}
          className="mt-1"
        />
      </Field>
      <Field label="Escalation contact" error={errors.escalationEmail}>
        <Select
          value={draft.escalationEmail}
          onChange={set("escalationEmail")}
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
      <Field label="Escalation queue" error={errors.escalateToTeam}>
        <Select
          value={draft.escalateToTeam}
          onChange={set("escalateToTeam")}
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
