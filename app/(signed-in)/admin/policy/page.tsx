import { PolicyEditor } from "@/components/admin/policy-editor";
import { THead, Table, TableScroll, Td, Th } from "@/components/ui/table";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { activePolicy, policyHistory } from "@/lib/policy/versions";

export const metadata = { title: "Policy · Countersign" };

export default async function PolicyPage() {
  const { actor, refused } = await pageActor("admin", "/admin/policy");
  if (refused) return <Refusal actor={actor} surface="policy page" />;
  const [current, history] = await Promise.all([activePolicy(), policyHistory(10)]);
  const { version: _, ...document } = current.document;
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div>
        <h1 className="text-xl font-semibold">Policy</h1>
        <p className="mt-1 text-sm text-slate-600">
          Rules on top of each agent&apos;s settings: they can make a call wait (for one person,
          two, or a team), refuse it, or set its time to decide — never let through what would
          otherwise wait. The same document is served by <code>GET /api/v1/policy</code>.
        </p>
        <p className="mt-2 text-sm">
          In force: <strong>version {current.version}</strong>
          {current.savedBy
            ? `, saved by ${current.savedBy} on ${current.savedAt!.slice(0, 16).replace("T", " ")} UTC (${current.reason})`
            : " (no rules yet)"}
        </p>
      </div>
      <PolicyEditor version={current.version} documentJson={JSON.stringify(document, null, 2)} />
      {history.length > 0 && (
        <section aria-labelledby="history-title">
          <h2 id="history-title" className="text-lg font-semibold">
            Versions
          </h2>
          <TableScroll>
            <Table>
              <THead>
                <tr>
                  <Th>Version</Th>
                  <Th>Saved by</Th>
                  <Th>When (UTC)</Th>
                  <Th>Rules</Th>
                  <Th>Why</Th>
                </tr>
              </THead>
              <tbody>
                {history.map((v) => (
                  <tr key={v.version} className="border-t border-slate-100">
                    <Td>{v.version}</Td>
                    <Td>{v.savedBy}</Td>
                    <Td>{v.savedAt.slice(0, 16).replace("T", " ")}</Td>
                    <Td>{v.rules}</Td>
                    <Td>{v.reason}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </TableScroll>
        </section>
      )}
    </div>
  );
}
