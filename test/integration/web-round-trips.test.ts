// Counts, not times: the database round trips of the web tier's commonest requests, on a pool that
// counts every statement sent. Under load each statement waits for the event loop and a pooled
// connection, and the send's wait it with the user's lock held (docs/benchmarks.md).
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { actorForSession } from "@/lib/auth/actor";
import { endSession } from "@/lib/auth/sessions";
import { startTurn } from "@/lib/chat/service";
import { createClient, db, type Db } from "@/lib/db";
import { boss, stopBoss } from "@/lib/jobs/queue";
import { actorFor } from "../support/actors";
import { countingPool } from "../support/counting-pool";

// begin, the user's lock, the gate's one read (limits, spend, recent turns, runs in flight, the
// conversation), the run, the message, the job, commit.
const MAX_ROUND_TRIPS_PER_SEND = 7;
const globalForDb = globalThis as unknown as { countersignDb?: Db };

describe("database round trips of the web tier", () => {
  const healthy = globalForDb.countersignDb;
  let counted: ReturnType<typeof countingPool>;

  beforeEach(async () => {
    await boss(); // pg-boss's start-up runs on its own pool; only the request's statements are counted.
    counted = countingPool();
    globalForDb.countersignDb = createClient(counted.pool);
  });

  afterEach(async () => {
    const client = globalForDb.countersignDb!;
    globalForDb.countersignDb = healthy;
    await client.$disconnect();
  });

  afterAll(async () => {
    await stopBoss();
  });

  it(`a send (a customer's turn) takes at most ${MAX_ROUND_TRIPS_PER_SEND} round trips`, async () => {
    const customer = await actorFor("user@example.com");
    // The first turn creates the conversation; the second, counted, is the common case.
    await startTurn(customer, { text: "Hello" });
    const before = counted.counter.statements;
    const { runId } = await startTurn(customer, { text: "Where is my parcel?" });
    const trips = counted.counter.statements - before;
    if (process.env.ROUND_TRIPS_LOG) console.log(counted.counter.log.slice(before).join("\n"));
    console.log(`round trips: one send ${trips}`);

    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("queued");
    const messages = await db.message.findMany({ where: { runId } });
    expect(messages.map((m) => m.text)).toEqual(["Where is my parcel?"]);
    expect(trips).toBeLessThanOrEqual(MAX_ROUND_TRIPS_PER_SEND);
  });

  it("an authenticated request checks its session in one round trip, and an ended session is refused", async () => {
    const customer = await db.user.findUniqueOrThrow({ where: { email: "user@example.com" } });
    const claims = { uid: customer.id, sv: customer.sessionVersion, sid: randomUUID() };
    const before = counted.counter.statements;
    expect(await actorForSession(claims)).toEqual({
      id: customer.id,
      email: customer.email,
      name: customer.name,
      role: customer.role,
    });
    expect(counted.counter.statements - before).toBe(1);

    await endSession(claims);
    expect(await actorForSession(claims)).toBeNull();
    expect(await actorForSession({ ...claims, sv: claims.sv + 1 })).toBeNull();
  });
});
