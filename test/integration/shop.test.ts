// The demo shop behaves like a payment provider: every write is idempotent per key, refunds never
// exceed what was paid, and one customer cannot reach another's orders.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { ToolError, type ToolErrorKind } from "@/lib/agent-kit";
import { Shop, type RefundView } from "@/agents/demo-shop/service";
import { setFault } from "@/agents/demo-shop/faults";
import { freshOrder } from "../support/orders";

const ada = () => new Shop(db, "user@example.com");
const grace = () => new Shop(db, "user2@example.com");
const key = () => `test_${randomUUID()}`;

async function shopErrorOf(promise: Promise<unknown>): Promise<ToolErrorKind> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return (error as ToolError).kind;
}

describe("idempotency keys", () => {
  it("answers a repeated request with the first refund and writes one row", async () => {
    const orderId = await freshOrder(5000, "cus_ada");
    const k = key();
    const request = { orderId, amountCents: 1200, reason: "Scratched lid" };
    const first = await ada().issueRefund(request, k);
    const second = await ada().issueRefund({ ...request }, k);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ orderId, amountCents: 1200, reason: "Scratched lid" });
    expect(await db.refund.count({ where: { orderId } })).toBe(1);
    expect(await db.refund.count({ where: { idempotencyKey: k } })).toBe(1);
    expect(await db.idempotencyRecord.count({ where: { scope: "demo-shop", key: k } })).toBe(1);
    expect((await ada().lookupOrder(orderId)).refundableCents).toBe(3800);
  });

  it("refuses the same key for a different request and writes nothing more", async () => {
    const orderId = await freshOrder(5000, "cus_ada");
    const k = key();
    const first = await ada().issueRefund(
      { orderId, amountCents: 1000, reason: "Late delivery" },
      k,
    );
    expect(
      await shopErrorOf(
        ada().issueRefund({ orderId, amountCents: 2000, reason: "Late delivery" }, k),
      ),
    ).toBe("conflict");
    expect(
      await shopErrorOf(
        ada().issueRefund({ orderId, amountCents: 1000, reason: "Another reason" }, k),
      ),
    ).toBe("conflict");
    // The same key on another kind of write is a different request too.
    expect(await shopErrorOf(ada().addOrderNote({ orderId, text: "note" }, k))).toBe("conflict");
    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds.map((r) => [r.id, r.amountCents])).toEqual([[first.refundId, 1000]]);
    expect(await db.orderNote.count({ where: { orderId } })).toBe(0);
  });

  it("writes one refund when 10 requests with the same key race (partial amount)", async () => {
    const orderId = await freshOrder(9000, "cus_ada");
    const k = key();
    const request = { orderId, amountCents: 3000, reason: "Partial refund" };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => ada().issueRefund({ ...request }, k)),
    );
    const values = results.map((r) =>
      r.status === "fulfilled"
        ? r.value
        : r.reason instanceof Error
          ? `${r.reason.name}: ${r.reason.message}`
          : String(r.reason),
    );
    const ok = results.filter(
      (r): r is PromiseFulfilledResult<RefundView> => r.status === "fulfilled",
    );
    expect(ok, JSON.stringify(values)).toHaveLength(10);
    expect(new Set(ok.map((r) => r.value.refundId)).size).toBe(1);
    expect(await db.refund.count({ where: { orderId } })).toBe(1);
  });

  it("writes one refund when 10 requests with the same key race (full amount)", async () => {
    // A retry of the same request must get the first answer, even when the first refund used up
    // the balance: the key, not the balance check, decides what a repeated request means.
    const orderId = await freshOrder(4500, "cus_ada");
    const k = key();
    const request = { orderId, amountCents: 4500, reason: "Full refund" };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => ada().issueRefund({ ...request }, k)),
    );
    const values = results.map((r) =>
      r.status === "fulfilled"
        ? r.value.refundId
        : r.reason instanceof ToolError
          ? `ToolError ${r.reason.kind}: ${r.reason.message}`
          : String(r.reason),
    );
    const ok = results.filter(
      (r): r is PromiseFulfilledResult<RefundView> => r.status === "fulfilled",
    );
    expect(await db.refund.count({ where: { orderId } })).toBe(1);
    expect(ok, JSON.stringify(values)).toHaveLength(10);
    expect(new Set(ok.map((r) => r.value.refundId)).size).toBe(1);
  });
});

