import Link from "next/link";
import { AgentSummaryTable } from "@/components/admin/agent-summary-table";
import { UserTable } from "@/components/admin/user-table";
import { Refusal } from "@/components/ui/refusal";
import { listUsers } from "@/lib/admin/users";
import { pageActor } from "@/lib/auth/pages";
import { agentSummaries } from "@/lib/admin/agent-summaries";

export const metadata = { title: "Admin · Countersign" };

const SURFACES = [
  {
    href: "/admin/agents",
    label: "Agent settings",
    text: "Limits per user and per agent, model tier and tool policies, versioned.",
  },
  {
    href: "/admin/policy",
    label: "Policy",
    text: "Rules on calls' arguments, versioned; simulate a draft on past calls.",
  },
  {
    href: "/admin/teams",
    label: "Teams and queues",
    text: "Reviewers' teams, each queue's time to decide and escalation.",
  },
  {
    href: "/admin/shop",
    label: "Shop failure switches",
    text: "Make the demo shop fail, for demos.",
  },
  { href: "/runs", label: "Runs", text: "Every run, how it ended and why." },
  {
    href: "/admin/audit",
    label: "Audit trail",
    text: "Every decision, in a tamper-evident chain.",
  },
];

export default async function AdminPage() {
  const { actor, refused } = await pageActor("admin", "/admin");
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const [users, agents] = await Promise.all([listUsers(), agentSummaries()]);
  return (
    <div className="space-y-8">
      <h1 className="text-xl font-semibold">Administration</h1>
      <nav aria-label="Administration" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {SURFACES.map((s) => (
          <Link
            key={s.href}
            href={s.href}
            className="rounded-lg border border-slate-200 bg-white p-4 hover:border-slate-400"
          >
            <span className="font-medium">{s.label}</span>
            <span className="mt-1 block text-sm text-slate-600">{s.text}</span>
          </Link>
        ))}
      </nav>
      <section aria-labelledby="agents-title">
        <h2 id="agents-title" className="text-lg font-semibold">
          Agents
        </h2>
        <AgentSummaryTable agents={agents} />
      </section>
      <section aria-labelledby="users-title">
        <h2 id="users-title" className="text-lg font-semibold">
          Accounts
        </h2>
        <UserTable users={users} selfId={actor.id} />
      </section>
    </div>
  );
}
