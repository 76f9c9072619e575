import { formatAge } from "@/lib/format";

// formatAgo lives in lib/format.ts so the server can say "approved it 3 s ago" in the same words.
export { formatAgo } from "@/lib/format";

export function formatTimeLeft(expiresAt: string, now: number): string {
  const left = new Date(expiresAt).getTime() - now;
  return left <= 0 ? "expired" : `${formatAge(new Date(now), now + left)} left`;
}
