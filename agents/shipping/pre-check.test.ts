// The delivery-day tool's pre-check: it asks the carrier for today's window and warns, in words,
// when the proposed day has fallen outside it since the call was proposed.
import { describe, expect, it } from "vitest";
import type { PreCheckContext } from "@/lib/agent-kit";
import type { Carrier } from "./client";
import { rescheduleDelivery } from "./tools";

const withWindow = (first: string, last: string) =>
  ({
    subject: { id: "u1", email: "user@example.com", name: null },
    deps: { deliveryWindow: async () => ({ first, last }) } as unknown as Carrier,
    proposedAt: new Date(),
    alsoPending: [],
    signal: new AbortController().signal,
  }) as PreCheckContext<never, never>;

const call = (date: string) => ({ order_id: 1043, tracking_number: "TRK-1043", date }) as never;

describe("reschedule_delivery's pre-check", () => {
  it("warns when the day is past the carrier's last day, naming it", async () => {
    expect(
      await rescheduleDelivery.preCheck!(
        call("2026-12-25"),
        withWindow("2026-12-07", "2026-12-20"),
      ),
    ).toEqual(["the carrier accepts days up to 2026-12-20; 2026-12-25 is later"]);
  });
  it("warns when the day is before the first day it accepts", async () => {
    expect(
      await rescheduleDelivery.preCheck!(
        call("2026-12-06"),
        withWindow("2026-12-07", "2026-12-20"),
      ),
    ).toEqual(["the carrier accepts days from 2026-12-07; 2026-12-06 is earlier"]);
  });
  it("says nothing for a day inside the window", async () => {
    expect(
      await rescheduleDelivery.preCheck!(
        call("2026-12-20"),
        withWindow("2026-12-07", "2026-12-20"),
      ),
    ).toEqual([]);
  });
});
