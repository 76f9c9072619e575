// The floor for e2e/turn-latency.spec.ts: the same customer turns straight on the engine, in this
// process, on the app's database, with no HTTP, no queue and no stream. A turn is what the chat's
// send writes (the spend check, the run, the customer's message; lib/chat/service.ts) followed
// by advanceRun until the run ends: the time a worker needs, with no pickup wait. Not enqueued, so
// the app's own workers never race this process for the run.
// Usage (DATABASE_URL set): tsx --conditions=react-server e2e/support/engine-turns.ts <email> <text>...
// Prints one JSON line: { "turnsMs": [...] }.
import "@/lib/features";
import { db } from "@/lib/db";
import { modelProvider } from "@/lib/model";
import { advanceRun } from "@/lib/runtime/advance";
import { WORKER_ID } from "@/lib/runtime/lease";
import { TERMINAL_RUN_STATUSES } from "@/lib/runtime/state-machines";
import { admitTurn } from "@/lib/spend/turn-gate";

const [email, ...texts] = process.argv.slice(2);
if (!email || texts.length === 0) {
  console.error("usage: engine-turns.ts <customer email> <turn text>...");
  process.exit(2);
}

async function oneTurn(userId: string, text: string): Promise<number> {
  const started = performance.now();
  const runId = await db.$transaction(async (tx) => {
    await admitTurn(tx, userId);
    const conversation =
      (await tx.conversation.findFirst({ where: { userId }, orderBy: { createdAt: "desc" } })) ??
      (await tx.conversation.create({ data: { userId } }));
    const run = await tx.run.create({
      data: {
        conversationId: conversation.id,
        userId,
        request: text,
        modelProvider: modelProvider().name,
        deadlineAt: new Date(Date.now() + 300_000),
      },
    });
    await tx.message.create({
      data: { conversationId: conversation.id, author: "user", text, runId: run.id },
    });
    return run.id;
  });
  for (;;) {
    await advanceRun(runId, { model: modelProvider(), workerId: WORKER_ID });
    const ended = performance.now();
    const { status } = await db.run.findUniqueOrThrow({
      where: { id: runId },
      select: { status: true },
    });
    // Reading the status back is this script's bookkeeping, not the turn's: the clock stopped before it.
    if ((TERMINAL_RUN_STATUSES as readonly string[]).includes(status)) return ended - started;
    if (status === "awaiting_approval") throw new Error(`"${text}" parked: not a turn to time`);
  }
}

const user = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
const turnsMs: number[] = [];
for (const text of texts) turnsMs.push(await oneTurn(user.id, text));
console.log(JSON.stringify({ turnsMs }));
await db.$disconnect();
process.exit(0);
