// The packet's client side of GET /api/approvals/{id} and /api/approvals/{id}/facts.
import type { PacketFacts } from "@/lib/approvals/facts";
import type { ApprovalPacket } from "@/lib/approvals/queries";

export const fetchPacket = (id: string) => getJson<ApprovalPacket>(`/api/approvals/${id}`);
export const fetchPacketFacts = (id: string) => getJson<PacketFacts>(`/api/approvals/${id}/facts`);

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: "no-store" });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(
      (body as { error?: { message?: string } } | null)?.error?.message ??
        "Cannot reach the server",
    );
  return body as T;
}
