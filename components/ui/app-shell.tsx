import { currentActor } from "@/lib/auth/actor";
import { LiveStream } from "@/components/live/live-updates";
import { AppHeader } from "./app-header";

/**
 * The frame of every signed-in surface: the header for whoever is signed in, the tab's live
 * stream (components/live), and `<main>`.
 * It only shows; each page still checks who may see it (a layout is not a security boundary,
 * and a page's redirect to sign-in happens in the page).
 */
export async function AppShell({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  return (
    <>
      {actor && <AppHeader actor={actor} />}
      {actor && <LiveStream />}
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </>
  );
}
