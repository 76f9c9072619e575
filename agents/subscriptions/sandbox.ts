import "server-only";
import { ToolError, type Subject, type ToolErrorKind } from "@/lib/agent-kit";
import { db } from "@/lib/db";
import type { Billing } from "./client";
import { cancelSubscription, issueCredit, pauseSubscription, subscriptionsOf } from "./billing/service";

// The subscriptions agent in scratch runs (evals, replay, re-runs, shadow): the demo billing
// service called in-process on the database the run works in (the scratch copy in an eval), never
// the service COUNTERSIGN_BILLING_URL names. An eval case can make it fail (fixtures.ts); the
// switches live in this process, which in an eval is the scratch process.

export const BILLING_OPERATIONS = ["read", "pause", "cancel", "credit"] as const;
type Fault = { operation: (typeof BILLING_OPERATIONS)[number]; kind: ToolErrorKind; times: number };

let faults: Fault[] = [];
export const setBillingFaults = (next: Fault[]) => void (faults = next.map((f) => ({ ...f })));
export const clearBillingFaults = () => void (faults = []);

function failIfSwitchedOn(operation: Fault["operation"]) {
  const fault = faults.find((f) => f.operation === operation && f.times > 0);
  if (!fault) return;
  fault.times--;
  throw new ToolError(fault.kind, `The billing service failed (${fault.kind}, switched on by the eval case)`);
}

export function billingSandbox(subject: Subject): Billing {
  const change = (subscriptionId: string, idempotencyKey: string) => ({ customerEmail: subject.email, subscriptionId, idempotencyKey });
  return {
    async subscriptions() {
      failIfSwitchedOn("read");
      return subscriptionsOf(db, subject.email);
    },
    async pause(id, months, key) {
      failIfSwitchedOn("pause");
      return (await pauseSubscription(db, change(id, key), months)).response;
    },
    async cancel(id, key) {
      failIfSwitchedOn("cancel");
      return (await cancelSubscription(db, change(id, key))).response;
    },
    async credit(id, input, key) {
      failIfSwitchedOn("credit");
      return (await issueCredit(db, change(id, key), input)).response;
    },
  };
}
