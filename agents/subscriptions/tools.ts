import { z } from "zod";
import { toolsFor } from "@/lib/agent-kit";
import { formatMoney } from "@/lib/format";
import type { Billing } from "./client";

const tool = toolsFor<Billing>();

const subscriptionId = z
  .string()
  .regex(/^sub_[a-z0-9_]{2,40}$/, "A subscription id like sub_ada_coffee, from get_subscription")
  .describe("The subscription's id, from get_subscription");

export const getSubscription = tool({
  name: "get_subscription",
  description:
    "The customer's subscriptions at the billing service: plan, status, monthly price, renewal day, and what may still be credited.",
  input: z.object({}),
  irreversible: false,
  readOnly: true,
  timeoutMs: 3_000,
  summarize: () => "the customer's subscriptions",
  describeForCustomer: () => "a look at your subscriptions",
  cache: { ttlSeconds: 60, records: () => ["subscriptions"] },
  execute: async (_input, { deps, signal }) => ({
    subscriptions: await deps.subscriptions(signal),
  }),
});

export const pauseSubscription = tool({
  name: "pause_subscription",
  description:
    "Pause a subscription for 1 to 3 months; it resumes by itself. Runs at once: it can be resumed, and nothing is charged meanwhile.",
  input: z.object({
    subscription_id: subscriptionId,
    months: z.number().int().min(1).max(3).describe("How many months, 1 to 3"),
  }),
  irreversible: false,
  timeoutMs: 4_000,
  summarize: (i) => `pause ${i.subscription_id} for ${i.months} month${i.months === 1 ? "" : "s"}`,
  describeForCustomer: (i) =>
    `pausing your subscription for ${i.months === 1 ? "a month" : `${i.months} months`}`,
  writes: () => ["subscriptions"],
  execute: (i, { deps, signal, idempotencyKey }) =>
    deps.pause(i.subscription_id, i.months, idempotencyKey, signal),
});

export const cancelSubscription = tool({
  name: "cancel_subscription",
  description: "Cancel a subscription for good. Irreversible: a team member confirms it first.",
  input: z.object({ subscription_id: subscriptionId }),
  irreversible: true,
  timeoutMs: 4_000,
  summarize: (i) => `cancel ${i.subscription_id}`,
  describeForCustomer: () => "cancelling your subscription",
  writes: () => ["subscriptions"],
  execute: (i, { deps, signal, idempotencyKey }) =>
    deps.cancel(i.subscription_id, idempotencyKey, signal),
});

export const issueCredit = tool({
  name: "issue_credit",
  description:
    "Credit money to a subscription, e.g. for a double charge: at most one month's price in 30 days. Irreversible: a team member confirms it first.",
  input: z.object({
    subscription_id: subscriptionId,
    amount_cents: z.number().int().min(1).max(100_000).describe("The credit in cents"),
    reason: z
      .string()
      .trim()
      .min(3)
      .max(300)
      .describe("Why, in one sentence, for the billing record"),
  }),
  irreversible: true,
  timeoutMs: 4_000,
  summarize: (i) => `${formatMoney(i.amount_cents)} on ${i.subscription_id}: ${i.reason}`,
  describeForCustomer: (i) => `a credit of ${formatMoney(i.amount_cents)} on your subscription`,
  describeEditForCustomer: (before, after) =>
    after.amount_cents !== before.amount_cents
      ? `set the credit to ${formatMoney(after.amount_cents)} instead of ${formatMoney(before.amount_cents)}`
      : null,
  writes: () => ["subscriptions"],
  execute: (i, { deps, signal, idempotencyKey }) =>
    deps.credit(
      i.subscription_id,
      { amountCents: i.amount_cents, reason: i.reason },
      idempotencyKey,
      signal,
    ),
});
