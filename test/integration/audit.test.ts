// The audit trail: every decision appended to one hash chain, which verifies; forged or altered
// entries are found at the right place, by the library and by `npm run audit:verify`.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { decideApproval } from "@/lib/approvals/decide";
import { chainAllPendingAudit, chainPendingAudit } from "@/lib/audit/chainer";
import { expireDueApprovals } from "@/lib/approvals/expire";
import { auditHash, verifyAuditChain } from "@/lib/audit/chain";
import { verifyStoredChain } from "@/lib/audit/queries";
import { startTurn } from "@/lib/chat/service";
import { db, type Tx } from "@/lib/db";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

const deps = { model: new OfflineDemoModel(), workerId: "audit-worker" };

afterAll(async () => {
  await stopBoss();
});

async function parkedRefund(totalCents = 4200) {
  const orderId = await freshOrder(totalCents);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  await advanceRun(runId, deps);
  const approval = await db.approval.findFirstOrThrow({ where: { runId, status: "pending" } });
  return { runId, orderId, approval };
}

/** Runs `work` in a transaction that is always rolled back, so tampering never outlives the test. */
async function inRolledBackTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const rollback = Symbol("rollback");
  let result: T | undefined;
  await db
    .$transaction(
      async (tx) => {
        result = await work(tx);
        throw rollback;
      },
      { timeout: 30_000 },
    )
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result as T;
}

const verifyIn = (tx: Tx) =>
  verifyAuditChain(
    (afterSeq, limit) =>
      tx.auditEntry.findMany({
        where: { seq: { gt: afterSeq } },
        orderBy: { seq: "asc" },
        take: limit,
      }),
    7,
  );

