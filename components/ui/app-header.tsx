import Link from "next/link";
import { FollowUpBadge } from "@/components/follow-ups/follow-up-badge";
import { PendingBadge } from "@/components/inbox/pending-badge";
import type { HeaderData } from "@/lib/shell/header";
import { Badge } from "./badge";
import { NotificationBell } from "./notification-bell";
import { SignOutButton } from "./sign-out-button";

const LINKS = {
  user: [{ href: "/chat", label: "Chat" }],
  reviewer: [
    { href: "/inbox", label: "Inbox" },
    { href: "/follow-ups", label: "Follow-ups" },
    { href: "/runs", label: "Runs" },
    { href: "/ops", label: "Ops" },
    { href: "/evals", label: "Evals" },
    { href: "/account/tokens", label: "API tokens" },
  ],
  admin: [
    { href: "/inbox", label: "Inbox" },
    { href: "/follow-ups", label: "Follow-ups" },
    { href: "/runs", label: "Runs" },
    { href: "/ops", label: "Ops" },
    { href: "/evals", label: "Evals" },
    { href: "/admin", label: "Admin" },
    { href: "/admin/audit", label: "Audit" },
    { href: "/account/tokens", label: "API tokens" },
  ],
} as const;

/** The signed-in header; its data comes from lib/shell/header.ts through the layout. */
export function AppHeader({ actor, offline, reviews, pending, followUps }: HeaderData) {
  return (
    <header className="border-b border-slate-200 bg-white">
      {/* Wraps on a phone: links and the account line take their own rows, never a sideways scroll. */}
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
        <Link href="/" className="font-semibold tracking-tight">
          Countersign
        </Link>
        <nav aria-label="Main" className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {LINKS[actor.role].map((l) => (
            <Link key={l.href} href={l.href} className="text-slate-700 hover:text-slate-950">
              {l.label}
              {l.href === "/inbox" && <PendingBadge initial={pending} />}
              {l.href === "/follow-ups" && <FollowUpBadge initial={followUps} />}
            </Link>
          ))}
        </nav>
        <div className="ml-auto flex min-w-0 flex-wrap items-center gap-x-4 gap-y-1 text-sm">
          {offline && (
            <Badge
              tone="warning"
              className="text-amber-800"
              title="No ANTHROPIC_API_KEY set: a deterministic offline model plays the agents"
            >
              Offline demo model
            </Badge>
          )}
          {reviews && <NotificationBell />}
          <span className="min-w-0 break-all text-slate-600">{actor.email}</span>
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
