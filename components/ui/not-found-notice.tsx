import Link from "next/link";

/** Our own "not found" rather than Next's default, whose inline style attributes a strict CSP refuses. */
export function NotFoundNotice() {
  return (
    <section className="mx-auto mt-16 max-w-md rounded-xl border border-slate-200 bg-white p-8">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-700">
        There is nothing at this address. It may have been mistyped, or the item no longer exists.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-slate-900 underline">
        Go to your home page
      </Link>
    </section>
  );
}
