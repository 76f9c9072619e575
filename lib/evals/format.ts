// How the eval pages show money, times and their tables (shared by app/ pages and components/).
import { formatDateTime } from "@/lib/format";
export const dollars = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;
export const when = (iso: string) => formatDateTime(iso);
export const TABLE = "mt-3 w-full rounded-lg border border-slate-200 bg-white text-left text-sm";
export const HEAD = "bg-slate-100 text-xs uppercase text-slate-600";
export const CELL = "px-3 py-2 align-top";
