// The inbox queue: keyset pagination that neither repeats nor skips an item, whatever the filters,
// sort order and page size, even while items are decided between pages; and claims.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  diffArguments,
  fieldsOf,
  fromFormValues,
  toFormValues,
  validateArguments,
} from "@/components/inbox/json-schema-form";
import { activeClaim, claimApproval } from "@/lib/approvals/claims";
import { decideApproval } from "@/lib/approvals/decide";
import {
  approvalPacket,
  inboxQuery,
  listPending,
  parseInboxSearch,
  type InboxQuery,
} from "@/lib/approvals/queries";
import { startTurn } from "@/lib/chat/service";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { ApprovalStatus } from "@/lib/generated/prisma/enums";
import { stopBoss } from "@/lib/jobs/queue";
import { OfflineDemoModel } from "@/lib/model/offline";
import { advanceRun } from "@/lib/runtime/advance";
import { actorFor } from "../support/actors";
import { freshOrder } from "../support/orders";

afterAll(async () => {
  await stopBoss();
});

type Fixture = {
  id: string;
  agent: string;
  tool: string;
  status: ApprovalStatus;
  reasons: string[];
  reasonCodes: string[];
  createdAt: Date;
  expiresAt: Date;
};

// Agent names of this run only, so other tests' items never mix into the expected lists.
const tag = randomUUID().slice(0, 8);
const AGENTS = [`pagetest_a_${tag}`, `pagetest_b_${tag}`];
const TOOLS = ["tool_one", "tool_two"];
const STATUSES: ApprovalStatus[] = [
  "pending",
  "approved",
  "pending",
  "rejected",
  "pending",
  "expired",
  "pending",
];
const REASONS = [
  ["irreversible"],
  ["low confidence (0.50 < 0.7)"],
  ["irreversible", "no stated confidence"],
];
const REASON_CODES_OF = [["irreversible"], ["low_confidence"], ["irreversible", "no_confidence"]];
const fixtures: Fixture[] = [];

/** 150 parked calls written straight to the tables, with many equal timestamps to test tie-breaks. */
async function seedQueue() {
  const user = await actorFor("user@example.com");
  const conversation = await db.conversation.create({ data: { userId: user.id } });
  const run = await db.run.create({
    data: {
      conversationId: conversation.id,
      userId: user.id,
      request: "pagination fixture",
      modelProvider: "offline-demo",
      deadlineAt: new Date(Date.now() + 3_600_000),
    },
  });
  const base = Date.now() - 3_600_000;
  const toolCalls: Prisma.ToolCallCreateManyInput[] = [];
  for (let i = 0; i < 150; i++) {
    const agent = AGENTS[i % 2]!;
    const tool = TOOLS[Math.floor(i / 2) % 2]!;
    const fixture: Fixture = {
      id: randomUUID(),
      agent,
      tool,
      status: STATUSES[i % STATUSES.length]!,
      reasons: REASONS[i % 3]!,
      reasonCodes: REASON_CODES_OF[i % 3]!,
      createdAt: new Date(base + Math.floor(i / 4) * 1000), // groups of four share a timestamp
      expiresAt: new Date(base + 7_200_000 + ((i * 37) % 23) * 60_000),
    };
    fixtures.push(fixture);
    toolCalls.push({
      id: randomUUID(),
      runId: run.id,
      toolUseId: `toolu_${i}`,
      turn: 1,
      tool,
      irreversible: true,
      arguments: { n: i },
      argsHash: `${i}`.padStart(64, "0"),
      status: "pending_approval" as const,
      idempotencyKey: `cs_${randomUUID()}`,
    });
  }
  await db.toolCall.createMany({ data: toolCalls });
  await db.approval.createMany({
    data: fixtures.map((f, i) => ({
      id: f.id,
      toolCallId: toolCalls[i]!.id!,
      runId: run.id,
      agent: f.agent,
      tool: f.tool,
      status: f.status,
      reasons: f.reasons,
      reasonCodes: f.reasonCodes,
      proposedArguments: { n: i },
      proposedHash: toolCalls[i]!.argsHash,
      createdAt: f.createdAt,
      expiresAt: f.expiresAt,
    })),
  });
}

beforeAll(seedQueue);

