import { LiveStream } from "@/components/live/live-updates";
import type { HeaderData } from "@/lib/shell/header";
import { AppHeader } from "./app-header";

/**
 * The frame of every signed-in surface: the header for whoever is signed in (`header`, loaded by
 * the layout; null when nobody is), the tab's live stream (components/live), and `<main>`.
 * It only shows; each page still checks who may see it (a layout is not a security boundary,
 * and a page's redirect to sign-in happens in the page).
 */
export function AppShell({
  header,
  children,
}: {
  header: HeaderData | null;
  children: React.ReactNode;
}) {
  return (
    <>
      {header && <AppHeader {...header} />}
      {header && <LiveStream />}
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">{children}</main>
    </>
  );
}
