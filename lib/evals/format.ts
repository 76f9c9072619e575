// How the eval pages show money and times (shared by app/ pages and components/).
import { formatDateTime } from "@/lib/format";
export const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;
export const when = (iso: string) => formatDateTime(iso);
