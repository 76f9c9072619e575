import Link from "next/link";
import { z } from "zod";
import { VersionDiff } from "@/components/evals/version-diff";
import { Refusal } from "@/components/ui/refusal";
import { registry } from "@/lib/agents";
import { pageActor } from "@/lib/auth/pages";
import { compareVersions } from "@/lib/evals/queries";

export const metadata = { title: "Compare versions · Countersign" };

const query = z.object({
  agent: z.string().refine((a) => registry.find(a) !== undefined, "agent: no such agent"),
  a: z.coerce.number({ message: "a: a version number" }).int().min(0),
  b: z.coerce.number({ message: "b: a version number" }).int().min(0),
});

export default async function ComparePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { actor, refused } = await pageActor("inbox", "/evals/compare");
  if (refused) return <Refusal actor={actor} surface="evals" />;
  const parsed = query.safeParse(await searchParams);
  const rows = parsed.success
    ? await compareVersions(parsed.data.agent, parsed.data.a, parsed.data.b)
    : [];
  return (
    <div>
      <Link href="/evals" className="text-sm text-slate-600 hover:underline">
        ← Evals
      </Link>
      {parsed.success ? (
        <>
          <h1 className="mt-2 text-2xl font-semibold">
            {parsed.data.agent}: v{parsed.data.a} against v{parsed.data.b}
          </h1>
          <p className="text-sm text-slate-600">
            The latest recorded result of each case on each version; differences are shaded.
          </p>
          {rows.length ? (
            <VersionDiff rows={rows} a={parsed.data.a} b={parsed.data.b} />
          ) : (
            <p className="mt-4 text-sm">Neither version has recorded eval results yet.</p>
          )}
        </>
      ) : (
        <p role="alert" className="mt-4 text-sm text-red-700">
          {parsed.error.issues.map((i) => i.message).join("; ")}
        </p>
      )}
    </div>
  );
}
