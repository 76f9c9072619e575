import "server-only";
import { timingSafeEqual } from "node:crypto";
import { requireTokenActor } from "@/lib/auth/tokens";
import { env } from "@/lib/env";
import { AppError, HTTP_STATUS, toClientError } from "@/lib/errors";
import { metricsSnapshot } from "./metrics-snapshot";
import { prometheusRegistry } from "./prometheus";

// GET /api/metrics. Authenticated inside: `Authorization: Bearer <COUNTERSIGN_METRICS_TOKEN>`
// (a scraper's shared secret), or an admin's personal access token with the read scope.

function matchesScrapeToken(presented: string): boolean {
  const expected = env().COUNTERSIGN_METRICS_TOKEN;
  if (!expected) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function authorise(request: Request): Promise<void> {
  const authorization = request.headers.get("authorization");
  const bearer = authorization && /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!bearer)
    throw new AppError(
      "unauthenticated",
      "Send the scrape token (COUNTERSIGN_METRICS_TOKEN) or an admin's personal access token as `Authorization: Bearer …`.",
    );
  if (matchesScrapeToken(bearer)) return;
  await requireTokenActor(authorization, ["admin"], "read");
}

export async function metricsResponse(request: Request): Promise<Response> {
  try {
    await authorise(request);
    const registry = prometheusRegistry(await metricsSnapshot());
    return new Response(await registry.metrics(), {
      headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    });
  } catch (error) {
    const clientError = toClientError(error);
    const status = clientError.code === "internal" ? 500 : HTTP_STATUS[clientError.code];
    return Response.json(
      { error: clientError },
      {
        status,
        headers: {
          "cache-control": "no-store",
          ...(status === 401 && { "www-authenticate": 'Bearer realm="countersign-metrics"' }),
        },
      },
    );
  }
}
