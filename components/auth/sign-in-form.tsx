"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { useHydrated } from "@/components/ui/use-hydrated";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { credentialsInput } from "@/lib/auth/inputs";
import { TOO_MANY_PREFIX } from "@/lib/auth/throttle-policy";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
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
  // Checked with the schema authorize() parses with (lib/auth/inputs.ts) before anything is sent.
  // No default values: what is typed while the page is still hydrating is read from the fields.
  const form = useForm<
    z.input<typeof credentialsInput>,
    unknown,
    z.output<typeof credentialsInput>
  >({
    resolver: zodResolver(credentialsInput),
  });
  const errors = form.formState.errors;

  async function onSubmit({ email, password }: z.output<typeof credentialsInput>) {
    setBusy(true);
    setError(null);
    const result = await signIn("credentials", { email, password, redirect: false }).catch(
      () => null,
    );
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
    <form
      onSubmit={form.handleSubmit(onSubmit, () => setError(null))}
      className="mt-6 space-y-4"
      noValidate
    >
      <Field label="Email" error={errors.email?.message}>
        <Input
          {...form.register("email")}
          type="email"
          autoComplete="username"
          required
          aria-invalid={errors.email ? true : undefined}
          className="mt-1 px-3 py-2"
        />
      </Field>
      <Field label="Password" error={errors.password?.message}>
        <Input
          {...form.register("password")}
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={errors.password ? true : undefined}
          className="mt-1 px-3 py-2"
        />
      </Field>
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
