"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { addMemberAction, removeMemberAction } from "@/lib/teams/actions";
import { Select } from "@/components/ui/select";

type Member = { userId: string; email: string; name: string };
type Props = { team: string; members: Member[]; reviewers: Array<{ email: string; name: string }> };

/** A team's reviewers: listed, added from the active reviewers, removed. */
export function TeamMembers({ team, members, reviewers }: Props) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  const onResult = (result: { ok: boolean; error?: { message: string } }) => {
    if (!result.ok) return setError(result.error?.message ?? "Nothing was changed.");
    setError(null);
    setEmail("");
    router.refresh();
  };
  const onError = () => setError("Could not reach the server; nothing was changed. Try again.");
  const add = useMutation({ mutationFn: addMemberAction, onSuccess: onResult, onError });
  const remove = useMutation({ mutationFn: removeMemberAction, onSuccess: onResult, onError });
  const busy = !hydrated || add.isPending || remove.isPending;
  const candidates = reviewers.filter((r) => !members.some((m) => m.email === r.email));

  return (
    <div className="space-y-2 text-sm">
      {members.length === 0 ? (
        <p className="text-slate-600">No reviewers yet: only admins see this queue.</p>
      ) : (
        <ul className="space-y-1">
          {members.map((m) => (
            <li key={m.userId} className="flex items-center gap-3">
              <span>
                {m.name} ({m.email})
              </span>
              <Button
                size="sm"
                variant="secondary"
                disabled={busy}
                onClick={() => remove.mutate({ team, userId: m.userId })}
              >
                Remove {m.email}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="flex items-end gap-2"
        aria-label={`Add a reviewer to ${team}`}
        onSubmit={(e) => {
          e.preventDefault();
          if (!email) return setError("member: choose a reviewer to add");
          add.mutate({ team, email });
        }}
      >
        <Select
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          disabled={busy}
          className="mt-1 max-w-xs"
          aria-label="Reviewer to add"
        >
          <option value="">choose a reviewer…</option>
          {candidates.map((r) => (
            <option key={r.email} value={r.email}>
              {r.name} ({r.email})
            </option>
          ))}
        </Select>
        <Button type="submit" size="sm" disabled={busy}>
          Add
        </Button>
      </form>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}
