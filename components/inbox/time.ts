import { formatAge } from "@/lib/format";

export function formatTimeLeft(expiresAt: string, now: number): string {
  const left = new Date(expiresAt).getTime() - now;
  return left <= 0 ? "expired" : `${formatAge(new Date(now), now + left)} left`;
}

export function formatUtc(iso: string): string {
  return `${new Date(iso).toLocaleString("en-GB", { timeZone: "UTC" })} UTC`;
}
