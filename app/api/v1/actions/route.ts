import { proposeAction } from "@/lib/external";
import { agentRoute } from "@/lib/external/route";
import { readJsonObject } from "@/lib/http";

export const dynamic = "force-dynamic";

// POST /api/v1/actions (agent key; Idempotency-Key required) — proposes one tool call.
// 201 { id, status: pending | approved | denied, reasons }; the same key and body again → the same
// answer; the same key with another body → 409.
export const POST = agentRoute(async (agent, request) => {
  const idempotencyKey = request.headers.get("idempotency-key");
  const body = await readJsonObject(request);
  const { replayed, ...answer } = await proposeAction(agent, body, idempotencyKey);
  return { body: answer, status: 201, headers: { "idempotent-replayed": String(replayed) } };
});
