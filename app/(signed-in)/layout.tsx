import { AppShell } from "@/components/ui/app-shell";
import { loadHeader } from "@/lib/shell/header";

// The surfaces behind sign-in share this frame; the header's counts are read here, on the server.
export default async function Layout({ children }: { children: React.ReactNode }) {
  return <AppShell header={await loadHeader()}>{children}</AppShell>;
}
