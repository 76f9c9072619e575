import Link from "next/link";
import { AlertList } from "@/components/ops/alert-list";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { Refusal } from "@/components/ui/refusal";
import { listAlerts } from "@/lib/alerts/queries";
import { RUNBOOK_TITLES, RUNBOOKS } from "@/lib/alerts/rule-schema";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Alerts · Countersign" };

export default async function AlertsPage() {
  const { actor, refused } = await pageActor("inbox", "/ops/alerts");
  if (refused) return <Refusal actor={actor} surface="alerts" />;
  const { firing, resolved } = await listAlerts();
  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-xl font-semibold">Alerts</h1>
          <p className="text-sm text-slate-600">
            Alert rules are evaluated every minute; each alert links the runbook to follow.
          </p>
        </div>
        {actor.role === "admin" && (
          <Link href="/ops/alerts/rules" className="text-sm underline">
            Alert rules
          </Link>
        )}
      </div>
      <AlertList title="Firing" alerts={firing} empty="Nothing is firing." />
      <AlertList title="Resolved" alerts={resolved} empty="No alert has fired yet." />
      <section aria-label="Runbooks" className="mt-8">
        <h2 className="text-sm font-semibold uppercase text-slate-500">Runbooks</h2>
        <ul className="mt-2 list-disc pl-6 text-sm">
          {RUNBOOKS.map((name) => (
            <li key={name}>
              <Link href={`/ops/runbooks/${name}`} className="underline">
                {RUNBOOK_TITLES[name]}
              </Link>
            </li>
          ))}
        </ul>
      </section>
      <LiveRefresh active intervalMs={15_000} />
    </div>
  );
}
