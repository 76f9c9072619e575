// Typed failures of the shop, as an external system would report them. The runtime decides
// what each means for a run (retry, tell the model, hand to a human).
export type ShopErrorKind =
  | "rate_limited"
  | "not_found"
  | "invalid_arguments"
  | "upstream_error"
  | "timeout"
  | "forbidden"
  | "conflict";

export class ShopError extends Error {
  constructor(
    readonly kind: ShopErrorKind,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "ShopError";
  }
}
