import { PassRateTable, RunsTable, SuitesTable } from "@/components/evals/evals-overview";
import { Refusal } from "@/components/ui/refusal";
import { registry } from "@/lib/agents";
import { pageActor } from "@/lib/auth/pages";
import { evalsOverview } from "@/lib/evals/queries";

export const metadata = { title: "Evals · Countersign" };

export default async function EvalsPage() {
  const { actor, refused } = await pageActor("inbox", "/evals");
  if (refused) return <Refusal actor={actor} surface="evals" />;
  const { suites, passRates, runs } = await evalsOverview();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Evals</h1>
      <section>
        <h2 className="text-lg font-semibold">Suites</h2>
        <SuitesTable suites={suites} />
      </section>
      <section>
        <h2 className="text-lg font-semibold">Pass rate per version</h2>
        <PassRateTable rates={passRates} />
        <form
          action="/evals/compare"
          className="mt-3 flex flex-wrap items-end gap-3 text-sm"
          aria-label="Compare two versions"
        >
          <label>
            Agent
            <select name="agent" className="ml-1 rounded border border-slate-300 px-2 py-1">
              {registry.agents.map((a) => (
                <option key={a.name}>{a.name}</option>
              ))}
            </select>
          </label>
          <label>
            Version A
            <input
              name="a"
              inputMode="numeric"
              className="ml-1 w-16 rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <label>
            Version B
            <input
              name="b"
              inputMode="numeric"
              className="ml-1 w-16 rounded border border-slate-300 px-2 py-1"
            />
          </label>
          <button className="rounded-md border border-slate-300 px-3 py-1">Compare</button>
        </form>
      </section>
      <section>
        <h2 className="text-lg font-semibold">Runs</h2>
        <p className="text-sm text-slate-600">
          From <code>npm run eval</code>, the promotion gate and cases added from decisions; each
          ran on a scratch copy of the demo state.
        </p>
        <RunsTable runs={runs} />
      </section>
    </div>
  );
}
