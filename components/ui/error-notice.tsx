"use client";

import { useEffect } from "react";
import { Button } from "./button";

/**
 * What a page shows when rendering it failed unexpectedly: a plain sentence and a retry, never
 * the error itself (the server logged it; `digest` lets an operator find that log line).
 */
export function ErrorNotice({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error("page error", error.digest ?? "");
  }, [error]);
  return (
    <section
      role="alert"
      className="mx-auto mt-16 max-w-md rounded-xl border border-red-200 bg-white p-8"
    >
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="mt-2 text-slate-700">
        This page could not be shown. Nothing you submitted was lost; try again in a moment.
      </p>
      {error.digest && <p className="mt-2 text-xs text-slate-500">Reference: {error.digest}</p>}
      <Button className="mt-4" onClick={reset}>
        Try again
      </Button>
    </section>
  );
}
