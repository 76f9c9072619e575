import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { passwordSignInEnabled, ssoEnabled } from "@/lib/auth/sso";
import { env } from "@/lib/env";

export const metadata = { title: "Sign in · Countersign" };
export const dynamic = "force-dynamic";

/** next-auth sends a refused sign-in back here with ?error=…: said in words. */
const REFUSALS: Record<string, string> = {
  AccessDenied:
    "Your company account has no role in Countersign, or this account is deactivated. Ask an admin.",
  OAuthSignin: "The sign-in provider could not be reached. Try again.",
  OAuthCallback: "The sign-in provider's answer could not be checked. Try again.",
  Callback: "The sign-in provider's answer could not be checked. Try again.",
};

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  // Only same-site paths: a crafted link cannot send a signed-in user elsewhere.
  const next = safeCallbackPath(params.callbackUrl);
  const error =
    typeof params.error === "string"
      ? (REFUSALS[params.error] ?? "Sign-in failed. Try again.")
      : null;
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Countersign</h1>
      <p className="mt-1 text-sm text-slate-600">Sign in to continue.</p>
      <SignInForm
        callbackUrl={next}
        passwords={passwordSignInEnabled()}
        sso={ssoEnabled() ? env().OIDC_NAME : null}
        refusal={error}
      />
    </main>
  );
}
