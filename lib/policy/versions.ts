import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendAudit } from "@/lib/audit/log";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { lockForTransaction } from "@/lib/store";
import { EMPTY_POLICY, parsePolicyDocument, type PolicyDocument } from "./document";

// The policy's versions, like an agent's settings: every save is a row of policy_versions, the
// newest is in force, and a save names the version it replaces, so two people editing at once do
// not overwrite each other (the second gets a conflict naming who saved first). Version 0 is the
// empty rule set a fresh install starts with.

export type PolicyVersionView = {
  version: number;
  document: PolicyDocument;
  reason: string;
  savedBy: string | null;
  savedAt: string | null;
};

/** A version never changes, so its parsed document is kept once read. */
const parsedVersions = new Map<number, PolicyDocument>();

function documentOf(version: number, stored: unknown): PolicyDocument {
  let document = parsedVersions.get(version);
  if (!document) {
    const parsed = parsePolicyDocument(stored);
    // Saved documents were validated on the way in; one that no longer parses is a bug, not input.
    if (!parsed.ok)
      throw new Error(`policy version ${version} no longer parses: ${parsed.problems.join("; ")}`);
    document = parsed.document;
    parsedVersions.set(version, document);
  }
  return document;
}

const ZERO: PolicyVersionView = {
  version: 0,
  document: EMPTY_POLICY,
  reason: "no rules yet",
  savedBy: null,
  savedAt: null,
};

/** The version in force: the newest. */
export async function activePolicy(client: Tx | typeof db = db): Promise<PolicyVersionView> {
  const row = await client.policyVersion.findFirst({ orderBy: { version: "desc" } });
  if (!row) return ZERO;
  return {
    version: row.version,
    document: documentOf(row.version, row.document),
    reason: row.reason,
    savedBy: row.createdByEmail,
    savedAt: row.createdAt.toISOString(),
  };
}

/** A given version (0: the empty rule set). */
export async function policyAt(version: number): Promise<PolicyDocument> {
  if (version === 0) return EMPTY_POLICY;
  const cached = parsedVersions.get(version);
  if (cached) return cached;
  const row = await db.policyVersion.findUnique({ where: { version } });
  if (!row) throw new AppError("not_found", `version: there is no policy version ${version}`);
  return documentOf(row.version, row.document);
}

export async function policyHistory(limit = 50) {
  const rows = await db.policyVersion.findMany({
    orderBy: { version: "desc" },
    take: limit,
    select: { version: true, reason: true, createdByEmail: true, createdAt: true, document: true },
  });
  return rows.map((r) => ({
    version: r.version,
    reason: r.reason,
    savedBy: r.createdByEmail,
    savedAt: r.createdAt.toISOString(),
    rules: (r.document as { rules?: unknown[] }).rules?.length ?? 0,
  }));
}

export type SavePolicyInput = { document: unknown; replaces: number; reason: string };

/** Saves a new version in force, if `replaces` is still the newest; invalid documents change nothing and name the field. */
export async function savePolicy(actor: Actor, input: SavePolicyInput): Promise<PolicyVersionView> {
  const parsed = parsePolicyDocument(input.document);
  if (!parsed.ok) throw new AppError("invalid_input", parsed.problems.join("; "));
  const { version: _, ...document } = parsed.document;
  return db.$transaction(async (tx) => {
    // One save at a time: the check of the newest version and the insert happen together.
    await lockForTransaction(tx, { space: 4242, key: 13 });
    const current = await activePolicy(tx);
    if (current.version !== input.replaces) {
      throw new AppError(
        "conflict",
        `The policy is at version ${current.version} (saved by ${current.savedBy ?? "nobody"}${current.savedAt ? ` at ${current.savedAt}` : ""}), not ${input.replaces}: start from it and save again.`,
        { version: current.version },
      );
    }
    const version = current.version + 1;
    const row = await tx.policyVersion.create({
      data: {
        version,
        document: document as unknown as Prisma.InputJsonValue,
        reason: input.reason,
        createdByEmail: actor.email,
      },
    });
    await appendAudit(tx, {
      actorEmail: actor.email,
      action: "policy_saved",
      payload: {
        version,
        replaces: input.replaces,
        reason: input.reason,
        rules: document.rules.map((r) => ({ id: r.id, name: r.name, enabled: r.enabled })),
      },
    });
    return {
      version,
      document: documentOf(version, row.document),
      reason: row.reason,
      savedBy: actor.email,
      savedAt: row.createdAt.toISOString(),
    };
  });
}
