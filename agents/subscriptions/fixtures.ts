import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { defineFixtures, TOOL_ERROR_KINDS } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { BILLING_OPERATIONS, billingFaults } from "./sandbox";

// The subscriptions agent's eval fixtures: the demo customer's subscriptions at the demo billing
// service, fresh for each case ("{subscription}" is the first one's id), and the service's failures.
// The demo customer's seeded subscriptions are set aside for the case, so only the case's are seen.

const subscription = z.object({
  plan: z.string().default("Coffee club"),
  status: z.enum(["active", "paused", "cancelled"]).default("active"),
  monthlyCents: z.number().int().min(1).default(1990),
  /** Credited in the last 30 days already. */
  creditedCents: z.number().int().min(0).default(0),
});

const subscriptionsState = z.object({
  subscriptions: z.array(subscription).default([]),
  faults: z
    .array(
      z.object({
        operation: z.enum(BILLING_OPERATIONS),
        kind: z.enum(TOOL_ERROR_KINDS),
        times: z.number().int().min(1).default(1),
      }),
    )
    .default([]),
});

const readBack = z.object({
  subscriptions: z.array(
    z.object({
      subscriptionId: z.string(),
      plan: z.string(),
      status: z.enum(["active", "paused", "cancelled"]),
      monthlyCents: z.number().int(),
      creditedCents: z.number().int(),
    }),
  ),
});

const renewal = () => new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

export const subscriptionsFixtures = defineFixtures({
  state: subscriptionsState,
  async setUp(state, { subject }) {
    billingFaults.set(state.faults);
    // Earlier cases' subscriptions (and the seed's) go to an archive address: the case sees only its own.
    await db.$executeRaw`update demo_billing_subscriptions set customer_email = ${`archived+${subject.email}`} where customer_email = ${subject.email}`;
    const ids: string[] = [];
    for (const s of state.subscriptions) {
      const id = `sub_eval_${randomBytes(5).toString("hex")}`;
      await db.$executeRaw`insert into demo_billing_subscriptions (id, customer_email, plan, status, monthly_cents, renews_on)
        values (${id}, ${subject.email}, ${s.plan}, ${s.status}, ${s.monthlyCents}, ${renewal()})`;
      if (s.creditedCents > 0) {
        await db.$executeRaw`insert into demo_billing_credits (id, subscription_id, amount_cents, reason, idempotency_key)
          values (${`cr_eval_${id}`}, ${id}, ${s.creditedCents}, 'eval state: credited before', ${`eval-state-${id}`})`;
      }
      ids.push(id);
    }
    return ids.length ? { subscription: ids[0]! } : {};
  },
  async tearDown() {
    billingFaults.clear();
  },
  // The subscriptions as the agent read them before proposing the call become the case's own.
  fromDecision({ arguments: args, reads }) {
    const read = reads
      .filter((r) => r.tool === "get_subscription")
      .map((r) => readBack.safeParse(r.result))
      .find((r) => r.success);
    const decided = read?.data?.subscriptions.find(
      (s) => s.subscriptionId === args.subscription_id,
    );
    if (!read?.success || !decided) return null;
    const { plan, status, monthlyCents, creditedCents } = decided;
    return {
      state: { subscriptions: [{ plan, status, monthlyCents, creditedCents }], faults: [] },
      placeholders: { subscription: decided.subscriptionId },
    };
  },
});
