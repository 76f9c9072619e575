import { z } from "zod";
import {
  fetchJson,
  ToolError,
  type DepsContext,
  type Subject,
  type ToolErrorKind,
} from "@/lib/agent-kit";
import { demoCarrierKey, type ShippingConfig } from "./config";

// The carrier's HTTP API as the shipping tools see it. Every failure arrives as a ToolError
// (fetchJson maps statuses and network failures), every request carries the deadline's signal,
// and every write carries the run's idempotency key.

export const shipmentView = z.object({
  trackingNumber: z.string(),
  orderId: z.number().int(),
  status: z.enum(["in_transit", "out_for_delivery", "delivered"]),
  deliveryDate: z.string(),
  city: z.string(),
});
export type ShipmentView = z.infer<typeof shipmentView>;

export const rescheduleView = z.object({
  rescheduleId: z.string(),
  trackingNumber: z.string(),
  previousDate: z.string(),
  deliveryDate: z.string(),
});
export const ticketView = z.object({
  ticketId: z.string(),
  trackingNumber: z.string().nullable(),
  subject: z.string(),
});

/** What the shipping tools need of a carrier: its HTTP API in live runs (CarrierClient), the demo carrier in-process in scratch runs (sandbox.ts). */
export const deliveryWindowView = z.object({ first: z.iso.date(), last: z.iso.date() });

export type Carrier = {
  trackByOrder(orderId: number, signal: AbortSignal): Promise<ShipmentView>;
  /** The days the carrier accepts for a new delivery day today (it only reads). */
  deliveryWindow(signal: AbortSignal): Promise<z.infer<typeof deliveryWindowView>>;
  reschedule(
    trackingNumber: string,
    date: string,
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<z.infer<typeof rescheduleView>>;
  openTicket(
    input: { trackingNumber: string | null; subject: string; description: string },
    idempotencyKey: string,
    signal: AbortSignal,
  ): Promise<z.infer<typeof ticketView>>;
};

export class CarrierClient implements Carrier {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    /** The carrier knows its recipients by email: every request is scoped to the subject's. */
    private readonly subject: Subject,
  ) {}

  /** The agent's createDeps: the configured carrier, for the customer the run acts for. */
  static for(subject: Subject, { config }: DepsContext<ShippingConfig>) {
    return new CarrierClient(config.baseUrl, config.key ?? demoCarrierKey(), subject);
  }

  private headers(extra: Record<string, string> = {}) {
    return {
      authorization: `Bearer ${this.key}`,
      "x-customer-email": this.subject.email,
      accept: "application/json",
      ...extra,
    };
  }

  trackByOrder(orderId: number, signal: AbortSignal) {
    return fetchJson(
      `${this.baseUrl}/v1/orders/${orderId}/shipment`,
      { headers: this.headers(), signal },
      shipmentView,
    );
  }

  deliveryWindow(signal: AbortSignal) {
    return fetchJson(
      `${this.baseUrl}/v1/delivery-window`,
      { headers: this.headers(), signal },
      deliveryWindowView,
    );
  }

  reschedule(trackingNumber: string, date: string, idempotencyKey: string, signal: AbortSignal) {
    return fetchJson(
      `${this.baseUrl}/v1/shipments/${encodeURIComponent(trackingNumber)}/reschedule`,
      {
        method: "POST",
        headers: this.headers({
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        }),
        body: JSON.stringify({ date }),
        signal,
      },
      rescheduleView,
    );
  }

  openTicket(
    input: { trackingNumber: string | null; subject: string; description: string },
    idempotencyKey: string,
    signal: AbortSignal,
  ) {
    return fetchJson(
      `${this.baseUrl}/v1/tickets`,
      {
        method: "POST",
        headers: this.headers({
          "content-type": "application/json",
          "idempotency-key": idempotencyKey,
        }),
        body: JSON.stringify(input),
        signal,
      },
      ticketView,
    );
  }
}

/**
 * The carrier's refusals, said for the customer: its own error text is technical (and untrusted),
 * so a refusal this agent understands gets a sentence of its own; the rest keep fetchJson's.
 */
export async function explainedForCustomer<T>(
  call: Promise<T>,
  sentences: Partial<Record<ToolErrorKind, string>>,
): Promise<T> {
  try {
    return await call;
  } catch (error) {
    const sentence = error instanceof ToolError ? sentences[error.kind] : undefined;
    if (!sentence || !(error instanceof ToolError)) throw error;
    throw new ToolError(error.kind, error.message, {
      retryAfterMs: error.retryAfterMs,
      customerMessage: sentence,
    });
  }
}
