// The demo services agents ship in their folders (the demo carrier at /api/demo/carrier/…), found
// through the registry. Each authenticates its callers itself, as the system it stands in for
// would (a bearer key, not a user's session).
import { registry } from "@/lib/agents";

type Context = { params: Promise<{ service: string; path: string[] }> };

export const dynamic = "force-dynamic";

async function handle(request: Request, { params }: Context): Promise<Response> {
  // Every demo service takes a bearer key; without one there is nothing to look up (and a browser's
  // cross-site request, which cannot carry one, is refused before anything else).
  if (!/^Bearer \S/.test(request.headers.get("authorization") ?? ""))
    return Response.json({ error: "Missing key" }, { status: 401 });
  const { service, path } = await params;
  const demo = registry.demoService(service);
  if (!demo) return Response.json({ error: `No demo service named ${service}` }, { status: 404 });
  return demo.handle(request, path);
}

export { handle as DELETE, handle as GET, handle as PATCH, handle as POST, handle as PUT };
