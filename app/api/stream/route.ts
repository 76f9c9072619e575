import { z } from "zod";
import { guardedRoute } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { chatView } from "@/lib/chat/service";
import { openLiveStream } from "@/lib/live/stream";

export const dynamic = "force-dynamic";

const EVERYONE = ["user", "reviewer", "admin"] as const;
const eventId = z
  .string()
  .regex(/^\d{1,18}$/, "Last-Event-ID must be the id of an event this stream sent");

// GET /api/stream — live updates as Server-Sent Events: pointers to what changed for the signed-in
// account (a customer's own thread and runs; a reviewer's items, follow-ups, notifications and
// runs), each checked against the reader before it is sent. The browser re-reads the data itself,
// except a customer's thread, which comes with its events (read as GET /api/chat reads it).
// A reconnect sends Last-Event-ID (the browser does) and gets everything since, or a "reset".
export const GET = guardedRoute(EVERYONE, async (actor, request) => {
  const header = request.headers.get("last-event-id");
  let lastEventId: bigint | null = null;
  if (header !== null && header !== "") {
    const parsed = eventId.safeParse(header.trim());
    if (!parsed.success) throw new AppError("invalid_input", parsed.error.issues[0]!.message);
    lastEventId = BigInt(parsed.data);
  }
  return openLiveStream(actor, lastEventId, request.signal, {
    ...(actor.role === "user" && { readThread: () => chatView(actor) }),
  });
});
