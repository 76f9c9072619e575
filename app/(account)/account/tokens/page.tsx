import { AppHeader } from "@/components/ui/app-header";
import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { listApiTokens } from "@/lib/auth/tokens";
import { TokenManager } from "./token-manager";

export const metadata = { title: "API tokens · Countersign" };

export default async function TokensPage() {
  const { actor, refused } = await pageActor("inbox", "/account/tokens");
  if (refused) return <Refusal actor={actor} surface="API token settings" />;
  const tokens = await listApiTokens(actor);
  return (
    <>
      <AppHeader actor={actor} />
      <main className="mx-auto max-w-3xl px-6 py-8">
        <h1 className="text-xl font-semibold">Personal access tokens</h1>
        <p className="mt-2 text-sm text-slate-600">
          A token lets a script use the HTTP API as you (<code>Authorization: Bearer cs_pat_…</code>): list approvals with{" "}
          <code>GET /api/v1/approvals</code>, read one with <code>GET /api/v1/approvals/&#123;id&#125;</code> and decide with{" "}
          <code>POST /api/v1/approvals/&#123;id&#125;/decision</code>. It stops working when you revoke it or your account is deactivated.
        </p>
        <TokenManager tokens={tokens} />
      </main>
    </>
  );
}
