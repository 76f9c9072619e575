import "server-only";
import { createAnthropicProviderFromEnv } from "./anthropic";
import { OfflineDemoModel } from "./offline";
import type { ModelProvider } from "./types";

let provider: ModelProvider | undefined;

/** Claude through the Anthropic SDK when ANTHROPIC_API_KEY is set; otherwise the offline demo model. */
export function modelProvider(): ModelProvider {
  provider ??= createAnthropicProviderFromEnv() ?? new OfflineDemoModel();
  return provider;
}
