"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { reply } from "@/lib/follow-ups/actions";
import { replyText } from "@/lib/follow-ups/inputs";
import { useHydrated } from "@/components/ui/use-hydrated";
import { queryKeys } from "@/lib/query-keys";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

/**
 * The team's reply, posted into the customer's own chat thread. `askedAt` tells one customer's
 * forms apart: a page of follow-ups must not repeat a form's name.
 */
export function ReplyForm({
  followUpId,
  customer,
  askedAt,
}: {
  followUpId: string;
  customer: string;
  askedAt: string;
}) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const hydrated = useHydrated();
  const id = useId();
  const [serverError, setServerError] = useState<string | null>(null);
  // Checked with the server's own schema before sending. Uncontrolled and without a default
  // value, so text typed while the page is still hydrating is kept.
  const form = useForm({ resolver: zodResolver(replyText) });
  const error = form.formState.errors.text?.message ?? serverError;
  const send = useMutation({
    mutationFn: (text: string) => reply({ followUpId, text }),
    onSuccess: (result) => {
      if (!result.ok) return setServerError(result.error.message);
      setServerError(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.followUpCount });
      router.refresh();
    },
    onError: () =>
      setServerError("Could not reach the server. Your reply is still here; try again."),
  });
  return (
    <form
      aria-label={`Reply to ${customer}, asked ${askedAt}`}
      className="mt-3"
      noValidate
      onSubmit={form.handleSubmit(({ text }) => {
        setServerError(null);
        if (!send.isPending) send.mutate(text);
      })}
    >
      <label htmlFor={id} className="text-sm font-medium">
        Reply in {customer}’s chat
      </label>
      <Textarea
        id={id}
        rows={3}
        maxLength={2000}
        {...form.register("text")}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="mt-1 px-3 py-2 text-sm"
      />
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <Button
        type="submit"
        disabled={send.isPending || !hydrated}
        variant="primary"
        size="sm"
        className="mt-2"
      >
        Send reply
      </Button>
    </form>
  );
}
