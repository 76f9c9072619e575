import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { chatView, messageInput, startTurn } from "@/lib/chat/service";

export const dynamic = "force-dynamic";

// GET /api/chat — the signed-in customer's thread (the chat polls it).
export const GET = guardedRoute(SURFACE_ROLES.chat, (actor) => chatView(actor));

// POST /api/chat — { "text": "…" } sends a turn, as the chat's Send button does: 200 with the
// run that answers it, or 429 naming the limit reached and when to try again (nothing queued).
export const POST = guardedRoute(
  SURFACE_ROLES.chat,
  (actor, _request, _params, { body }) => startTurn(actor, body),
  { body: messageInput },
);