const query = (q: Partial<Record<keyof InboxQuery, string | number>>): InboxQuery =>
  inboxQuery.parse(q);

/** Follows nextCursor to the end, as a client would. */
async function walk(q: InboxQuery, between?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let total = -1;
  for (let page = 0; page < 1000; page++) {
    const result = await listPending(
      inboxQuery.parse({
        ...q,
        cursor: cursor ?? undefined,
        status: q.status,
        sort: q.sort,
        limit: q.limit,
      }),
    );
    expect(result.items.length).toBeLessThanOrEqual(q.limit);
    ids.push(...result.items.map((i) => i.id));
    if (page === 0) total = result.total;
    if (!result.nextCursor) return { ids, total };
    cursor = result.nextCursor;
    await between?.(page);
  }
  throw new Error("pagination did not end");
}

function expected(filter: (f: Fixture) => boolean, sort: "oldest" | "expiring") {
  const key = (f: Fixture) => (sort === "oldest" ? f.createdAt : f.expiresAt).getTime();
  return fixtures
    .filter(filter)
    .sort((a, b) => key(a) - key(b) || (a.id < b.id ? -1 : 1))
    .map((f) => f.id);
}

const decided = (s: ApprovalStatus) => s === "approved" || s === "rejected";

describe("keyset pagination", () => {
  const cases: Array<{ name: string; q: Record<string, string>; filter: (f: Fixture) => boolean }> =
    [
      {
        name: "one agent",
        q: { agent: AGENTS[0]! },
        filter: (f) => f.agent === AGENTS[0] && f.status === "pending",
      },
      {
        name: "agent and tool",
        q: { agent: AGENTS[1]!, tool: "tool_two" },
        filter: (f) => f.agent === AGENTS[1] && f.tool === "tool_two" && f.status === "pending",
      },
      {
        name: "reason",
        q: { agent: AGENTS[0]!, reason: "low_confidence" },
        filter: (f) =>
          f.agent === AGENTS[0] &&
          f.reasonCodes.includes("low_confidence") &&
          f.status === "pending",
      },
      {
        name: "decided",
        q: { agent: AGENTS[0]!, status: "decided" },
        filter: (f) => f.agent === AGENTS[0] && decided(f.status),
      },
      {
        name: "expired",
        q: { agent: AGENTS[1]!, status: "expired" },
        filter: (f) => f.agent === AGENTS[1] && f.status === "expired",
      },
    ];
  for (const { name, q, filter } of cases) {
    for (const sort of ["oldest", "expiring"] as const) {
      for (const limit of [1, 7, 100]) {
        it(`walks every item once: ${name}, ${sort}, ${limit} per page`, async () => {
          const want = expected(filter, sort);
          expect(want.length).toBeGreaterThan(3);
          const { ids, total } = await walk(query({ ...q, sort, limit }));
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids).toEqual(want);
          expect(total).toBe(want.length);
        });
      }
    }
  }

  it("matches the database's own order across the whole pending queue", async () => {
    for (const sort of ["oldest", "expiring"] as const) {
      const column = sort === "oldest" ? "createdAt" : "expiresAt";
      const want = await db.approval.findMany({
        where: { status: "pending" },
        orderBy: [{ [column]: "asc" }, { id: "asc" }],
        select: { id: true },
      });
      const { ids, total } = await walk(query({ sort, limit: 13 }));
      expect(ids).toEqual(want.map((w) => w.id));
      expect(total).toBe(want.length);
    }
  });

  it("neither repeats nor skips an item when items are decided between pages", async () => {
    const q = query({ agent: AGENTS[1]!, sort: "expiring", limit: 5 });
    const before = expected((f) => f.agent === AGENTS[1] && f.status === "pending", "expiring");
    const gone = new Set<string>();
    const { ids } = await walk(q, async (page) => {
      // Decide one item already shown and one not yet shown.
      const shown = before[page * 5]!;
      const ahead = before[page * 5 + 7];
      for (const id of [shown, ahead]) {
        if (!id || gone.has(id)) continue;
        gone.add(id);
        await db.approval.update({ where: { id }, data: { status: "approved" } });
        fixtures.find((f) => f.id === id)!.status = "approved";
      }
    });
    expect(new Set(ids).size).toBe(ids.length);
    // Everything still pending was seen, in order; nothing decided before its page was shown.
    const stillPending = expected(
      (f) => f.agent === AGENTS[1] && f.status === "pending",
      "expiring",
    );
    expect(ids.filter((id) => !gone.has(id))).toEqual(stillPending);
  });

  it("refuses a cursor that is malformed or belongs to the other sort order", async () => {
    const first = await listPending(query({ agent: AGENTS[0]!, limit: 2 }));
    expect(first.nextCursor).toBeTruthy();
    const wrongSort = new URLSearchParams({
      agent: AGENTS[0]!,
      sort: "expiring",
      cursor: first.nextCursor!,
    });
    expect(() => parseInboxSearch(wrongSort)).toThrow(/another sort order/);
    expect(() => parseInboxSearch(new URLSearchParams({ cursor: "not-a-cursor" }))).toThrow(
      /cursor is not valid/,
    );
    expect(() => parseInboxSearch(new URLSearchParams({ status: "maybe" }))).toThrow(AppError);
    expect(() => parseInboxSearch(new URLSearchParams({ limit: "1000" }))).toThrow(/at most 100/);
    // Reasons are filtered by code, not by matching prose.
    expect(() => parseInboxSearch(new URLSearchParams({ reason: "low confidence" }))).toThrow(
      /reason is one of irreversible, required_by_settings/,
    );
    // Empty parameters are "no filter", as an HTML form sends them.
    expect(
      parseInboxSearch(new URLSearchParams({ agent: "", tool: "", cursor: "" })),
    ).toMatchObject({ status: "pending", sort: "oldest", limit: 50 });
  });

  it("describes each item for triage", async () => {
    const page = await listPending(query({ agent: AGENTS[0]!, reason: "no_confidence", limit: 1 }));
    const item = page.items[0]!;
    expect(item).toMatchObject({
      agent: AGENTS[0],
      status: "pending",
      requestedBy: "user@example.com",
      claim: null,
      decidedBy: null,
    });
    expect(item.reasons).toContain("no stated confidence");
    expect(item.summary).toMatch(/"n":\d+/);
    expect(item.proposedHash).toMatch(/^\d{64}$/);
  });
});

