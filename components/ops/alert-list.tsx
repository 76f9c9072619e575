import Link from "next/link";
import type { AlertRow } from "@/lib/alerts/queries";
import { formatDateTime } from "@/lib/format";

/** Firing or resolved alerts, each with what it measured and the runbook to follow. */
export function AlertList({
  title,
  alerts,
  empty,
}: {
  title: string;
  alerts: AlertRow[];
  empty: string;
}) {
  return (
    <section aria-label={title} className="mt-6">
      <h2 className="text-sm font-semibold uppercase text-slate-500">{title}</h2>
      {alerts.length === 0 ? (
        <p className="mt-2 rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
          {empty}
        </p>
      ) : (
        <ul className="mt-2 space-y-2">
          {alerts.map((a) => (
            <li
              key={a.id}
              className={`rounded-lg border bg-white p-4 ${a.status === "firing" ? "border-red-300" : "border-slate-200"}`}
            >
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <p className="font-medium">
                  <span
                    className={`mr-2 rounded px-1.5 py-0.5 text-xs ${a.status === "firing" ? "bg-red-100 text-red-800" : "bg-emerald-100 text-emerald-800"}`}
                  >
                    {a.status}
                  </span>
                  {a.ruleName}
                </p>
                <Link href={a.runbook.href} className="text-sm underline">
                  Runbook: {a.runbook.title}
                </Link>
              </div>
              <p className="mt-1 text-sm text-slate-700">{a.summary}</p>
              <p className="mt-1 text-xs text-slate-500">
                Rule {a.ruleKey} · breaching since{" "}
                <time dateTime={a.breachingSince}>{formatDateTime(a.breachingSince)}</time>
                {a.firedAt && (
                  <>
                    {" "}
                    · fired <time dateTime={a.firedAt}>{formatDateTime(a.firedAt)}</time>
                  </>
                )}
                {a.resolvedAt && (
                  <>
                    {" "}
                    · resolved <time dateTime={a.resolvedAt}>{formatDateTime(a.resolvedAt)}</time>
                  </>
                )}{" "}
                · {a.notificationsSent} notifications sent
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
