"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { TOO_MANY_PREFIX } from "@/lib/auth/throttle-policy";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

type Props = {
  callbackUrl: string;
  /** Whether email and password sign in (COUNTERSIGN_PASSWORD_SIGNIN). */
  passwords: boolean;
  /** The single sign-on provider's name, when one is configured. */
  sso: string | null;
  /** Why the last attempt was refused, in words. */
  refusal: string | null;
};

export function SignInForm({ callbackUrl, passwords, sso, refusal }: Props) {
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(refusal);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    }).catch(() => null);
    if (!result || result.error) {
      setBusy(false);
      // A throttled attempt's message says how long to wait ("… Try again in 30 seconds.").
      const throttled = result?.error?.startsWith(TOO_MANY_PREFIX);
      setError(
        !result
          ? "Could not reach the server. Try again."
          : throttled
            ? result.error!
            : "Email or password is incorrect, or the account is deactivated.",
      );
      return;
    }
    // Checked again here: whatever a caller passes, the browser only ever goes to a path on this site.
    window.location.assign(safeCallbackPath(callbackUrl));
  }

  const ssoButton = sso && (
    <Button
      type="button"
      disabled={busy || !hydrated}
      onClick={() => {
        setBusy(true);
        void signIn("oidc", { callbackUrl: safeCallbackPath(callbackUrl) });
      }}
      variant={passwords ? "secondary" : "primary"}
      className="w-full"
    >
      Sign in with {sso}
    </Button>
  );
  if (!passwords) {
    return (
      <div className="mt-6 space-y-4">
        {error && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        {ssoButton}
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="mt-6 space-y-4" noValidate>
      <label className="block text-sm font-medium">
        Email
        <Input
          name="email"
          type="email"
          autoComplete="username"
          required
          className="mt-1 px-3 py-2"
        />
      </label>
      <label className="block text-sm font-medium">
        Password
        <Input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          className="mt-1 px-3 py-2"
        />
      </label>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <Button type="submit" disabled={busy || !hydrated} variant="primary" className="w-full">
        {busy ? "Signing in…" : "Sign in"}
      </Button>
      {ssoButton && (
        <>
          <p className="text-center text-xs text-slate-500">or</p>
          {ssoButton}
        </>
      )}
    </form>
  );
}
