"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { setActive } from "@/app/(admin)/admin/actions";
import { useHydrated } from "@/components/ui/use-hydrated";

type Row = { id: string; email: string; name: string; role: string; active: boolean };

export function UserTable({ users, selfId }: { users: Row[]; selfId: string }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const toggle = useMutation({
    mutationFn: (input: { userId: string; active: boolean }) => setActive(input),
    onSuccess: (result) => {
      if (!result.ok) return setError(result.error.message);
      setError(null);
      router.refresh();
    },
    onError: () => setError("Could not reach the server. Reload to see the current state before trying again."),
  });
  return (
    <>
      {error && <p role="alert" className="mt-2 text-sm text-red-700">{error}</p>}
      <table className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
        <thead className="bg-slate-100 text-xs uppercase text-slate-600">
          <tr>
            <th className="px-3 py-2">Email</th>
            <th className="px-3 py-2">Name</th>
            <th className="px-3 py-2">Role</th>
            <th className="px-3 py-2">Status</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-t border-slate-100">
              <td className="px-3 py-2">{u.email}</td>
              <td className="px-3 py-2">{u.name}</td>
              <td className="px-3 py-2">{u.role}</td>
              <td className="px-3 py-2">{u.active ? "active" : "deactivated"}</td>
              <td className="px-3 py-2 text-right">
                {u.id !== selfId && (
                  <button type="button" disabled={toggle.isPending || !hydrated} onClick={() => toggle.mutate({ userId: u.id, active: !u.active })} className="rounded border border-slate-300 px-2 py-1 text-xs">
                    {u.active ? `Deactivate ${u.email}` : `Reactivate ${u.email}`}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
