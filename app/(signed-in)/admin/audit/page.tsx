import Link from "next/link";
import { AuditChainStatus } from "@/components/admin/audit-chain-status";
import { AuditTable } from "@/components/admin/audit-table";
import { Refusal } from "@/components/ui/refusal";
import {
  auditPageQuery,
  listAuditEntries,
  unchainedAudit,
  verifyStoredChain,
} from "@/lib/audit/queries";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Audit trail · Countersign" };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, refused } = await pageActor("admin", "/admin/audit");
  if (refused) return <Refusal actor={actor} surface="audit trail" />;
  const query = auditPageQuery.parse(await searchParams);
  const [page, verdict, unchained] = await Promise.all([
    listAuditEntries(query),
    verifyStoredChain(),
    unchainedAudit(),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className="text-sm text-slate-600 hover:underline">
          ← Administration
        </Link>
        <h1 className="mt-2 text-xl font-semibold">Audit trail</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every decision — approved, edited, rejected, expired — with who made it, when, and the
          packet they saw. Append-only and hash-chained; check it from a shell with{" "}
          <code className="rounded bg-slate-100 px-1">npm run audit:verify</code>.
        </p>
      </div>
      <AuditChainStatus verdict={verdict} unchained={unchained} />
      <AuditTable page={page} />
    </div>
  );
}
