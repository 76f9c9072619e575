import { guardedRoute } from "@/lib/auth/guards";
import { SURFACE_ROLES } from "@/lib/auth/roles";
import { chatView } from "@/lib/chat/service";

export const dynamic = "force-dynamic";

export const GET = guardedRoute(SURFACE_ROLES.chat, (actor) => chatView(actor));
