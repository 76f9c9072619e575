import { getAction, waitForDecision } from "@/lib/external";
import { agentRoute } from "@/lib/external/route";
import { waitQuerySchema } from "@/lib/external/schemas";
import { parseInput } from "@/lib/external/validate";

export const dynamic = "force-dynamic";

// GET /api/v1/actions/{id}?wait=N (agent key) — the action's state; with wait (≤ 60 s) the
// answer comes as soon as it is decided, or when the wait is over (still pending).
export const GET = agentRoute<{ id: string }>(async (agent, request, { id }) => {
  const { wait } = parseInput(
    waitQuerySchema,
    Object.fromEntries(new URL(request.url).searchParams),
  );
  const view = wait
    ? await waitForDecision(agent, id, { timeoutMs: wait * 1000, signal: request.signal })
    : await getAction(agent, id);
  return { body: view };
});
