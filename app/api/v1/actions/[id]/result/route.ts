import { reportResult } from "@/lib/external";
import { agentRoute } from "@/lib/external/route";
import { readJsonObject } from "@/lib/http";

export const dynamic = "force-dynamic";

// POST /api/v1/actions/{id}/result (agent key) — { grant, status: succeeded | failed, result?, error? }.
// 200 once; the same grant again → 409; a wrong grant → 403.
export const POST = agentRoute<{ id: string }>(async (agent, request, { id }) => ({
  body: await reportResult(agent, id, await readJsonObject(request)),
}));
