import "server-only";
import { pendingCount } from "@/lib/approvals/queries";
import { currentActor, type Actor } from "@/lib/auth/actor";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { openFollowUpCount } from "@/lib/follow-ups/service";
import { modelProvider } from "@/lib/model";

// What the signed-in frame's header shows, read on the server by the layout and handed to the
// presentational header (components/ui stays free of database reads).

export type HeaderData = {
  actor: Actor;
  /** No ANTHROPIC_API_KEY: the deterministic offline model plays the agents. */
  offline: boolean;
  /** A reviewer's surfaces (inbox, follow-ups, notifications) are shown. */
  reviews: boolean;
  pending: number;
  followUps: number;
};

/** The header of whoever is signed in, or null when nobody is (the page redirects to sign-in). */
export async function loadHeader(): Promise<HeaderData | null> {
  const actor = await currentActor();
  if (!actor) return null;
  const reviews = (SURFACE_ROLES.inbox as readonly string[]).includes(actor.role);
  const [pending, followUps] = reviews
    ? await Promise.all([pendingCount(actor.id), openFollowUpCount()])
    : [0, 0];
  return { actor, offline: modelProvider().name !== "anthropic", reviews, pending, followUps };
}