async function parkedRefund() {
  const orderId = await freshOrder(2500);
  const user = await actorFor("user@example.com");
  const { runId } = await startTurn(user, {
    text: `Order ${orderId} arrived broken, I want my money back`,
  });
  expect(await advanceRun(runId, { model: new OfflineDemoModel(), workerId: "inbox-test" })).toBe(
    "advanced",
  );
  const approval = await db.approval.findFirstOrThrow({ where: { runId } });
  // The policy's reasons are stored as codes beside the sentences.
  expect(approval.reasonCodes).toEqual(["irreversible"]);
  return { approval, orderId };
}

describe("claims", () => {
  it("claims on opening, shows the holder to others, never blocks a decision, and is released by it", async () => {
    const { approval, orderId } = await parkedRefund();
    const [riley, robin] = await Promise.all([
      actorFor("reviewer@example.com"),
      actorFor("reviewer2@example.com"),
    ]);

    const mine = await claimApproval(riley, approval.id);
    expect(mine).toMatchObject({
      status: "pending",
      claim: { holderName: "Riley Reviewer", holderEmail: "reviewer@example.com", mine: true },
    });
    const until = new Date(mine.claim!.until).getTime();
    expect(until - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(5 * 60_000);

    // The second reviewer does not take it over, and sees who is on it everywhere.
    const theirs = await claimApproval(robin, approval.id);
    expect(theirs.claim).toMatchObject({ holderName: "Riley Reviewer", mine: false });
    expect((await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).claimedById).toBe(
      riley.id,
    );
    expect((await approvalPacket(approval.id, robin.id))!.claim).toMatchObject({
      holderName: "Riley Reviewer",
      mine: false,
    });
    expect((await approvalPacket(approval.id, riley.id))!.claim).toMatchObject({ mine: true });
    const row = (
      await listPending(
        query({ agent: "refunds", tool: "issue_refund", sort: "expiring", limit: 100 }),
        robin.id,
      )
    ).items.find((i) => i.id === approval.id);
    expect(row?.claim).toMatchObject({ holderName: "Riley Reviewer", mine: false });
    expect(row?.summary).toContain(`order ${orderId}`);

    // A lapsed claim is nobody's: the next reviewer to open the item takes it.
    await db.approval.update({
      where: { id: approval.id },
      data: { claimedUntil: new Date(Date.now() - 1000) },
    });
    expect((await approvalPacket(approval.id, robin.id))!.claim).toBeNull();
    expect((await claimApproval(robin, approval.id)).claim).toMatchObject({
      holderName: "Robin Reviewer",
      mine: true,
    });

    // Riley decides although Robin holds the claim; the decision releases it.
    await expect(
      decideApproval(riley, {
        decision: "approve",
        approvalId: approval.id,
        expectedHash: approval.proposedHash,
      }),
    ).resolves.toMatchObject({
      status: "approved",
    });
    const after = await db.approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(after).toMatchObject({ status: "approved", claimedById: null, claimedUntil: null });
    expect(await claimApproval(robin, approval.id)).toEqual({ status: "approved", claim: null });
    expect(
      (await db.approval.findUniqueOrThrow({ where: { id: approval.id } })).claimedById,
    ).toBeNull();
  });

  it("never shows a claim on a decided item, and refuses to claim an unknown one", async () => {
    const claimedBy = { name: "Riley Reviewer", email: "reviewer@example.com" };
    const future = new Date(Date.now() + 60_000);
    expect(
      activeClaim({ status: "rejected", claimedById: "x", claimedUntil: future, claimedBy }, "y"),
    ).toBeNull();
    expect(
      activeClaim({ status: "pending", claimedById: "x", claimedUntil: future, claimedBy }, "y"),
    ).toMatchObject({ mine: false });
    const riley = await actorFor("reviewer@example.com");
    await expect(claimApproval(riley, randomUUID())).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the edit form generated from a tool's JSON schema", () => {
  const schema = z.toJSONSchema(
    z.object({
      order_id: z.number().int().positive(),
      ratio: z.number().min(0).max(1).optional(),
      reason: z.string().min(3).max(500),
      note: z.string().max(2000).optional(),
      channel: z.enum(["email", "sms"]),
      notify: z.boolean(),
    }),
  );

  it("maps integers, numbers, strings, enums and booleans to fields", () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ["order_id", "number", true],
      ["ratio", "number", false],
      ["reason", "string", true],
      ["note", "string", false],
      ["channel", "enum", true],
      ["notify", "boolean", true],
    ]);
    expect(fields[0]).toMatchObject({ integer: true, min: 1 });
    expect(fields[1]).toMatchObject({ integer: false, min: 0, max: 1 });
    expect(fields[2]).toMatchObject({ multiline: true, minLength: 3 });
    expect(fields[4]).toMatchObject({ options: ["email", "sms"] });
  });

  it("round-trips arguments through form values and validates them like the server", () => {
    const fields = fieldsOf(schema);
    const proposed = { order_id: 1042, reason: "Arrived broken", channel: "email", notify: true };
    const values = toFormValues(fields, proposed);
    expect(values).toEqual({
      order_id: "1042",
      ratio: "",
      reason: "Arrived broken",
      note: "",
      channel: "email",
      notify: true,
    });
    expect(fromFormValues(fields, values)).toEqual({ args: proposed, errors: {} });
    expect(validateArguments(schema, proposed)).toEqual({});

    const edited = fromFormValues(fields, {
      ...values,
      order_id: "12.5",
      ratio: "2",
      reason: "no",
      channel: "sms",
      notify: false,
    });
    expect(edited.errors).toEqual({});
    const errors = validateArguments(schema, edited.args);
    expect(Object.keys(errors).sort()).toEqual(["order_id", "ratio", "reason"]);
    expect(fromFormValues(fields, { ...values, order_id: "" }).errors).toEqual({
      order_id: "Required",
    });
    expect(diffArguments(proposed, edited.args)).toEqual([
      { field: "order_id", before: 1042, after: 12.5 },
      { field: "reason", before: "Arrived broken", after: "no" },
      { field: "channel", before: "email", after: "sms" },
      { field: "notify", before: true, after: false },
      { field: "ratio", before: undefined, after: 2 },
    ]);
  });
});