describe("refundable balance", () => {
  it("lets only one of two concurrent refunds with different keys through when together they exceed the balance", async () => {
    const orderId = await freshOrder(5000, "cus_ada");
    const results = await Promise.allSettled([
      ada().issueRefund({ orderId, amountCents: 3000, reason: "First claim" }, key()),
      ada().issueRefund({ orderId, amountCents: 2500, reason: "Second claim" }, key()),
    ]);
    const ok = results.filter(
      (r): r is PromiseFulfilledResult<RefundView> => r.status === "fulfilled",
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(ToolError);
    expect((failed[0]!.reason as ToolError).kind).toBe("invalid_arguments");
    expect((failed[0]!.reason as ToolError).message).toMatch(/can still be refunded/);
    const refunds = await db.refund.findMany({ where: { orderId } });
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.id).toBe(ok[0]!.value.refundId);
    expect((await ada().lookupOrder(orderId)).refundableCents).toBe(5000 - refunds[0]!.amountCents);
  });

  it("never refunds more than was paid across many concurrent keys", async () => {
    const orderId = await freshOrder(1000, "cus_ada");
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        ada().issueRefund({ orderId, amountCents: 300, reason: `Claim ${i}` }, key()),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results)
      if (r.status === "rejected") expect((r.reason as ToolError).kind).toBe("invalid_arguments");
    const total = (await db.refund.findMany({ where: { orderId } })).reduce(
      (sum, r) => sum + r.amountCents,
      0,
    );
    expect(total).toBe(900);
  });
});

describe("customer scoping", () => {
  it("reports another customer's order exactly like a missing one, for reads and writes", async () => {
    const graceOrder = await freshOrder(4200, "cus_grace");
    expect((await grace().lookupOrder(graceOrder)).totalCents).toBe(4200);

    expect(await shopErrorOf(ada().lookupOrder(graceOrder))).toBe("not_found");
    expect(await shopErrorOf(ada().listRefunds(graceOrder))).toBe("not_found");
    expect(await shopErrorOf(ada().refundState(graceOrder))).toBe("not_found");
    expect(
      await shopErrorOf(
        ada().issueRefund({ orderId: graceOrder, amountCents: 100, reason: "Not my order" }, key()),
      ),
    ).toBe("not_found");
    expect(
      await shopErrorOf(ada().addOrderNote({ orderId: graceOrder, text: "Not my order" }, key())),
    ).toBe("not_found");

    // Same message as an order that does not exist at all: no existence oracle.
    const missing = await ada()
      .lookupOrder(graceOrder + 1)
      .then(
        () => "found",
        (e: unknown) => (e as Error).message.replace(String(graceOrder + 1), "N"),
      );
    const foreign = await ada()
      .lookupOrder(graceOrder)
      .then(
        () => "found",
        (e: unknown) => (e as Error).message.replace(String(graceOrder), "N"),
      );
    expect(foreign).toBe(missing);

    expect(await db.refund.count({ where: { orderId: graceOrder } })).toBe(0);
    expect(await db.orderNote.count({ where: { orderId: graceOrder } })).toBe(0);
    const adaView = await ada().lookupCustomer();
    expect(adaView.orders.map((o) => o.orderId)).not.toContain(graceOrder);
  });

  it("reads an order's balance and refunds in one call, as lookupOrder and listRefunds say them", async () => {
    const orderId = await freshOrder(5000, "cus_ada");
    await ada().issueRefund({ orderId, amountCents: 1200, reason: "Scratched lid" }, key());
    await ada().issueRefund({ orderId, amountCents: 300, reason: "Late delivery" }, key());
    const state = await ada().refundState(orderId);
    const order = await ada().lookupOrder(orderId);
    expect(state).toEqual({
      orderId,
      currency: order.currency,
      refundableCents: 3500,
      refunds: await ada().listRefunds(orderId),
    });
    expect(state.refunds.map((r) => r.amountCents)).toEqual([1200, 300]);

    // Asked at once, the reads go together (lib/db/group.ts) and each caller gets its own order's.
    const graceOrder = await freshOrder(4200, "cus_grace");
    const [again, gracesOwn, foreign] = await Promise.allSettled([
      ada().refundState(orderId),
      grace().refundState(graceOrder),
      ada().refundState(graceOrder),
      ada().refundState(orderId),
    ]);
    expect(again).toEqual({ status: "fulfilled", value: state });
    expect(gracesOwn).toMatchObject({ status: "fulfilled", value: { refundableCents: 4200 } });
    expect(foreign).toMatchObject({ status: "rejected", reason: { kind: "not_found" } });

    // A failure switch on either operation it stands for fails it, and is used up as a call would.
    await setFault(db, { operation: "list_refunds", mode: "upstream_error", remaining: 1 });
    expect(await shopErrorOf(ada().refundState(orderId))).toBe("upstream_error");
    expect((await ada().refundState(orderId)).refundableCents).toBe(3500);
  });

  it("does not burn the key of a refused write", async () => {
    const graceOrder = await freshOrder(4200, "cus_grace");
    const k = key();
    expect(
      await shopErrorOf(
        ada().issueRefund({ orderId: graceOrder, amountCents: 100, reason: "Not my order" }, k),
      ),
    ).toBe("not_found");
    expect(await db.idempotencyRecord.count({ where: { scope: "demo-shop", key: k } })).toBe(0);
  });
});
