import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import { homeFor } from "@/lib/auth/roles";

/** What a signed-in user sees on a surface their role may not use. */
export function Refusal({ actor, surface }: { actor: Actor; surface: string }) {
  return (
    <section
      className="mx-auto mt-16 max-w-md rounded-xl border border-red-200 bg-white p-8"
      role="alert"
    >
      <h1 className="text-xl font-semibold">Access denied</h1>
      <p className="mt-2 text-slate-700">
        Your account ({actor.email}) cannot open the {surface}. Ask an administrator if you need
        access.
      </p>
      <Link
        href={homeFor(actor.role)}
        className="mt-4 inline-block text-sm font-medium text-slate-900 underline"
      >
        Go to your home page
      </Link>
    </section>
  );
}
