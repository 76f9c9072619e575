import { PassRateTable, RunsTable, SuitesTable } from "@/components/evals/evals-overview";
import { Refusal } from "@/components/ui/refusal";
import { registry } from "@/lib/agents";
import { pageActor } from "@/lib/auth/pages";
import { evalsOverview } from "@/lib/evals/queries";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";

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
            <Select name="agent" className="rounded ml-1 w-auto">
              {registry.agents.map((a) => (
                <option key={a.name}>{a.name}</option>
              ))}
            </Select>
          </label>
          <label>
            Version A
            <Input name="a" inputMode="numeric" className="rounded ml-1 w-16" />
          </label>
          <label>
            Version B
            <Input name="b" inputMode="numeric" className="rounded ml-1 w-16" />
          </label>
          <Button type="submit" variant="secondary" size="sm" className="px-3 py-1 font-normal">
            Compare
          </Button>
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
