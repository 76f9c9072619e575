import { AppError } from "@/lib/errors";
import { assertStorable } from "@/lib/validation/text";
import { CROSS_SITE_MESSAGE, isCrossSite, isStateChanging } from "./origin";

/**
 * Checks every route handler makes before authenticating (called by `guardedRoute`, so no handler
 * can forget them): a state-changing request from another site is refused, unless it is
 * authenticated by a bearer token (a header a cross-site page cannot attach, and no ambient
 * authority); query parameters and path segments that cannot be stored are refused.
 */
export function checkRouteRequest(
  request: Request,
  params: unknown,
  { bearer }: { bearer: boolean },
): void {
  const url = new URL(request.url);
  if (!bearer && isStateChanging(request.method) && isCrossSite(request.headers, url.host)) {
    throw new AppError("forbidden", CROSS_SITE_MESSAGE);
  }
  assertStorable(Object.fromEntries(url.searchParams), "query");
  assertStorable(params, "path");
}
