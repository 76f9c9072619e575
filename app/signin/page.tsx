import { SignInForm } from "@/components/auth/sign-in-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";

export const metadata = { title: "Sign in · Countersign" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Only same-site paths: a crafted link cannot send a signed-in user elsewhere.
  const next = safeCallbackPath((await searchParams).callbackUrl);
  return (
    <main className="mx-auto mt-24 max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
      <h1 className="text-2xl font-semibold">Countersign</h1>
      <p className="mt-1 text-sm text-slate-600">Sign in to continue.</p>
      <SignInForm callbackUrl={next} />
    </main>
  );
}
