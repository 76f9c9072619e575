"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { THead, Table, Td, Th } from "@/components/ui/table";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useNow } from "@/components/inbox/use-now";
import { revokeGrantAction } from "@/lib/policy/actions";
import type { GrantListItem } from "@/lib/policy/grant-store";

const shown = (iso: string) =>
  new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

/** What a grant still lets through, in words. */
function standing(grant: GrantListItem, now: number) {
  if (grant.revokedAt)
    return `revoked ${shown(grant.revokedAt)}${grant.revokedBy ? ` by ${grant.revokedBy}` : ""}`;
  if (new Date(grant.expiresAt).getTime() <= now) return "expired";
  if (grant.usesLeft <= 0) return "used up";
  return `active: ${grant.usesLeft} ${grant.usesLeft === 1 ? "use" : "uses"} left, until ${shown(grant.expiresAt)}`;
}

/** The standing permissions ("approve calls like this automatically") a reviewer gave, each revocable at once. */
export function StandingGrants({
  grants,
  showGrantor,
}: {
  grants: GrantListItem[];
  showGrantor: boolean;
}) {
  const hydrated = useHydrated();
  const router = useRouter();
  const now = useNow();
  const [feedback, setFeedback] = useState<{ tone: "success" | "error"; text: string } | null>(
    null,
  );
  const revoke = useMutation({
    mutationFn: revokeGrantAction,
    onSuccess: (result) => {
      if (!result.ok) return setFeedback({ tone: "error", text: result.error.message });
      setFeedback({ tone: "success", text: "Revoked: the next call like it waits for a person." });
      router.refresh();
    },
    onError: () =>
      setFeedback({
        tone: "error",
        text: "Could not reach the server; nothing was changed. Try again.",
      }),
  });
  if (grants.length === 0)
    return (
      <p className="text-sm text-slate-600">
        None. Approving with “approve calls like this automatically” makes one.
      </p>
    );
  return (
    <div className="space-y-3">
      {feedback && <Alert tone={feedback.tone}>{feedback.text}</Alert>}
      <div className="overflow-x-auto">
        <Table>
          <THead>
            <tr>
              <Th>Calls</Th>
              <Th>Customer</Th>
              <Th>Within</Th>
              {showGrantor && <Th>Given by</Th>}
              <Th>Standing</Th>
              <Th>
                <span className="sr-only">Revoke</span>
              </Th>
            </tr>
          </THead>
          <tbody>
            {grants.map((grant) => {
              const active =
                !grant.revokedAt && grant.usesLeft > 0 && new Date(grant.expiresAt).getTime() > now;
              return (
                <tr key={grant.id} className="border-t border-slate-100">
                  <Td className="font-mono">
                    {grant.agent} · {grant.tool}
                  </Td>
                  <Td>{grant.customer}</Td>
                  <Td className="font-mono text-xs">{JSON.stringify(grant.bounds)}</Td>
                  {showGrantor && <Td>{grant.grantedBy}</Td>}
                  <Td suppressHydrationWarning>{standing(grant, now)}</Td>
                  <Td>
                    {active && (
                      <Button
                        variant="secondary"
                        size="sm"
                        disabled={!hydrated || revoke.isPending}
                        onClick={() => revoke.mutate({ grantId: grant.id })}
                      >
                        Revoke
                      </Button>
                    )}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      </div>
    </div>
  );
}
