import { EXECUTORS } from "@/agents";
import { UserTable } from "@/components/admin/user-table";
import { AppHeader } from "@/components/ui/app-header";
import { Refusal } from "@/components/ui/refusal";
import { listUsers } from "@/lib/admin/users";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Admin · Countersign" };

export default async function AdminPage() {
  const { actor, refused } = await pageActor("admin", "/admin");
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const users = await listUsers();
  return (
    <>
      <AppHeader actor={actor} />
      <main className="mx-auto max-w-6xl space-y-8 px-6 py-8">
        <h1 className="text-xl font-semibold">Administration</h1>
        <section aria-labelledby="agents-title">
          <h2 id="agents-title" className="text-lg font-semibold">
            Agents
          </h2>
          <table className="mt-3 w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
            <thead className="bg-slate-100 text-xs uppercase text-slate-600">
              <tr>
                <th className="px-3 py-2">Agent</th>
                <th className="px-3 py-2">Tools (irreversible in bold)</th>
                <th className="px-3 py-2">Max steps</th>
                <th className="px-3 py-2">Token budget</th>
                <th className="px-3 py-2">Confidence threshold</th>
              </tr>
            </thead>
            <tbody>
              {Object.values(EXECUTORS).map((agent) => (
                <tr key={agent.name} className="border-t border-slate-100">
                  <td className="px-3 py-2">
                    <div className="font-medium">{agent.title}</div>
                    <div className="text-xs text-slate-500">{agent.description}</div>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">
                    {agent.tools.map((t) => (
                      <span key={t.name} className={`mr-2 ${t.irreversible ? "font-bold" : ""}`}>
                        {t.name}
                      </span>
                    ))}
                  </td>
                  <td className="px-3 py-2">{agent.limits.maxIterations}</td>
                  <td className="px-3 py-2">{agent.limits.maxTokensPerRun.toLocaleString("en")}</td>
                  <td className="px-3 py-2">{agent.limits.confidenceThreshold}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="users-title">
          <h2 id="users-title" className="text-lg font-semibold">
            Accounts
          </h2>
          <UserTable users={users} selfId={actor.id} />
        </section>
      </main>
    </>
  );
}
