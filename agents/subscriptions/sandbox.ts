import "server-only";
import { faultSwitches, type Subject } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import type { Billing } from "./client";
import {
  cancelSubscription,
  issueCredit,
  pauseSubscription,
  subscriptionsOf,
} from "./billing/service";

// The subscriptions agent in scratch runs (evals, replay, re-runs, shadow): the demo billing
// service called in-process on the database the run works in (the scratch copy in an eval), never
// the service COUNTERSIGN_BILLING_URL names. An eval case can make it fail (fixtures.ts); the
// switches live in this process, which in an eval is the scratch process.

export const BILLING_OPERATIONS = ["read", "pause", "cancel", "credit"] as const;
export const billingFaults =
  faultSwitches<(typeof BILLING_OPERATIONS)[number]>("the billing service");

export function billingSandbox(subject: Subject): Billing {
  const change = (subscriptionId: string, idempotencyKey: string) => ({
    customerEmail: subject.email,
    subscriptionId,
    idempotencyKey,
  });
  return {
    async subscriptions() {
      billingFaults.failIfOn("read");
      return subscriptionsOf(db, subject.email);
    },
    async pause(id, months, key) {
      billingFaults.failIfOn("pause");
      return (await pauseSubscription(db, change(id, key), months)).response;
    },
    async cancel(id, key) {
      billingFaults.failIfOn("cancel");
      return (await cancelSubscription(db, change(id, key))).response;
    },
    async credit(id, input, key) {
      billingFaults.failIfOn("credit");
      return (await issueCredit(db, change(id, key), input)).response;
    },
  };
}
