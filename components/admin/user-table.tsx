"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { setActive } from "@/lib/admin/actions";
import { useHydrated } from "@/components/ui/use-hydrated";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { Button } from "@/components/ui/button";

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
    onError: () =>
      setError("Could not reach the server. Reload to see the current state before trying again."),
  });
  return (
    <>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <TableScroll>
        <Table className="mt-3">
          <THead>
            <tr>
              <Th>Email</Th>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Status</Th>
              <Th />
            </tr>
          </THead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-100">
                <Td>{u.email}</Td>
                <Td>{u.name}</Td>
                <Td>{u.role}</Td>
                <Td>{u.active ? "active" : "deactivated"}</Td>
                <Td className="text-right">
                  {u.id !== selfId && (
                    <Button
                      type="button"
                      disabled={toggle.isPending || !hydrated}
                      onClick={() => toggle.mutate({ userId: u.id, active: !u.active })}
                      variant="secondary"
                      size="sm"
                      className="px-2 py-1 text-xs font-normal rounded"
                    >
                      {u.active ? `Deactivate ${u.email}` : `Reactivate ${u.email}`}
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
    </>
  );
}
