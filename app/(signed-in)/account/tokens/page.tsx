import { Refusal } from "@/components/ui/refusal";
import { pageActor } from "@/lib/auth/pages";
import { listApiTokens, scopesFor, TOKEN_LIFETIMES_DAYS } from "@/lib/auth/tokens";
import { TokenManager } from "@/components/account/token-manager";

export const metadata = { title: "API tokens · Countersign" };

export default async function TokensPage() {
  const { actor, refused } = await pageActor("inbox", "/account/tokens");
  if (refused) return <Refusal actor={actor} surface="API token settings" />;
  const tokens = await listApiTokens(actor);
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-xl font-semibold">Personal access tokens</h1>
      <p className="mt-2 text-sm text-slate-600">
        A token lets a script use the HTTP API as you (<code>Authorization: Bearer cs_pat_…</code>),
        within its scopes: <code>read</code> for <code>GET /api/v1/approvals</code>,{" "}
        <code>GET /api/v1/approvals/&#123;id&#125;</code> and <code>GET /api/v1/follow-ups</code>;{" "}
        <code>decide</code> for <code>POST /api/v1/approvals/&#123;id&#125;/decision</code>;{" "}
        <code>reply</code> for <code>POST /api/v1/follow-ups/&#123;id&#125;/reply</code>
        {actor.role === "admin" && (
          <>
            ; <code>admin</code> for <code>GET</code> and <code>PUT /api/v1/policy</code> and{" "}
            <code>POST /api/v1/policy/simulate</code>
          </>
        )}
        . It stops working when it expires, when you revoke it, or for good when your account is
        deactivated.
      </p>
      <TokenManager
        tokens={tokens}
        lifetimes={TOKEN_LIFETIMES_DAYS}
        scopes={scopesFor(actor.role)}
      />
    </div>
  );
}
