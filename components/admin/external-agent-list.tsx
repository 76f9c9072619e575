"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import type { ExternalAgentView } from "@/lib/external/agents";
import { createAgentKeyAction, revokeAgentKeyAction } from "@/lib/external/actions";
import { settingsToForm } from "@/lib/external/form";
import { ExternalAgentFormView, ShownOnce } from "./external-agent-form";
import { THead, Table, TableScroll } from "@/components/ui/table";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

/** The registered external agents: their policies, origins and keys (create, revoke), and their settings. */
export function ExternalAgentList({ agents }: { agents: ExternalAgentView[] }) {
  if (agents.length === 0)
    return <p className="text-sm text-slate-500">No external agent is registered yet.</p>;
  return (
    <ul aria-label="External agents" className="space-y-4">
      {agents.map((agent) => (
        <li
          key={agent.id}
          aria-label={agent.name}
          className="rounded-lg border border-slate-200 bg-white p-5"
        >
          <h3 className="font-mono text-base font-semibold">{agent.name}</h3>
          <p className="text-sm text-slate-600">{agent.description}</p>
          <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
            <dt className="text-slate-500">Allowed callback origins</dt>
            <dd>{agent.allowedOrigins.join(", ") || "none"}</dd>
            <dt className="text-slate-500">Tool policies</dt>
            <dd className="font-mono text-xs">
              {Object.entries(agent.toolPolicies)
                .map(([t, p]) => `${t}: ${p}`)
                .join(", ") || "every tool requires approval"}
            </dd>
            <dt className="text-slate-500">Upstream MCP server</dt>
            <dd className="font-mono text-xs">
              {agent.mcpUrl ?? (agent.mcpCommand.join(" ") || "none")}
            </dd>
          </dl>
          <AgentKeys agent={agent} />
          <details className="mt-3">
            <summary className="cursor-pointer text-sm font-medium">Edit settings</summary>
            <div className="mt-2">
              <ExternalAgentFormView
                current={{ name: agent.name, values: settingsToForm(agent) }}
              />
            </div>
          </details>
        </li>
      ))}
    </ul>
  );
}

function AgentKeys({ agent }: { agent: ExternalAgentView }) {
  const hydrated = useHydrated();
  const router = useRouter();
  const [keyName, setKeyName] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: createAgentKeyAction,
    onSuccess: (result) => {
      if (!result.ok) return setProblem(result.error.message);
      setShown(result.data.key);
      setKeyName("");
      router.refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeAgentKeyAction,
    onSuccess: (result) => (result.ok ? router.refresh() : setProblem(result.error.message)),
  });
  return (
    <section aria-label={`Keys of ${agent.name}`} className="mt-3">
      <h4 className="text-sm font-semibold">Agent keys</h4>
      <TableScroll>
        <Table variant="bare" className="mt-1">
          <THead look="quiet" className="text-xs">
            <tr>
              <th className="py-1 font-medium">Name</th>
              <th className="py-1 font-medium">Key</th>
              <th className="py-1 font-medium">Last used</th>
              <th className="py-1 font-medium">State</th>
            </tr>
          </THead>
          <tbody>
            {agent.keys.map((k) => (
              <tr key={k.id} className="border-t border-slate-100">
                <td className="py-1">{k.name}</td>
                <td className="py-1 font-mono text-xs">{k.keyPrefix}…</td>
                <td className="py-1 text-xs">{k.lastUsedAt ?? "never"}</td>
                <td className="py-1">
                  {k.revokedAt ? (
                    "revoked"
                  ) : (
                    <Button
                      type="button"
                      disabled={!hydrated || revoke.isPending}
                      variant="link"
                      size="inline"
                      className="text-xs font-medium text-red-700 font-medium"
                      onClick={() => revoke.mutate({ agent: agent.name, keyId: k.id })}
                    >
                      Revoke {k.name}
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </TableScroll>
      <form
        className="mt-2 flex items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          create.mutate({ agent: agent.name, keyName });
        }}
      >
        <label className="text-sm">
          New key name
          <Input
            className="ml-2 text-sm w-auto"
            value={keyName}
            onChange={(e) => setKeyName(e.target.value)}
          />
        </label>
        <Button
          type="submit"
          disabled={!hydrated || create.isPending}
          variant="secondary"
          size="sm"
          className="px-2 py-1 text-sm"
        >
          Create key
        </Button>
      </form>
      {problem && (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
      {shown && (
        <ShownOnce
          title="Copy this key now; it is not shown again"
          items={[["Agent key", shown]]}
        />
      )}
    </section>
  );
}
