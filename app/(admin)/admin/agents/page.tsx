import Link from "next/link";
import { AgentSummaryTable } from "@/components/admin/agent-summary-table";
import { AppHeader } from "@/components/ui/app-header";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { agentSummaries } from "./agent-summaries";

export const metadata = { title: "Agents · Countersign" };

export default async function AgentsPage() {
  const { actor, refused } = await pageActor("admin", "/admin/agents");
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const agents = await agentSummaries();
  return (
    <>
      <AppHeader actor={actor} />
      <main className="mx-auto max-w-6xl px-6 py-8">
        <Link href="/admin" className="text-sm text-slate-600 hover:underline">
          ← Administration
        </Link>
        <h1 className="mt-2 text-xl font-semibold">Agents</h1>
        <p className="text-sm text-slate-600">The limits and policies new runs work under. Open an agent to change them; every change is a new version with who, when and why.</p>
        <AgentSummaryTable agents={agents} />
      </main>
    </>
  );
}
