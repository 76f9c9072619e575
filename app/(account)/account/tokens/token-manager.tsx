"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { ApiTokenView } from "@/lib/auth/tokens";
import { createToken, revokeToken } from "./actions";

const when = (iso: string | null) => (iso ? `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC` : "never");

export function TokenManager({ tokens }: { tokens: ApiTokenView[] }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const create = useMutation({
    mutationFn: (tokenName: string) => createToken({ name: tokenName }),
    onSuccess: (result) => {
      if (!result.ok) return setError(result.error.message);
      setError(null);
      setCreated({ name: result.data.name, token: result.data.token });
      setName("");
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
        className="flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate(name);
        }}
      >
        <label className="flex-1 text-sm font-medium">
          Token name
          <input value={name} onChange={(e) => setName(e.target.value)} disabled={!hydrated} required maxLength={80} placeholder="e.g. ops dashboard" className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1" />
        </label>
        <button type="submit" disabled={create.isPending || !hydrated} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60">
          Create token
        </button>
      </form>
      {error && (
        <p role="alert" className="rounded bg-red-50 px-2 py-1 text-sm text-red-700">
          {error}
        </p>
      )}
      {created && (
        <section aria-label="New token" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-sm">
          <p className="font-medium">Token “{created.name}” created. Copy it now: it is not shown again.</p>
          <input readOnly aria-label="New token value" value={created.token} onFocus={(e) => e.target.select()} className="mt-2 w-full rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs" />
          <button type="button" onClick={() => setCreated(null)} className="mt-2 text-xs underline">
            I have copied it
          </button>
        </section>
      )}
      <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase text-slate-600">
          <tr>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Created</th>
            <th className="px-3 py-2">Last used</th>
            <th className="px-3 py-2">State</th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 && (
            <tr>
              <td colSpan={4} className="px-3 py-4 text-center text-slate-500">
                No tokens yet.
              </td>
            </tr>
          )}
          {tokens.map((t) => (
            <tr key={t.id} className="border-t border-slate-100">
              <td className="px-3 py-2 font-medium">{t.name}</td>
              <td className="px-3 py-2 text-slate-600">{when(t.createdAt)}</td>
              <td className="px-3 py-2 text-slate-600">{when(t.lastUsedAt)}</td>
              <td className="px-3 py-2">
                {t.revokedAt ? (
                  <span className="text-slate-500">Revoked {when(t.revokedAt)}</span>
                ) : (
                  <button type="button" disabled={revoke.isPending} onClick={() => revoke.mutate(t.id)} className="rounded border border-red-300 px-2 py-0.5 text-red-700 disabled:opacity-60">
                    Revoke {t.name}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
