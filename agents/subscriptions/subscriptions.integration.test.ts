// The subscriptions agent end to end on the offline model, written with the agent kit's testing
// module. Its tools call the demo billing service over real HTTP (a loopback server in front of
// the service's own handler, so the test sees every request): a question reads once, a pause runs
// at once, a cancellation waits for a reviewer and happens once under the call's idempotency key,
// a second decision is refused, a rejection's reason reaches the customer.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { agentTester, DEMO, serveOverHttp } from "@/lib/agent-kit/testing";
import { decideApproval } from "@/lib/approvals/decide";
import { db } from "@/lib/db";
import { handleBillingRequest } from "./billing/http";

let billing: Awaited<ReturnType<typeof serveOverHttp>>;
const t = agentTester();
const seen = () =>
  billing.received.map((r) => ({ method: r.method, path: r.path, key: r.idempotencyKey }));

beforeAll(async () => {
  billing = await serveOverHttp(handleBillingRequest, "/billing");
  // Read once, when the first run builds its deps: set before any run.
  process.env.COUNTERSIGN_BILLING_URL = billing.url;
});
afterAll(async () => {
  delete process.env.COUNTERSIGN_BILLING_URL;
  await billing.close();
  await t.close();
});
beforeEach(() => void (billing.received.length = 0));

/** A subscription of the demo customer of its own, so tests never share one. */
async function aSubscription(monthlyCents = 1990): Promise<string> {
  const id = `sub_test_${randomBytes(4).toString("hex")}`;
  await db.$executeRaw`insert into demo_billing_subscriptions (id, customer_email, plan, status, monthly_cents, renews_on)
    values (${id}, ${DEMO.customer}, 'Tea club', 'active', ${monthlyCents}, '2030-01-10')`;
  // Made behind the agent's back: its cached read of the customer's subscriptions is stale now.
  await db.toolCacheEntry.deleteMany({ where: { agent: "subscriptions" } });
  return id;
}
const statusOf = async (id: string) =>
  (
    await db.$queryRaw<
      Array<{ status: string }>
    >`select status from demo_billing_subscriptions where id = ${id}`
  )[0]?.status;

describe("subscriptions agent", () => {
  it("answers a question about the plan with one read, scoped to the customer", async () => {
    // get_subscription is cached for a minute: a read another test just made would be served without a request.
    await db.toolCacheEntry.deleteMany({ where: { agent: "subscriptions" } });
    const run = await t.ask("When does my subscription renew?", DEMO.otherCustomer);
    expect(run).toMatchObject({
      agent: "subscriptions",
      intent: "subscription_billing",
      status: "completed",
    });
    expect(run.answer).toMatch(
      /Book box subscription \(€29\.00 a month\) is active and renews on \w+day \d{1,2} \w+/,
    );
    expect(seen()).toEqual([{ method: "GET", path: "/billing/v1/subscriptions", key: null }]);
  });

  it("pauses at once: an automatic write, sent with its idempotency key", async () => {
    const id = await aSubscription();
    const run = await t.ask(`Please pause my subscription ${id} for two months`);
    expect(run.status).toBe("completed");
    expect(run.calls.find((c) => c.tool === "pause_subscription")).toMatchObject({
      status: "succeeded",
      approval: null,
      arguments: { subscription_id: id, months: 2 },
    });
    expect(await statusOf(id)).toBe("paused");
    const pause = seen().find((s) => s.path.endsWith("/pause"));
    expect(pause?.key).toBe(run.calls.find((c) => c.tool === "pause_subscription")!.idempotencyKey);
  });

  it("parks a cancellation for a reviewer, cancels once after approval, and refuses a second decision", async () => {
    const id = await aSubscription();
    let run = await t.ask(`Please cancel my subscription ${id}`);
    expect(run.status).toBe("awaiting_approval");
    expect(run.pending).toEqual([
      {
        tool: "cancel_subscription",
        approvalId: expect.any(String),
        arguments: { subscription_id: id },
      },
    ]);
    expect(await statusOf(id)).toBe("active");

    const approvalId = run.pending[0]!.approvalId;
    run = await t.approve(run, "cancel_subscription");
    expect(run.status).toBe("completed");
    expect(run.answer).toMatch(/^Done: your Tea club subscription is cancelled/);
    expect(await statusOf(id)).toBe("cancelled");
    const cancels = seen().filter((s) => s.path.endsWith("/cancel"));
    expect(cancels.map((c) => c.key)).toEqual([
      run.calls.find((c) => c.tool === "cancel_subscription")!.idempotencyKey,
    ]);

    const other = await db.user.findUniqueOrThrow({ where: { email: "reviewer2@example.com" } });
    await expect(
      decideApproval({ ...other, role: other.role }, { approvalId, decision: "approve" }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(seen().filter((s) => s.path.endsWith("/cancel"))).toHaveLength(1);
  });

  it("tells the customer the reviewer's reason when a credit is rejected, and credits nothing", async () => {
    const id = await aSubscription(2490);
    let run = await t.ask(`I was charged twice for my subscription ${id}`);
    expect(run.pending.map((p) => [p.tool, p.arguments.amount_cents])).toEqual([
      ["issue_credit", 2490],
    ]);
    run = await t.reject(run, "issue_credit", "The second charge was a refund of an earlier order");
    expect(run.messages.join("\n")).toContain(
      "Their reason: “The second charge was a refund of an earlier order”",
    );
    expect(seen().some((s) => s.path.endsWith("/credits"))).toBe(false);
    const trace = await t.trace(run);
    expect(trace.map((e) => e.name)).toContain("issue_credit → rejected");
  });
});
