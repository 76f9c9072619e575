import { openApiDocument } from "@/lib/external/openapi";

export const dynamic = "force-dynamic";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of the agent API (public: it holds no data).
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
