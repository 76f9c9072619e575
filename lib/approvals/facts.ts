import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { db } from "@/lib/db";
import { preCheckWarnings } from "./pre-checks";
import { relatedTo, type RelatedItem } from "./related";
import type { Conflict } from "./related-rules";

/** What a reviewer should know beside the packet: related items, conflicts among pending ones, and the pre-check's warnings. */
export type PacketFacts = {
  related: RelatedItem[];
  conflicts: Conflict[];
  warnings: string[];
  checkedAt: string;
};

export async function packetFacts(approvalId: string): Promise<PacketFacts> {
  const exists =
    z.uuid().safeParse(approvalId).success &&
    (await db.approval.count({ where: { id: approvalId } })) > 0;
  if (!exists) throw new AppError("not_found", "This approval does not exist.");
  const [{ related, conflicts }, warnings] = await Promise.all([
    relatedTo(approvalId),
    preCheckWarnings(approvalId),
  ]);
  return { related, conflicts, warnings, checkedAt: new Date().toISOString() };
}
