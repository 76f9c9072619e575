// The demo carrier, the HTTP service the shipping agent's tools call (agents/shipping/carrier).
// It authenticates with its own bearer key, not a user's session.
import { handleCarrierRequest } from "@/agents/shipping/carrier/http";

type Context = { params: Promise<{ path: string[] }> };

export const dynamic = "force-dynamic";

const handle = async (request: Request, { params }: Context) => handleCarrierRequest(request, (await params).path);

export { handle as GET, handle as POST };
