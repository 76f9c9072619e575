import "server-only";
import { z } from "zod";
import { demoServiceHandler, type DemoRequest } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import { log } from "@/lib/log";
import { demoBillingKey } from "../config";
import {
  cancelSubscription,
  issueCredit,
  MAX_PAUSE_MONTHS,
  pauseSubscription,
  subscriptionOf,
  subscriptionsOf,
} from "./service";

// The demo billing service's HTTP API, as a billing provider would expose it (served at
// /api/demo/billing/…):
//   GET  v1/subscriptions                     → { subscriptions: [...] } of the customer
//   GET  v1/subscriptions/{id}                → one subscription
//   POST v1/subscriptions/{id}/pause          { months }               Idempotency-Key required
//   POST v1/subscriptions/{id}/cancel         {}                       Idempotency-Key required
//   POST v1/subscriptions/{id}/credits        { amountCents, reason }  Idempotency-Key required
// Bearer key and X-Customer-Email on every request (lib/agent-kit/demo-service.ts).

const id = z.string().regex(/^sub_[a-z0-9_]{2,40}$/);
const pauseBody = z.object({ months: z.number().int().min(1).max(MAX_PAUSE_MONTHS) }).strict();
const creditBody = z
  .object({
    amountCents: z.number().int().min(1).max(1_000_000),
    reason: z.string().trim().min(3).max(500),
  })
  .strict();

const change = (r: DemoRequest) => ({
  customerEmail: r.customer,
  subscriptionId: r.param(id, r.match[1], "subscription id"),
  idempotencyKey: r.idempotencyKey(),
});

export const handleBillingRequest = demoServiceHandler({
  expectedKey: demoBillingKey,
  onError: (error) => log.scoped("demo-billing").error("demo billing failed", { error }),
  routes: [
    {
      method: "GET",
      path: /^v1\/subscriptions$/,
      handle: async (r) => ({ response: { subscriptions: await subscriptionsOf(db, r.customer) } }),
    },
    {
      method: "GET",
      path: /^v1\/subscriptions\/([^/]+)$/,
      handle: async (r) => ({
        response: await subscriptionOf(db, r.customer, r.param(id, r.match[1], "subscription id")),
      }),
    },
    {
      method: "POST",
      path: /^v1\/subscriptions\/([^/]+)\/pause$/,
      handle: async (r) => pauseSubscription(db, change(r), (await r.body(pauseBody)).months),
    },
    {
      method: "POST",
      path: /^v1\/subscriptions\/([^/]+)\/cancel$/,
      async handle(r) {
        const what = change(r);
        await r.body(z.object({}).strict());
        return cancelSubscription(db, what);
      },
    },
    {
      method: "POST",
      path: /^v1\/subscriptions\/([^/]+)\/credits$/,
      async handle(r) {
        const what = change(r);
        return { ...(await issueCredit(db, what, await r.body(creditBody))), status: 201 };
      },
    },
  ],
});