async function runVerifyScript(): Promise<{ code: number; stdout: string }> {
  const tsx = path.resolve("node_modules/.bin/tsx");
  try {
    const { stdout } = await promisify(execFile)(tsx, ["scripts/verify-audit.ts"], {
      env: { ...process.env },
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "" };
  }
}

describe("audit trail", () => {
  it("records approve, edit, reject and expire, with the packet, in a chain that verifies", async () => {
    const [reviewer, reviewer2] = await Promise.all([
      actorFor("reviewer@example.com"),
      actorFor("reviewer2@example.com"),
    ]);
    const approved = await parkedRefund(1100);
    const edited = await parkedRefund(2200);
    const rejected = await parkedRefund(3300);
    const expired = await parkedRefund(4400);

    await decideApproval(reviewer, {
      decision: "approve",
      approvalId: approved.approval.id,
      expectedHash: approved.approval.proposedHash,
    });
    const editedArgs = {
      ...(edited.approval.proposedArguments as Record<string, unknown>),
      amount_cents: 1000,
    };
    await decideApproval(reviewer2, {
      decision: "edit",
      approvalId: edited.approval.id,
      arguments: editedArgs,
      reason: "Partial refund agreed",
    });
    await decideApproval(reviewer, {
      decision: "reject",
      approvalId: rejected.approval.id,
      reason: "No damage on the photos",
    });
    await db.approval.update({
      where: { id: expired.approval.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await expireDueApprovals()).toBeGreaterThanOrEqual(1);
    // Decisions wrote their entries without the chain's lock; the appender links them.
    expect(
      await db.auditPending.count({
        where: {
          approvalId: { in: [approved, edited, rejected, expired].map((p) => p.approval.id) },
        },
      }),
    ).toBe(4);
    await chainAllPendingAudit();
    expect(await db.auditPending.count()).toBe(0);

    const ids = [approved, edited, rejected, expired].map((p) => p.approval.id);
    const entries = await db.auditEntry.findMany({
      where: { approvalId: { in: ids } },
      orderBy: { seq: "asc" },
    });
    expect(entries.map((e) => [e.approvalId, e.action, e.actorEmail])).toEqual([
      [approved.approval.id, "approved", "reviewer@example.com"],
      [edited.approval.id, "edited", "reviewer2@example.com"],
      [rejected.approval.id, "rejected", "reviewer@example.com"],
      [expired.approval.id, "expired", "system"],
    ]);
    expect(entries.map((e) => e.runId)).toEqual(
      [approved, edited, rejected, expired].map((p) => p.runId),
    );
    const [approvedEntry, editedEntry, rejectedEntry] = entries;
    expect(approvedEntry!.payload).toMatchObject({
      tool: "issue_refund",
      request: `Order ${approved.orderId} arrived broken, I want my money back`,
      proposed: { order_id: approved.orderId, amount_cents: 1100 },
      proposedHash: approved.approval.proposedHash,
      seenHash: approved.approval.proposedHash,
      reasons: expect.arrayContaining(["irreversible"]),
      confidence: 0.9,
    });
    // The entry's time is the decision's, to the millisecond, in UTC like every other timestamp.
    const decidedAt = (await db.approval.findUniqueOrThrow({ where: { id: approved.approval.id } }))
      .decidedAt!;
    expect(approvedEntry!.at).toEqual(decidedAt);
    expect(Math.abs(decidedAt.getTime() - Date.now())).toBeLessThan(10 * 60_000);
    expect(editedEntry!.payload).toMatchObject({
      proposed: { amount_cents: 2200 },
      approved: { amount_cents: 1000 },
      reason: "Partial refund agreed",
    });
    expect(rejectedEntry!.payload).toMatchObject({ reason: "No damage on the photos" });

    const verdict = await verifyStoredChain();
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
    expect(verdict).toEqual({
      count: await db.auditEntry.count(),
      verifiedUpTo: last.seq,
      broken: null,
    });
  });

  it("keeps one linear chain when many decisions commit at once", async () => {
    const parked = await Promise.all(Array.from({ length: 6 }, (_, i) => parkedRefund(500 + i)));
    const reviewers = await Promise.all([
      actorFor("reviewer@example.com"),
      actorFor("reviewer2@example.com"),
    ]);
    await Promise.all(
      parked.map((p, i) =>
        decideApproval(
          reviewers[i % 2]!,
          i % 3 === 0
            ? { decision: "reject", approvalId: p.approval.id, reason: "Concurrent check" }
            : { decision: "approve", approvalId: p.approval.id },
        ),
      ),
    );

    await chainAllPendingAudit();
    expect(
      await db.auditEntry.count({
        where: { approvalId: { in: parked.map((p) => p.approval.id) } },
      }),
    ).toBe(6);
    const all = await db.auditEntry.findMany({ orderBy: { seq: "asc" } });
    expect(new Set(all.map((e) => e.prevHash)).size).toBe(all.length);
    expect((await verifyStoredChain()).broken).toBeNull();
  });

  it("refuses updates and deletes of entries (the table's rules discard them)", async () => {
    const entry = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
    await db.$executeRaw`update audit_entries set actor_email = 'mallory@example.com' where seq = ${entry.seq}`;
    await db.$executeRaw`delete from audit_entries where seq = ${entry.seq}`;
    expect(await db.auditEntry.findUniqueOrThrow({ where: { seq: entry.seq } })).toEqual(entry);
  });

  it("finds a forged entry whose prev_hash does not link, at its seq", async () => {
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const verdict = await inRolledBackTransaction(async (tx) => {
      const [{ seq }] = (await tx.$queryRaw<
        { seq: bigint }[]
      >`select nextval(pg_get_serial_sequence('audit_entries', 'seq')) as seq`) as [
        { seq: bigint },
      ];
      const fields = {
        seq: Number(seq),
        at: new Date(),
        actorEmail: "mallory@example.com",
        action: "approved",
        approvalId: null,
        runId: null,
        payload: { forged: true },
      };
      const prevHash = "f".repeat(64);
      await tx.auditEntry.create({
        data: { ...fields, prevHash, hash: auditHash(prevHash, fields) },
      });
      return { ...(await verifyIn(tx)), forgedSeq: fields.seq };
    });
    expect(verdict.broken).toEqual({
      seq: verdict.forgedSeq,
      problem: expect.stringMatching(/prev_hash does not match/),
    });
    expect(verdict.verifiedUpTo).toBe(last.seq);
    expect((await verifyStoredChain()).broken).toBeNull();
  });

  it("finds an entry altered behind the rules' back, at its seq, and nothing before it", async () => {
    const { approval } = await parkedRefund(6100);
    await decideApproval(await actorFor("reviewer@example.com"), {
      decision: "approve",
      approvalId: approval.id,
    });
    await chainAllPendingAudit();
    const target = await db.auditEntry.findFirstOrThrow({ where: { approvalId: approval.id } });
    const before = await db.auditEntry.findFirst({
      where: { seq: { lt: target.seq } },
      orderBy: { seq: "desc" },
    });

    const verdict = await inRolledBackTransaction(async (tx) => {
      await tx.$executeRawUnsafe("alter table audit_entries disable rule audit_entries_no_update");
      await tx.$executeRaw`update audit_entries set payload = jsonb_set(payload, '{proposed,amount_cents}', '1') where seq = ${target.seq}`;
      await tx.$executeRawUnsafe("alter table audit_entries enable rule audit_entries_no_update");
      const changed = await tx.auditEntry.findUniqueOrThrow({ where: { seq: target.seq } });
      expect(
        (changed.payload as { proposed: { amount_cents: number } }).proposed.amount_cents,
      ).toBe(1);
      return verifyIn(tx);
    });
    expect(verdict.broken).toEqual({
      seq: target.seq,
      problem: expect.stringMatching(/content does not match its hash/),
    });
    expect(verdict.verifiedUpTo).toBe(before?.seq ?? null);
  });

  it("npm run audit:verify prints the count, and names the first broken link with a failing exit code", async () => {
    const count = await db.auditEntry.count();
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const ok = await runVerifyScript();
    expect(ok).toEqual({
      code: 0,
      stdout: `Audit chain verified up to #${last.seq} (${count} entries).\n`,
    });

    // Tampered for real (committed), so the script, a separate process, sees it; then restored.
    const target = await db.auditEntry.findFirstOrThrow({
      where: { action: "rejected" },
      orderBy: { seq: "asc" },
    });
    const setActor = (email: string) =>
      db.$transaction([
        db.$executeRawUnsafe("alter table audit_entries disable rule audit_entries_no_update"),
        db.$executeRaw`update audit_entries set actor_email = ${email} where seq = ${target.seq}`,
        db.$executeRawUnsafe("alter table audit_entries enable rule audit_entries_no_update"),
      ]);
    await setActor("mallory@example.com");
    try {
      const broken = await runVerifyScript();
      expect(broken.code).toBe(1);
      expect(broken.stdout).toContain(
        `Audit chain BROKEN at #${target.seq}: the entry's content does not match its hash`,
      );
      expect(broken.stdout).toContain(`${count} entries`);
    } finally {
      await setActor(target.actorEmail);
    }
    expect((await verifyStoredChain()).broken).toBeNull();
  });

  it("commits a decision while the chain's lock is held elsewhere: the decision takes no part in it", async () => {
    const { approval } = await parkedRefund(7100);
    const holder = new pg.Client(process.env.DATABASE_URL);
    await holder.connect();
    try {
      await holder.query("select pg_advisory_lock($1::int, $2::int)", [0x43534155, 1]);
      const outcome = await decideApproval(await actorFor("reviewer@example.com"), {
        decision: "approve",
        approvalId: approval.id,
      });
      expect(outcome).toMatchObject({ status: "approved", runResumed: true });
      // The resume job committed with the decision, and the entry waits, unchained, beside it.
      expect(
        await db.$queryRaw<
          { n: number }[]
        >`select count(*)::int as n from pgboss.job where data->>'runId' = ${approval.runId}`,
      ).toEqual([{ n: 1 }]);
      expect(
        await db.auditPending.findMany({
          where: { approvalId: approval.id },
          select: { action: true, actorEmail: true },
        }),
      ).toEqual([{ action: "approved", actorEmail: "reviewer@example.com" }]);
      expect(await chainPendingAudit()).toBeNull(); // another appender holds the lock: nothing forks
    } finally {
      await holder.end();
    }
    expect(await chainAllPendingAudit()).toBeGreaterThanOrEqual(1);
    expect(await db.auditEntry.count({ where: { approvalId: approval.id } })).toBe(1);
    expect((await verifyStoredChain()).broken).toBeNull();
  });

  it("npm run audit:verify reports entries not yet chained, and does not count them as verified", async () => {
    const { approval } = await parkedRefund(7200);
    await decideApproval(await actorFor("reviewer2@example.com"), {
      decision: "reject",
      approvalId: approval.id,
      reason: "Waiting for the chain",
    });
    const count = await db.auditEntry.count();
    const last = await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } });
    const waiting = await runVerifyScript();
    expect(waiting.code).toBe(0);
    expect(waiting.stdout).toMatch(
      new RegExp(
        `^Audit chain verified up to #${last.seq} \\(${count} entries\\)\\.\n1 entries not yet chained \\(oldest written at \\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    await chainAllPendingAudit();
    expect((await runVerifyScript()).stdout).toBe(
      `Audit chain verified up to #${(await db.auditEntry.findFirstOrThrow({ orderBy: { seq: "desc" } })).seq} (${count + 1} entries).\n`,
    );
  });
});
