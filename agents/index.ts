import { accountsAgent } from "./accounts";
import { refundsAgent } from "./refunds";
import { supportAgent } from "./support";
import type { ExecutorSpec } from "./types";

export const EXECUTORS: Record<string, ExecutorSpec> = {
  refunds: refundsAgent,
  accounts: accountsAgent,
  support: supportAgent,
};

export function executor(name: string): ExecutorSpec {
  const spec = EXECUTORS[name];
  if (!spec) throw new Error(`Unknown agent ${name}`);
  return spec;
}
