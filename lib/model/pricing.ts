import type { ModelId, ModelTier, Usage } from "./types";

/** USD per million tokens. */
export type ModelPrice = { input: number; output: number; cacheRead: number; cacheWrite: number };

// Anthropic list prices (USD per million tokens; cache writes at the 5-minute TTL rate).
// These are copied by hand: keep them up to date with https://www.anthropic.com/pricing
// whenever a model is added or a price changes.
const HAIKU: ModelPrice = { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 };
const SONNET: ModelPrice = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
const OPUS: ModelPrice = { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 };

export const MODEL_PRICES: Readonly<Partial<Record<ModelId, ModelPrice>>> = {
  "claude-haiku-5-5": HAIKU,
  "claude-sonnet-5-5": SONNET,
  "claude-opus-5-5": OPUS,
  "claude-haiku-4-5": HAIKU,
  "claude-sonnet-4-6": SONNET,
  "claude-opus-4-6": OPUS,
};

// An unknown model is priced like the most expensive tier so that budgets err on the safe side.
export const FALLBACK_PRICE: ModelPrice = OPUS;

export const MODEL_TIERS: Record<ModelTier, ModelId> = {
  small: "claude-haiku-5-5",
  strong: "claude-sonnet-5-5",
};

export function priceFor(model: string): ModelPrice {
  // Responses may name a dated snapshot ("claude-haiku-4-5-20251001"); price it as its alias.
  return MODEL_PRICES[model] ?? MODEL_PRICES[model.replace(/-\d{8}$/, "")] ?? FALLBACK_PRICE;
}

/** Cost of one call in integer micro-dollars, rounded up. */
export function costMicros(model: string, usage: Usage): number {
  const price = priceFor(model);
  // USD per million tokens is micro-dollars per token; work in thousandths of that so the sum
  // is exact integer arithmetic instead of accumulating floating-point error.
  const milli = (usdPerMTok: number) => Math.round(usdPerMTok * 1000);
  const total =
    usage.inputTokens * milli(price.input) +
    usage.outputTokens * milli(price.output) +
    usage.cacheReadTokens * milli(price.cacheRead) +
    usage.cacheWriteTokens * milli(price.cacheWrite);
  return Math.ceil(total / 1000);
}
