import { formatAge } from "@/lib/format";

export function formatTimeLeft(expiresAt: string, now: number): string {
  const left = new Date(expiresAt).getTime() - now;
  return left <= 0 ? "expired" : `${formatAge(new Date(now), now + left)} left`;
}

export function formatUtc(iso: string): string {
  return `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;
}

/** How long ago, in words a reviewer reads at a glance: "3 s ago", "4 min ago", "2 h ago", "3 days ago". */
export function formatAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86400);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}
