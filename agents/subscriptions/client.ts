import { z } from "zod";
import { fetchJson, type DepsContext, type Subject } from "@/lib/agent-kit";
import { demoBillingKey, type SubscriptionsConfig } from "./config";

// The billing service's HTTP API as the tools see it. fetchJson turns every failure into a
// ToolError, every request carries the deadline's signal, every write the run's idempotency key.

export const subscriptionView = z.object({
  subscriptionId: z.string(),
  plan: z.string(),
  status: z.enum(["active", "paused", "cancelled"]),
  monthlyCents: z.number().int(),
  currency: z.string(),
  renewsOn: z.string(),
  creditedCents: z.number().int(),
  creditableCents: z.number().int(),
});
export const creditView = z.object({
  creditId: z.string(),
  subscriptionId: z.string(),
  amountCents: z.number().int(),
  currency: z.string(),
  reason: z.string(),
});
export type SubscriptionView = z.infer<typeof subscriptionView>;
export type CreditView = z.infer<typeof creditView>;

/** What the tools need of a billing service: its HTTP API live, the demo service in-process in scratch runs (sandbox.ts). */
export type Billing = {
  subscriptions(signal: AbortSignal): Promise<SubscriptionView[]>;
  pause(
    id: string,
    months: number,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<SubscriptionView>;
  cancel(id: string, idempotencyKey: string, signal: AbortSignal): Promise<SubscriptionView>;
  credit(
    id: string,
    input: { amountCents: number; reason: string },
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<CreditView>;
};

export class BillingClient implements Billing {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly subject: Subject,
  ) {}

  /** The agent's createDeps: the configured billing service, for the customer the run acts for. */
  static for(subject: Subject, { config }: DepsContext<SubscriptionsConfig>) {
    return new BillingClient(config.baseUrl, config.key ?? demoBillingKey(), subject);
  }

  private init(
    signal: AbortSignal,
    write?: { key: string; body: unknown },
  ): RequestInit & { signal: AbortSignal } {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.key}`,
      "x-customer-email": this.subject.email,
      accept: "application/json",
    };
    if (!write) return { headers, signal };
    return {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "idempotency-key": write.key },
      body: JSON.stringify(write.body),
      signal,
    };
  }

  private url = (id: string, action: string) =>
    `${this.baseUrl}/v1/subscriptions/${encodeURIComponent(id)}/${action}`;

  async subscriptions(signal: AbortSignal) {
    return (
      await fetchJson(
        `${this.baseUrl}/v1/subscriptions`,
        this.init(signal),
        z.object({ subscriptions: z.array(subscriptionView) }),
      )
    ).subscriptions;
  }
  pause(id: string, months: number, key: string, signal: AbortSignal) {
    return fetchJson(
      this.url(id, "pause"),
      this.init(signal, { key, body: { months } }),
      subscriptionView,
    );
  }
  cancel(id: string, key: string, signal: AbortSignal) {
    return fetchJson(
      this.url(id, "cancel"),
      this.init(signal, { key, body: {} }),
      subscriptionView,
    );
  }
  credit(
    id: string,
    input: { amountCents: number; reason: string },
    key: string,
    signal: AbortSignal,
  ) {
    return fetchJson(this.url(id, "credits"), this.init(signal, { key, body: input }), creditView);
  }
}
