"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { TokenScope } from "@/lib/generated/prisma/enums";
import type { ApiTokenView } from "@/lib/auth/tokens";
import { createToken, revokeToken } from "@/lib/auth/actions";
import { createTokenInput } from "@/lib/auth/inputs";
import { NewTokenFields, type NewToken } from "./new-token-fields";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";
import { Input } from "@/components/ui/input";

const when = (iso: string | null) => (iso ? formatDateTime(iso) : "never");

const EMPTY: NewToken = { name: "", expiresInDays: 90, scopes: ["read"], password: "" };

export function TokenManager({
  tokens,
  lifetimes,
  scopes,
}: {
  tokens: ApiTokenView[];
  lifetimes: readonly number[];
  scopes: Record<TokenScope, string>;
}) {
  const hydrated = useHydrated();
  const router = useRouter();
  // Checked with the server action's own schema first, so a missing name or scope shows beside
  // its field; the action still parses what arrives (and checks the password).
  const form = useForm<NewToken, unknown, z.output<typeof createTokenInput>>({
    resolver: zodResolver(createTokenInput),
    defaultValues: EMPTY,
  });
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (input: z.output<typeof createTokenInput>) => createToken(input),
    onSuccess: (result) => {
      // The password never stays in the form, whether or not it was right.
      form.setValue("password", "");
      if (!result.ok) return setError(result.error.message);
      setError(null);
      setCreated({ name: result.data.name, token: result.data.token });
      // keepFieldsRef: set in place, so the pre-ticked scope boxes show the empty form too.
      form.reset(EMPTY, { keepFieldsRef: true });
      router.refresh();
    },
    onError: () => setError("Could not reach the server; no token was created."),
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) => revokeToken({ tokenId }),
    onSuccess: (result) => {
      if (!result.ok) return setError(result.error.message);
      setError(null);
      router.refresh();
    },
    onError: () => setError("Could not reach the server; the token was not revoked."),
  });

  return (
    <div className="mt-6 space-y-6">
      <form
        noValidate
        aria-label="New token"
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        onSubmit={form.handleSubmit((input) => create.mutate(input))}
      >
        <NewTokenFields
          register={form.register}
          initial={EMPTY}
          errors={form.formState.errors}
          disabled={!hydrated}
          lifetimes={lifetimes}
          scopes={scopes}
        />
        <Button type="submit" disabled={create.isPending || !hydrated} variant="primary" size="sm">
          Create token
        </Button>
      </form>
      {error && <Alert tone="error">{error}</Alert>}
      {created && (
        <section
          aria-label="New token value"
          className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm"
        >
          <p className="font-medium">
            Token “{created.name}” created. Copy it now: it is not shown again.
          </p>
          <Input
            readOnly
            aria-label="New token value"
            value={created.token}
            onFocus={(e) => e.target.select()}
            className="rounded mt-2 border-emerald-300 font-mono text-xs"
          />
          <Button
            type="button"
            onClick={() => setCreated(null)}
            variant="link"
            size="inline"
            className="mt-2 text-xs"
          >
            I have copied it
          </Button>
        </section>
      )}
      <TableScroll>
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Scopes</Th>
              <Th>Created</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              <Th>State</Th>
            </tr>
          </THead>
          <tbody>
            {tokens.length === 0 && (
              <tr>
                <td colSpan={6} className="px-3 py-4 text-center text-slate-500">
                  No tokens yet.
                </td>
              </tr>
            )}
            {tokens.map((t) => (
              <tr key={t.id} className="border-t border-slate-100">
                <Td className="font-medium">{t.name}</Td>
                <Td className="font-mono text-xs">{t.scopes.join(", ")}</Td>
                <Td className="text-slate-600">{when(t.createdAt)}</Td>
                <Td className="text-slate-600">{when(t.expiresAt)}</Td>
                <Td className="text-slate-600">{when(t.lastUsedAt)}</Td>
                <Td>
                  {t.state === "revoked" ? (
                    <span className="text-slate-500">Revoked {when(t.revokedAt)}</span>
                  ) : (
                    <span className="flex items-center gap-2">
                      {t.state === "expired" && <span className="text-slate-500">Expired</span>}
                      <Button
                        type="button"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(t.id)}
                        variant="danger-outline"
                        size="sm"
                        className="px-2 py-0.5 font-normal rounded"
                      >
                        Revoke {t.name}
                      </Button>
                    </span>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
    </div>
  );
}
